package auth

import (
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Principal is the caller a verified token speaks for. A Principal may be
// shared between requests through the cache: treat it as read-only.
type Principal struct {
	// Subject is the sub claim, or "" if it is absent or not a string.
	Subject string
	// Claims holds every claim of the token as decoded from JSON.
	Claims map[string]any
	// Scopes lists the entries of a space-separated scope claim followed
	// by those of an scp claim (an array, or a space-separated string),
	// without duplicates.
	Scopes []string
	// ExpiresAt is the exp claim; it is zero only for a token without exp
	// accepted by AuthenticateExpired.
	ExpiresAt time.Time
}

// newPrincipal builds the principal of a verified token's claims.
func newPrincipal(c jwt.MapClaims) *Principal {
	p := &Principal{Claims: map[string]any(c), Scopes: scopes(c)}
	p.Subject, _ = c["sub"].(string)
	if exp, err := c.GetExpirationTime(); err == nil && exp != nil {
		p.ExpiresAt = exp.Time
	}
	return p
}

// scopes collects the scope and scp claims.
func scopes(c jwt.MapClaims) []string {
	var out []string
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if s, ok := c["scope"].(string); ok {
		for _, f := range strings.Fields(s) {
			add(f)
		}
	}
	switch scp := c["scp"].(type) {
	case string:
		for _, f := range strings.Fields(scp) {
			add(f)
		}
	case []any:
		for _, v := range scp {
			if s, ok := v.(string); ok {
				add(s)
			}
		}
	}
	return out
}
