package auth

import (
	"context"
	"crypto/sha256"
	"fmt"
	"maps"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Authenticator verifies tokens. It is safe for concurrent use.
type Authenticator struct {
	parser     *jwt.Parser    // every check
	unexpired  *jwt.Parser    // signature only, for AuthenticateExpired
	validator  *jwt.Validator // claims checks but exp, for AuthenticateExpired
	algs       map[string]bool
	issuer     string
	audience   bool // whether an audience is required
	hmacSecret []byte
	static     map[string]any
	staticList []any
	jwks       *jwks // nil without a JWKS URL
	cache      *tokenCache
	now        func() time.Time
	cancel     context.CancelFunc
}

// New returns an Authenticator for the options o, which it checks first;
// an error names the offending option. With a JWKS URL, New fetches the key
// set once and refreshes it in the background until ctx ends or Close is
// called; a failed first fetch is no error, but [Authenticator.Ready]
// reports false until a key set arrives.
func New(ctx context.Context, o Options) (*Authenticator, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	sigOnly := append(o.parserOptions(false), jwt.WithoutClaimsValidation())
	a := &Authenticator{
		parser:     jwt.NewParser(o.parserOptions(true)...),
		unexpired:  jwt.NewParser(sigOnly...),
		validator:  jwt.NewValidator(o.parserOptions(false)...),
		algs:       make(map[string]bool),
		issuer:     o.Issuer,
		audience:   len(o.Audience) > 0,
		hmacSecret: o.HMACSecret,
		static:     make(map[string]any),
		cache:      newTokenCache(o.CacheSize, o.CacheTTL),
		now:        o.Now,
	}
	for _, alg := range o.Algorithms {
		a.algs[alg] = true
	}
	for _, k := range o.PublicKeys {
		a.static[k.ID] = k.Key
		a.staticList = append(a.staticList, k.Key)
	}
	if o.JWKSURL == "" {
		return a, nil
	}
	ctx, a.cancel = context.WithCancel(ctx)
	j, err := startJWKS(ctx, o, a.cache.invalidate)
	if err != nil {
		a.cancel()
		return nil, err
	}
	a.jwks = j
	return a, nil
}

// Authenticate verifies token and returns the principal it speaks for. It
// refuses an empty token with ErrMissingToken, one over MaxTokenSize bytes
// with ErrTokenTooLarge, and any other bad token with an error matching
// ErrInvalidToken and its cause; [Reason] names the cause. A token verified
// earlier is answered from the cache while its entry is valid.
func (a *Authenticator) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if err := checkSize(token); err != nil {
		return nil, err
	}
	now := a.now()
	key := sha256.Sum256([]byte(token))
	if p, ok := a.cache.get(key, now); ok {
		return p, nil
	}
	gen := a.cache.generation() // before any key is read
	claims, err := a.verify(ctx, token, a.parser)
	if err != nil {
		return nil, err
	}
	p := newPrincipal(claims)
	a.cache.add(key, p, gen, now)
	return p, nil
}

// AuthenticateExpired is Authenticate for signing out: it checks the
// signature, algorithm, issuer, audience, nbf and iat but accepts a token
// whose exp has passed or is absent, so that a user can always sign out.
// Never use it to grant access. It does not use the cache.
func (a *Authenticator) AuthenticateExpired(
	ctx context.Context, token string,
) (*Principal, error) {
	if err := checkSize(token); err != nil {
		return nil, err
	}
	claims, err := a.verify(ctx, token, a.unexpired)
	if err != nil {
		return nil, err
	}
	rest := maps.Clone(claims)
	delete(rest, "exp")
	if err := a.validator.Validate(rest); err != nil {
		err = fmt.Errorf("%w: %w", jwt.ErrTokenInvalidClaims, err)
		return nil, a.invalid(nil, rest, err)
	}
	return newPrincipal(claims), nil
}

// Ready reports whether keys are available: always with static keys or an
// HMAC secret alone, and with a JWKS URL once a key set has been fetched.
func (a *Authenticator) Ready() bool {
	return a.jwks == nil || a.jwks.store.fetched.Load()
}

// CacheStats returns the counters of the verified-token cache.
func (a *Authenticator) CacheStats() CacheStats {
	return a.cache.stats()
}

// Close stops the background JWKS refresh and forgets cached tokens.
func (a *Authenticator) Close() {
	if a.cancel != nil {
		a.cancel()
		a.jwks.wg.Wait()
	}
	a.cache.invalidate()
}

// verify parses token with p and returns its claims.
func (a *Authenticator) verify(
	ctx context.Context, token string, p *jwt.Parser,
) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	t, err := p.ParseWithClaims(token, claims, a.keyFunc(ctx))
	if err != nil {
		return nil, a.invalid(t, claims, err)
	}
	return claims, nil
}

// checkSize refuses an empty or oversized token.
func checkSize(token string) error {
	switch {
	case token == "":
		return ErrMissingToken
	case len(token) > MaxTokenSize:
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTokenTooLarge, len(token), MaxTokenSize)
	}
	return nil
}
