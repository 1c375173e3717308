package issuer

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/grant"
)

// Cookie is one issued cookie with the attributes it is set with; mobile
// clients replay these by hand.
type Cookie struct {
	Name      string    `json:"name"`
	Value     string    `json:"value"`
	Domain    string    `json:"domain"`
	Path      string    `json:"path"`
	ExpiresAt time.Time `json:"expires_at"`
	Secure    bool      `json:"secure"`
	HTTPOnly  bool      `json:"http_only"`
	SameSite  string    `json:"same_site"`

	persistent bool
	sameSite   http.SameSite
}

// HTTP returns the cookie as a Set-Cookie header value would carry it.
func (c Cookie) HTTP() *http.Cookie {
	// #nosec G124 -- Secure and HttpOnly are always set by Issuer.cookie,
	// SameSite comes from validated configuration.
	hc := &http.Cookie{
		Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
		Secure: c.Secure, HttpOnly: c.HTTPOnly, SameSite: c.sameSite,
	}
	if c.persistent {
		hc.Expires = c.ExpiresAt
	}
	return hc
}

// Cookies signs a cookie set for each grant that can carry one (see
// [grant.Covering]) or, when path is not empty, one set for that path
// alone: an object path, or a prefix ending in "/*" inside one of the
// grants.
//
// The cookie Path attribute of every set is the Prefix of a covering
// grant. A set for a path narrower than its grant signs a policy for that
// path only, but takes the Path of the covering grant that holds it, so
// that it replaces that grant's set in the browser instead of being sent
// beside it, and so that [Issuer.ClearCookies] expires it. A path that no
// covering grant's cookie Path reaches, such as a granted "/a" beside a
// granted "/a/*", gets no cookies: it is refused with [ErrForbidden] and
// stays reachable with a signed URL.
func (i *Issuer) Cookies(grants []grant.Grant, path string) ([]Cookie, time.Time, error) {
	scopes, err := cookieScopes(grants, path)
	if err != nil {
		return nil, time.Time{}, err
	}

	exp := cfsign.Expiry(i.cfg.Now(), i.cfg.CookieTTL, i.cfg.CookieWindow)
	s := i.Signer()
	var out []Cookie
	for _, sc := range scopes {
		p := cfsign.Policy{Resource: i.base + sc.resource, Expires: exp}
		set, err := s.CustomCookies(p)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("sign cookies for %q: %w",
				sc.resource, err)
		}
		for _, c := range set {
			out = append(out, i.cookie(c.Name, c.Value, sc.path, exp))
		}
	}
	return out, exp, nil
}

// scope is one cookie set to sign: the resource its policy opens, without
// the CDN URL, and the cookie Path it is set at.
type scope struct {
	resource string
	path     string
}

// cookieScopes returns the cookie sets to sign for a request: one per
// covering grant when path is empty, else one for path at the Path of
// the covering grant that holds it.
func cookieScopes(grants []grant.Grant, path string) ([]scope, error) {
	covering := grant.Covering(grants)
	if path == "" {
		if len(covering) == 0 {
			return nil, ErrNoGrants
		}
		out := make([]scope, len(covering))
		for n, g := range covering {
			out[n] = scope{resource: g.Pattern, path: g.Prefix}
		}
		return out, nil
	}

	resource, err := requested(grants, path)
	if err != nil {
		return nil, err
	}
	// Covering grants never overlap, so at most one reaches the path.
	reached := strings.TrimSuffix(resource, "*")
	for _, g := range covering {
		if sentWith(g.Prefix, reached) {
			return []scope{{resource: resource, path: g.Prefix}}, nil
		}
	}
	return nil, fmt.Errorf("%w: %q: cookies cannot carry it without overlapping "+
		"another grant's set; use a signed URL", ErrForbidden, path)
}

// requested returns the policy resource for the path of a cookie request,
// percent-encoded and ending in "*" for a prefix, refusing what lies
// outside the caller's grants.
func requested(grants []grant.Grant, path string) (string, error) {
	prefix, wild := strings.CutSuffix(path, "*")
	if wild && !strings.HasSuffix(prefix, "/") {
		return "", fmt.Errorf(`%w: %q: a wildcard must follow "/"`, ErrInvalidPath, path)
	}
	enc, err := grant.CleanPath(prefix)
	if err != nil {
		return "", pathError(path, err)
	}
	if !wild {
		if !grant.Allows(grants, enc) {
			return "", fmt.Errorf("%w: %q", ErrForbidden, path)
		}
		return enc, nil
	}
	for _, g := range grants {
		if g.Wildcard && strings.HasPrefix(enc, g.Prefix) {
			return enc + "*", nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrForbidden, path)
}

// sentWith reports whether a browser sends a cookie with Path cookiePath
// with a request for path (RFC 6265, section 5.1.4).
func sentWith(cookiePath, path string) bool {
	rest, ok := strings.CutPrefix(path, cookiePath)
	return ok && (rest == "" || strings.HasSuffix(cookiePath, "/") || rest[0] == '/')
}

// ClearCookies returns expired cookies for every signed-cookie name at
// the Prefix of every covering grant (see [grant.Covering]). Those are the
// only cookie paths [Issuer.Cookies] sets, for a narrower path too, so a
// sign-out removes whatever set the browser holds.
func (i *Issuer) ClearCookies(grants []grant.Grant) []*http.Cookie {
	var out []*http.Cookie
	for _, g := range grant.Covering(grants) {
		for _, name := range cfsign.CookieNames {
			c := i.cookie(name, "", g.Prefix, time.Unix(0, 0)).HTTP() // #nosec G124 -- see Cookie.HTTP
			c.MaxAge = -1
			c.Expires = time.Unix(0, 0)
			out = append(out, c)
		}
	}
	return out
}

func (i *Issuer) cookie(name, value, path string, exp time.Time) Cookie {
	return Cookie{
		Name: name, Value: value, Domain: i.cfg.CookieDomain, Path: path,
		ExpiresAt: exp, Secure: true, HTTPOnly: true,
		SameSite:   sameSiteName(i.cfg.SameSite),
		persistent: i.cfg.Persistent, sameSite: i.cfg.SameSite,
	}
}

func sameSiteName(s http.SameSite) string {
	switch s {
	case http.SameSiteStrictMode:
		return "strict"
	case http.SameSiteNoneMode:
		return "none"
	}
	return "lax"
}
