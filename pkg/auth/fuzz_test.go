package auth_test

import (
	"context"
	"errors"
	"maps"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/auth"
)

// FuzzAuthenticate checks that no input panics, that every refusal has a
// specific reason, and that nothing but the valid seed tokens is accepted.
func FuzzAuthenticate(f *testing.F) {
	o := staticOptions(newClock())
	o.HMACSecret = []byte(testSecret)
	o.Algorithms = append(o.Algorithms, "HS256")
	a := newAuth(f, o)
	valid := map[string]bool{
		sign(f, jwt.SigningMethodES256, ecKey(), "ec1", claims(nil)):         true,
		sign(f, jwt.SigningMethodHS256, []byte(testSecret), "", claims(nil)): true,
	}
	for tok := range valid {
		f.Add(tok)
	}
	f.Add("")
	f.Add("a.b.c")
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("eyJhbGciOiJIUzI1NiIsImNyaXQiOlsiYiJdfQ.e30.AAAA")
	// A token without exp serves only to sign out.
	noExp := sign(f, jwt.SigningMethodES256, ecKey(), "", claims(map[string]any{"exp": nil}))
	f.Add(noExp)
	validExpired := maps.Clone(valid)
	validExpired[noExp] = true

	f.Fuzz(func(t *testing.T, token string) {
		checks := []struct {
			name  string
			fn    func(context.Context, string) (*auth.Principal, error)
			valid map[string]bool
		}{
			{"Authenticate", a.Authenticate, valid},
			{"AuthenticateExpired", a.AuthenticateExpired, validExpired},
		}
		for _, c := range checks {
			p, err := c.fn(t.Context(), token)
			if err == nil {
				if !c.valid[token] {
					t.Errorf("%s(%q) = %+v, want an error", c.name, token, p)
				}
				continue
			}
			if !errors.Is(err, auth.ErrInvalidToken) && !errors.Is(err, auth.ErrMissingToken) &&
				!errors.Is(err, auth.ErrTokenTooLarge) {
				t.Errorf("%s(%q) = %v, want a package error", c.name, token, err)
			}
			if r := auth.Reason(err); r == "" || r == "invalid" {
				t.Errorf("Reason(%s(%q)) = %q (%v), want a specific reason", c.name, token, r, err)
			}
		}
	})
}
