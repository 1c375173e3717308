package config

import (
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Validate checks c as a whole. It reports every problem it finds, joined,
// each as a [*KeyError] naming the key: "cdn.url: must be an absolute
// https URL". It reads no files: key files are the caller's to load.
func (c *Config) Validate() error {
	var p problems
	p.checkListen(c.Listen)
	p.checkBasePath(c.BasePath)
	p.checkCDN(c.CDN)
	p.checkSigning(c.Signing)
	p.checkWindowed("urls", c.URLs.TTL, c.URLs.Window)
	p.checkURLs(c.URLs)
	p.checkWindowed("cookies", c.Cookies.TTL, c.Cookies.Window)
	p.checkCookies(c.Cookies, c.CDN.URL)
	p.checkAuth(c.Auth)
	p.checkGrants(c.Grants)
	p.checkCORS(c.CORS)
	return errors.Join(p...)
}

// problems collects the errors Validate finds.
type problems []error

func (p *problems) add(key, format string, args ...any) {
	*p = append(*p, &KeyError{Key: key, Err: fmt.Errorf(format, args...)})
}

func (p *problems) checkListen(listen string) {
	_, port, err := net.SplitHostPort(listen)
	if err != nil {
		p.add("listen", "must be host:port or :port")
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		p.add("listen", "port must be a number from 0 to 65535")
	}
}

var pathSegment = regexp.MustCompile(`^[A-Za-z0-9._~-]+$`)

func (p *problems) checkBasePath(base string) {
	if base == "" {
		return
	}
	if !strings.HasPrefix(base, "/") || strings.HasSuffix(base, "/") {
		p.add("base_path", `must start with "/" and not end with "/"`)
		return
	}
	for seg := range strings.SplitSeq(base[1:], "/") {
		if !pathSegment.MatchString(seg) || seg == "." || seg == ".." {
			p.add("base_path", "segment %q must be letters, digits, "+
				"and . _ ~ - (not . or ..)", seg)
			return
		}
	}
}

func (p *problems) checkCDN(cdn CDN) {
	const key = "cdn.url"
	if cdn.URL == "" {
		p.add(key, "is required")
		return
	}
	if msg := checkOrigin(cdn.URL); msg != "" {
		p.add(key, "%s", msg)
	}
}

// checkOrigin says what is wrong with s as scheme://host[:port], or "".
// https is required except for loopback hosts.
func checkOrigin(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "":
		return "must be an absolute https URL"
	case u.User != nil || u.Path != "" || u.RawQuery != "" ||
		u.ForceQuery || u.Fragment != "":
		return "must be scheme://host[:port], without user, path, query or fragment"
	case u.Scheme == "https":
		return ""
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return ""
	case u.Scheme == "http":
		return "must be an absolute https URL (http only for loopback hosts)"
	}
	return "must be an absolute https URL"
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

var (
	cloudFrontKeyID = regexp.MustCompile(`^[A-Z0-9]{8,32}$`)
	devKeyID        = regexp.MustCompile(`^dev-[a-z0-9-]{1,32}$`)
)

func (p *problems) checkSigning(s Signing) {
	if s.Hash != HashSHA256 && s.Hash != HashSHA1 {
		p.add("signing.hash", "must be %s or %s", HashSHA256, HashSHA1)
	}
	if len(s.Keys) == 0 {
		p.add("signing.keys", "must list at least one key")
	}
	seen := make(map[string]bool)
	for i, k := range s.Keys {
		key := fmt.Sprintf("signing.keys[%d]", i)
		switch {
		case k.ID == "":
			p.add(key+".id", "is required")
		case !cloudFrontKeyID.MatchString(k.ID) && !devKeyID.MatchString(k.ID):
			p.add(key+".id", "must be a CloudFront public key ID (8 to 32 "+
				"upper-case letters and digits) or dev-<lower-case name>")
		case seen[k.ID]:
			p.add(key+".id", "repeats %q", k.ID)
		}
		seen[k.ID] = true
		p.checkPrivateKey(key, k)
	}
}

func (p *problems) checkPrivateKey(key string, k SigningKey) {
	switch {
	case k.PrivateKeyFile == "" && k.PrivateKey == "":
		p.add(key, "needs private_key_file or private_key")
	case k.PrivateKeyFile != "" && k.PrivateKey != "":
		p.add(key, "needs only one of private_key_file and private_key")
	case k.PrivateKey != "":
		if block, _ := pem.Decode([]byte(k.PrivateKey)); block == nil {
			p.add(key+".private_key", "must be PEM text")
		}
	}
}

// checkWindowed checks the ttl and window shared by urls and cookies.
func (p *problems) checkWindowed(section string, ttl, window time.Duration) {
	if ttl < time.Second {
		p.add(section+".ttl", "must be at least 1s")
	}
	switch {
	case window < time.Second:
		p.add(section+".window", "must be at least 1s")
	case window%time.Second != 0:
		p.add(section+".window", "must be a whole number of seconds")
	case window > ttl && ttl >= time.Second:
		p.add(section+".window", "must not exceed %s.ttl (%s)", section, ttl)
	}
}

func (p *problems) checkURLs(u URLs) {
	if u.MaxTTL < u.TTL {
		p.add("urls.max_ttl", "must be at least urls.ttl (%s)", u.TTL)
	}
	if u.MaxBatch < 1 || u.MaxBatch > 1000 {
		p.add("urls.max_batch", "must be from 1 to 1000")
	}
}

var hostLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

func (p *problems) checkCookies(c Cookies, cdnURL string) {
	switch c.SameSite {
	case SameSiteLax, SameSiteStrict, SameSiteNone:
	default:
		p.add("cookies.same_site", "must be %s, %s or %s",
			SameSiteLax, SameSiteStrict, SameSiteNone)
	}
	if c.Domain == "" {
		return
	}
	domain := strings.TrimPrefix(strings.ToLower(c.Domain), ".")
	for label := range strings.SplitSeq(domain, ".") {
		if !hostLabel.MatchString(label) {
			p.add("cookies.domain", "must be a host name such as example.com")
			return
		}
	}
	// Cookies the CDN never receives would be useless.
	u, err := url.Parse(cdnURL)
	if err != nil || u.Hostname() == "" {
		return // reported under cdn.url
	}
	host := strings.ToLower(u.Hostname())
	if host != domain && !strings.HasSuffix(host, "."+domain) {
		p.add("cookies.domain", "must contain the cdn.url host %q", host)
	}
}

// Algorithms a JWT may be signed with, when listed in auth.algorithms.
var (
	asymmetricAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384",
		"PS512", "ES256", "ES384", "ES512", "EdDSA"}
	hmacAlgs = []string{"HS256", "HS384", "HS512"}
)

