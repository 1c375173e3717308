// Package config loads and checks the configuration of edgepass serve.
//
// A configuration is built in layers by koanf: the defaults of [Default],
// then one YAML file, then environment variables named
// EDGEPASS_<SECTION>_<KEY>. [Config.Validate] then checks the result as a
// whole and names the key of every problem it finds, so an operator can fix
// them all in one pass. The documented example lives in [Example].
package config

import (
	_ "embed" // for Example
	"time"
)

// Example is the documented example configuration: every key, with a
// comment saying what it does. It parses and validates as it stands.
//
//go:embed example.yaml
var Example []byte

// Signature hash algorithms accepted in signing.hash.
const (
	HashSHA256 = "sha256"
	HashSHA1   = "sha1"
)

// SameSite values accepted in cookies.same_site.
const (
	SameSiteLax    = "lax"
	SameSiteStrict = "strict"
	SameSiteNone   = "none"
)

// Config is the whole configuration of the issuer service. Its zero value is
// not usable; start from [Default], [Load] or [Parse].
type Config struct {
	// Listen is the TCP address the service listens on; default ":8080".
	Listen string `koanf:"listen"`
	// BasePath prefixes every route: "" (the default) or a path such as
	// "/edgepass", starting with "/" and without a trailing "/".
	BasePath string  `koanf:"base_path"`
	CDN      CDN     `koanf:"cdn"`
	Signing  Signing `koanf:"signing"`
	URLs     URLs    `koanf:"urls"`
	Cookies  Cookies `koanf:"cookies"`
	Auth     Auth    `koanf:"auth"`
	// Grants say which paths a caller may read; at least one is required.
	Grants []Grant `koanf:"grants"`
	CORS   CORS    `koanf:"cors"`
}

// CDN describes the CloudFront distribution that signed URLs point at.
type CDN struct {
	// URL is the distribution's origin, scheme://host[:port] with no path,
	// query or fragment: https, or http for a loopback host (local edge).
	// Load trims a single trailing "/", so URL + object path is a URL.
	URL string `koanf:"url"`
}

// Signing holds the CloudFront key pairs that sign URLs and cookies.
type Signing struct {
	// Hash is the signature hash, HashSHA256 (the default) or HashSHA1.
	Hash string `koanf:"hash"`
	// Keys are the signing keys: the first signs, the rest stay loaded so
	// that a rotation can overlap. At least one is required.
	Keys []SigningKey `koanf:"keys"`
}

// SigningKey is one CloudFront key pair. Exactly one of PrivateKeyFile and
// PrivateKey is set.
type SigningKey struct {
	// ID is the ID CloudFront gives the uploaded public key: upper-case
	// letters and digits, 8 to 32 of them (K2JCJMDEHXQW5F). A local
	// development key may instead use "dev-" and lower-case letters,
	// digits and hyphens (dev-2026-05); CloudFront never issues such IDs.
	ID string `koanf:"id"`
	// PrivateKeyFile is the path of a PEM private key (PKCS#1, SEC1 or
	// PKCS#8). Config never reads it; the caller does.
	PrivateKeyFile string `koanf:"private_key_file"`
	// PrivateKey is the PEM text of the private key itself.
	PrivateKey string `koanf:"private_key"`
}

// URLs configures signed URLs (canned policies).
type URLs struct {
	// TTL is the lifetime of a URL when the request names none; default 1h.
	TTL time.Duration `koanf:"ttl"`
	// MaxTTL is the longest lifetime a request may ask for; default 24h.
	MaxTTL time.Duration `koanf:"max_ttl"`
	// Window is the step expiries are rounded up to, so that requests in
	// one window get byte-identical URLs; default 15m, whole seconds.
	Window time.Duration `koanf:"window"`
	// MaxBatch is the most paths one request may ask for; default 100.
	MaxBatch int `koanf:"max_batch"`
}

// Cookies configures signed cookies (custom policies). Cookies are always
// Secure and HttpOnly. Browsers treat http://localhost as a secure context,
// so Secure cookies still work against a loopback development edge.
type Cookies struct {
	// TTL is the lifetime of the policy inside the cookies; default 8h.
	TTL time.Duration `koanf:"ttl"`
	// Window is the step expiries are rounded up to; default 15m.
	Window time.Duration `koanf:"window"`
	// Domain is the cookies' Domain attribute; "" (the default) makes
	// host-only cookies. When set, the CDN host must lie within it.
	Domain string `koanf:"domain"`
	// SameSite is SameSiteLax (the default), SameSiteStrict or
	// SameSiteNone.
	SameSite string `koanf:"same_site"`
	// Persistent reports whether cookies carry Expires; by default they
	// are session cookies.
	Persistent bool `koanf:"persistent"`
}

// Auth configures how callers' JWTs are verified.
type Auth struct {
	// Algorithms is the allow-list of JWT algorithms; default RS256 and
	// ES256. "none" is always refused, and HS256, HS384 and HS512 only
	// with HMACSecret.
	Algorithms []string `koanf:"algorithms"`
	// Issuer, when set, must equal the token's iss claim.
	Issuer string `koanf:"issuer"`
	// Audience, when set, must hold one of the token's aud values.
	Audience []string `koanf:"audience"`
	// JWKSURL is where the verification keys are fetched from: https, or
	// http for a loopback host.
	JWKSURL string `koanf:"jwks_url"`
	// PublicKeys are static PEM public keys, instead of or beside JWKS.
	PublicKeys []PublicKeyFile `koanf:"public_keys"`
	// HMACSecret is the HS256/HS384/HS512 secret, at least 32 bytes; meant
	// for development.
	HMACSecret string `koanf:"hmac_secret"`
	// Leeway is the clock skew allowed on exp, nbf and iat; default 30s.
	Leeway time.Duration `koanf:"leeway"`
	// Cookie names a cookie that may carry the JWT; "" (the default)
	// accepts the Authorization header only.
	Cookie string `koanf:"cookie"`
}

// PublicKeyFile is a static JWT verification key.
type PublicKeyFile struct {
	// ID is matched against the token's kid.
	ID string `koanf:"id"`
	// File is the path of the PEM public key. Config never reads it.
	File string `koanf:"file"`
}

// Grant gives callers whose token meets its conditions read access to its
// paths. Paths may hold {claim} placeholders and "*" wildcards.
type Grant struct {
	// Paths are object path patterns, each starting with "/".
	Paths []string `koanf:"paths"`
	// Claims are conditions: each named claim must equal the given string.
	Claims map[string]string `koanf:"claims"`
	// Scope, when set, must be one of the token's scopes.
	Scope string `koanf:"scope"`
}

// CORS configures cross-origin access to the API.
type CORS struct {
	// AllowedOrigins are exact origins, scheme://host[:port], that may call
	// the API with credentials. "*" is never accepted.
	AllowedOrigins []string `koanf:"allowed_origins"`
}

// Default returns the documented defaults. It is not valid by itself: the
// CDN URL, a signing key, a JWT key source and grants have no default.
func Default() Config {
	return Config{
		Listen:  ":8080",
		Signing: Signing{Hash: HashSHA256},
		URLs: URLs{
			TTL:      time.Hour,
			MaxTTL:   24 * time.Hour,
			Window:   15 * time.Minute,
			MaxBatch: 100,
		},
		Cookies: Cookies{
			TTL:      8 * time.Hour,
			Window:   15 * time.Minute,
			SameSite: SameSiteLax,
		},
		Auth: Auth{
			Algorithms: []string{"RS256", "ES256"},
			Leeway:     30 * time.Second,
		},
	}
}
