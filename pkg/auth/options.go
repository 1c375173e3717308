package auth

import (
	"crypto"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// MaxTokenSize is the length in bytes above which a token is refused with
// [ErrTokenTooLarge] before it is parsed.
const MaxTokenSize = 8 << 10

// MinHMACSecret is the shortest HMAC secret, in bytes, that New accepts:
// RFC 7518 asks for a key at least as long as the HS256 hash.
const MinHMACSecret = 32

// Defaults applied by [New] to zero fields of [Options].
const (
	DefaultCacheTTL         = time.Minute
	DefaultCacheSize        = 10000
	DefaultRefreshInterval  = 15 * time.Minute
	DefaultRefreshRateLimit = time.Minute
)

// Options configure an [Authenticator]. The zero value is not usable: at
// least one key source (JWKSURL, PublicKeys or HMACSecret) is required.
type Options struct {
	// Algorithms is the allow-list of JWS algorithms ("RS256", "ES256", ...).
	// Default: RS256 and ES256, plus HS256 when HMACSecret is set. "none" is
	// always refused, and an HMAC algorithm is allowed only with HMACSecret.
	Algorithms []string
	// Issuer, when set, must equal the token's iss claim.
	Issuer string
	// Audience, when set, must hold one of the values of the token's aud.
	Audience []string
	// JWKSURL is a JSON Web Key Set fetched at start and refreshed in the
	// background; it must be https unless its host is loopback.
	JWKSURL string
	// PublicKeys are static verification keys, chosen by the token's kid.
	PublicKeys []PublicKey
	// HMACSecret is an HS256 secret for development, at least MinHMACSecret
	// bytes. It is never taken from a JWKS.
	HMACSecret []byte
	// Leeway is the clock skew allowed on exp, nbf and iat. Default: none.
	Leeway time.Duration
	// CacheTTL bounds how long a verified token is remembered; no entry
	// outlives the token's exp. Default DefaultCacheTTL; negative disables
	// the cache.
	CacheTTL time.Duration
	// CacheSize bounds the number of remembered tokens. Default
	// DefaultCacheSize; negative disables the cache.
	CacheSize int
	// RefreshInterval is the period of the background JWKS refresh.
	// Default DefaultRefreshInterval.
	RefreshInterval time.Duration
	// RefreshRateLimit is the least time between the JWKS refreshes that a
	// token with an unknown kid triggers. Default DefaultRefreshRateLimit.
	RefreshRateLimit time.Duration
	// HTTPClient fetches the JWKS. Default: a client with a 10 s timeout.
	HTTPClient *http.Client
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives JWKS events. Default: discard.
	Logger *slog.Logger
	// OnRefreshError, when set, is called for each failed JWKS fetch, for
	// example to count it in a metric.
	OnRefreshError func(error)
}

// PublicKey is a static verification key.
type PublicKey struct {
	// ID is matched against the token's kid header.
	ID string
	// Key is an *rsa.PublicKey (2048 bits or more), an *ecdsa.PublicKey or
	// an ed25519.PublicKey.
	Key crypto.PublicKey
}

// withDefaults returns o with its zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if len(o.Algorithms) == 0 {
		o.Algorithms = []string{"RS256", "ES256"}
		if len(o.HMACSecret) > 0 {
			o.Algorithms = append(o.Algorithms, "HS256")
		}
	}
	if o.CacheTTL == 0 {
		o.CacheTTL = DefaultCacheTTL
	}
	if o.CacheSize == 0 {
		o.CacheSize = DefaultCacheSize
	}
	if o.RefreshInterval <= 0 {
		o.RefreshInterval = DefaultRefreshInterval
	}
	if o.RefreshRateLimit <= 0 {
		o.RefreshRateLimit = DefaultRefreshRateLimit
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// validate reports the first option that cannot be used, naming it.
func (o Options) validate() error {
	if o.JWKSURL == "" && len(o.PublicKeys) == 0 && len(o.HMACSecret) == 0 {
		return errors.New("no key source: set jwks_url, public_keys or hmac_secret")
	}
	if o.Leeway < 0 {
		return errors.New("leeway: must not be negative")
	}
	if err := o.validateAlgorithms(); err != nil {
		return fmt.Errorf("algorithms: %w", err)
	}
	if len(o.HMACSecret) > 0 && len(o.HMACSecret) < MinHMACSecret {
		return fmt.Errorf("hmac_secret: must be at least %d bytes", MinHMACSecret)
	}
	if o.JWKSURL != "" {
		if err := checkJWKSURL(o.JWKSURL); err != nil {
			return fmt.Errorf("jwks_url: %w", err)
		}
		if !slices.ContainsFunc(o.Algorithms, isAsymmetric) {
			return errors.New("jwks_url: no asymmetric algorithm is allowed")
		}
	}
	return o.validateKeys()
}

// validateAlgorithms checks the allow-list against the key sources.
func (o Options) validateAlgorithms() error {
	hmac := false
	for _, name := range o.Algorithms {
		m := jwt.GetSigningMethod(name)
		switch m.(type) {
		case nil:
			return fmt.Errorf("unknown algorithm %q", name)
		case *jwt.SigningMethodRSA, *jwt.SigningMethodRSAPSS,
			*jwt.SigningMethodECDSA, *jwt.SigningMethodEd25519:
		case *jwt.SigningMethodHMAC:
			if len(o.HMACSecret) == 0 {
				return fmt.Errorf("%s needs hmac_secret", name)
			}
			hmac = true
		default:
			return fmt.Errorf("%q is never allowed", name)
		}
	}
	if len(o.HMACSecret) > 0 && !hmac {
		return errors.New("hmac_secret is set but no HS algorithm is allowed")
	}
	return nil
}

// validateKeys checks that each static key has a unique ID and fits an
// allowed algorithm.
func (o Options) validateKeys() error {
	seen := make(map[string]bool)
	for i, k := range o.PublicKeys {
		if seen[k.ID] {
			return fmt.Errorf("public_keys[%d]: duplicate id %q", i, k.ID)
		}
		seen[k.ID] = true
		fits := func(alg string) bool {
			return keyFits(jwt.GetSigningMethod(alg), k.Key)
		}
		if !slices.ContainsFunc(o.Algorithms, fits) {
			return fmt.Errorf("public_keys[%d]: %T key %q fits no allowed algorithm",
				i, k.Key, k.ID)
		}
	}
	return nil
}

// isAsymmetric reports whether the algorithm alg verifies with a public key.
func isAsymmetric(alg string) bool {
	_, hmac := jwt.GetSigningMethod(alg).(*jwt.SigningMethodHMAC)
	return !hmac
}

// parserOptions returns the checks every token must pass, except that exp
// is required only when requireExp is set.
func (o Options) parserOptions(requireExp bool) []jwt.ParserOption {
	opts := []jwt.ParserOption{
		jwt.WithValidMethods(o.Algorithms),
		jwt.WithLeeway(o.Leeway),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(o.Now),
		jwt.WithStrictDecoding(),
	}
	if requireExp {
		opts = append(opts, jwt.WithExpirationRequired())
	}
	if o.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(o.Issuer))
	}
	if len(o.Audience) > 0 {
		opts = append(opts, jwt.WithAudience(o.Audience...))
	}
	return opts
}