func (p *problems) checkAuth(a Auth) {
	if a.JWKSURL == "" && len(a.PublicKeys) == 0 && a.HMACSecret == "" {
		p.add("auth", "needs a key source: jwks_url, public_keys or hmac_secret")
	} else {
		p.checkAlgorithmKeys(a)
	}
	p.checkAlgorithms(a)
	if a.Issuer != strings.TrimSpace(a.Issuer) {
		p.add("auth.issuer", "must not start or end with spaces")
	}
	for i, aud := range a.Audience {
		if aud == "" || aud != strings.TrimSpace(aud) {
			p.add(fmt.Sprintf("auth.audience[%d]", i),
				"must be non-empty, without surrounding spaces")
		}
	}
	if a.JWKSURL != "" {
		p.checkJWKSURL(a.JWKSURL)
	}
	p.checkPublicKeys(a.PublicKeys)
	if a.HMACSecret != "" && len(a.HMACSecret) < 32 {
		p.add("auth.hmac_secret", "must be at least 32 bytes")
	}
	if a.Leeway < 0 || a.Leeway > 5*time.Minute {
		p.add("auth.leeway", "must be from 0s to 5m")
	}
	if a.Cookie != "" {
		p.checkAuthCookie(a.Cookie)
	}
}

// checkAlgorithms keeps the allow-list closed: no "none", and HMAC only
// with a secret, so that a public key can never serve as an HMAC secret.
func (p *problems) checkAlgorithms(a Auth) {
	if len(a.Algorithms) == 0 {
		p.add("auth.algorithms", "must list at least one algorithm")
	}
	for i, alg := range a.Algorithms {
		key := fmt.Sprintf("auth.algorithms[%d]", i)
		switch {
		case strings.EqualFold(alg, "none"):
			p.add(key, `"none" is never accepted`)
		case !slices.Contains(asymmetricAlgs, alg) && !slices.Contains(hmacAlgs, alg):
			p.add(key, "%q is not one of %s", alg,
				strings.Join(slices.Concat(asymmetricAlgs, hmacAlgs), ", "))
		}
	}
}

