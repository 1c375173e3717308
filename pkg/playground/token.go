package playground

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Limits of development tokens.
const (
	DefaultTokenTTL = time.Hour
	MaxTokenTTL     = 24 * time.Hour
)

// ErrTokenRequest reports a token request that cannot be minted: no
// subject, a claim that would override a registered one, or a lifetime
// out of range.
var ErrTokenRequest = errors.New("invalid token request")

// registered are the claims MintToken sets itself.
var registered = []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}

// TokenRequest describes a development JWT.
type TokenRequest struct {
	// Subject is the sub claim, the user: "alice". Required.
	Subject string
	// Claims are extra string claims, such as {"plan": "premium"}.
	Claims map[string]string
	// TTL is the token's lifetime; zero means DefaultTokenTTL, and more
	// than MaxTokenTTL is refused.
	TTL time.Duration
	// Issuer is the iss claim; empty means TokenIssuer.
	Issuer string
	// Audience is the single aud value; empty means TokenIssuer.
	Audience string
}

// MintToken returns an HS256 JWT for r signed with secret, issued at now,
// and its expiry.
func MintToken(secret []byte, r TokenRequest, now time.Time) (string, time.Time, error) {
	if err := r.check(); err != nil {
		return "", time.Time{}, err
	}
	ttl, iss, aud := r.TTL, r.Issuer, r.Audience
	if ttl == 0 {
		ttl = DefaultTokenTTL
	}
	if iss == "" {
		iss = TokenIssuer
	}
	if aud == "" {
		aud = TokenIssuer
	}
	now = now.Truncate(time.Second)
	exp := now.Add(ttl)

	claims := jwt.MapClaims{}
	for k, v := range r.Claims {
		claims[k] = v
	}
	claims["iss"], claims["aud"], claims["sub"] = iss, aud, r.Subject
	claims["iat"], claims["exp"] = now.Unix(), exp.Unix()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return s, exp, nil
}

func (r TokenRequest) check() error {
	if r.Subject == "" {
		return fmt.Errorf("%w: no subject", ErrTokenRequest)
	}
	for _, k := range slices.Sorted(maps.Keys(r.Claims)) {
		if k == "" {
			return fmt.Errorf("%w: empty claim name", ErrTokenRequest)
		}
		if slices.Contains(registered, k) {
			return fmt.Errorf("%w: claim %q is set by the token itself", ErrTokenRequest, k)
		}
	}
	if r.TTL != 0 && (r.TTL < time.Second || r.TTL > MaxTokenTTL) {
		return fmt.Errorf("%w: ttl %s is not from 1s to %s", ErrTokenRequest, r.TTL, MaxTokenTTL)
	}
	return nil
}