// checkAlgorithmKeys checks that each algorithm has a key of its kind and
// that a secret is not set to no purpose.
func (p *problems) checkAlgorithmKeys(a Auth) {
	hmac := false
	for i, alg := range a.Algorithms {
		key := fmt.Sprintf("auth.algorithms[%d]", i)
		switch {
		case slices.Contains(hmacAlgs, alg):
			hmac = true
			if a.HMACSecret == "" {
				p.add(key, "%s needs auth.hmac_secret", alg)
			}
		case slices.Contains(asymmetricAlgs, alg):
			if a.JWKSURL == "" && len(a.PublicKeys) == 0 {
				p.add(key, "%s needs auth.jwks_url or auth.public_keys", alg)
			}
		}
	}
	if a.HMACSecret != "" && !hmac {
		p.add("auth.hmac_secret", "is set but auth.algorithms lists no HS256, HS384 or HS512")
	}
}

func (p *problems) checkJWKSURL(s string) {
	const key = "auth.jwks_url"
	u, err := url.Parse(s)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "":
		p.add(key, "must be an absolute https URL")
	case u.User != nil || u.Fragment != "":
		p.add(key, "must not hold user information or a fragment")
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		p.add(key, "must be an absolute https URL (http only for loopback hosts)")
	case u.Scheme != "https" && u.Scheme != "http":
		p.add(key, "must be an absolute https URL")
	}
}

func (p *problems) checkPublicKeys(keys []PublicKeyFile) {
	seen := make(map[string]bool)
	for i, k := range keys {
		key := fmt.Sprintf("auth.public_keys[%d]", i)
		switch {
		case k.ID == "":
			p.add(key+".id", "is required")
		case seen[k.ID]:
			p.add(key+".id", "repeats %q", k.ID)
		}
		seen[k.ID] = true
		if k.File == "" {
			p.add(key+".file", "is required")
		}
	}
}

// cookieName holds the characters RFC 6265 allows in a cookie name.
var cookieName = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

func (p *problems) checkAuthCookie(name string) {
	switch {
	case !cookieName.MatchString(name):
		p.add("auth.cookie", "must be a cookie name (letters, digits and !#$%%&'*+-.^_`|~)")
	case strings.HasPrefix(strings.ToLower(name), "cloudfront-"):
		p.add("auth.cookie", "must not start with CloudFront-, which CloudFront reserves")
	}
}

func (p *problems) checkGrants(grants []Grant) {
	if len(grants) == 0 {
		p.add("grants", "must list at least one grant")
	}
	for i, g := range grants {
		key := fmt.Sprintf("grants[%d]", i)
		if len(g.Paths) == 0 {
			p.add(key+".paths", "must list at least one path")
		}
		for j, path := range g.Paths {
			if msg := checkGrantPath(path); msg != "" {
				p.add(fmt.Sprintf("%s.paths[%d]", key, j), "%s", msg)
			}
		}
		for _, name := range sortedKeys(g.Claims) {
			if name == "" || g.Claims[name] == "" {
				p.add(fmt.Sprintf("%s.claims[%s]", key, name),
					"needs a claim name and a non-empty value")
			}
		}
		if g.Scope != strings.Join(strings.Fields(g.Scope), "") {
			p.add(key+".scope", "must be one scope, without spaces")
		}
	}
}

// checkGrantPath says what is wrong with a grant path, or "". It checks the
// shape only; the grant rules themselves belong to their own package.
func checkGrantPath(path string) string {
	if !strings.HasPrefix(path, "/") {
		return `must start with "/"`
	}
	if strings.Contains(path, "//") || slices.Contains(strings.Split(path, "/"), "..") {
		return `must not hold "//" or ".." segments`
	}
	if strings.ContainsFunc(path, func(r rune) bool {
		return unicode.IsControl(r) || unicode.IsSpace(r) || r == '#' || r == '\\'
	}) {
		return "must not hold spaces, control characters, # or backslashes"
	}
	// Every { closes before the next opens, around a claim name.
	rest := path
	for {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			return ""
		}
		end := strings.IndexByte(rest[open+1:], '}')
		if rest[open] == '}' || end <= 0 || strings.Contains(rest[open+1:open+1+end], "{") {
			return "must hold only well-formed {claim} placeholders"
		}
		rest = rest[open+end+2:]
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (p *problems) checkCORS(c CORS) {
	for i, origin := range c.AllowedOrigins {
		key := fmt.Sprintf("cors.allowed_origins[%d]", i)
		if origin == "*" || origin == "null" {
			p.add(key, "must be an exact origin, never %q", origin)
			continue
		}
		if msg := checkOrigin(origin); msg != "" {
			p.add(key, "%s", msg)
			continue
		}
		// Browsers send origins lower-case and without a default port; any
		// other spelling never matches.
		u, _ := url.Parse(origin)
		if origin != strings.ToLower(origin) ||
			u.Port() == "443" && u.Scheme == "https" ||
			u.Port() == "80" && u.Scheme == "http" {
			p.add(key, "must be written as browsers send it: lower-case, "+
				"without a default port")
		}
	}
}
