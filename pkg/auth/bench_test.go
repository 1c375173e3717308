package auth_test

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func BenchmarkAuthenticate(b *testing.B) {
	algs := []struct {
		name  string
		token string
	}{
		{"RS256", sign(b, jwt.SigningMethodRS256, rsaKey(), "rsa1", claims(nil))},
		{"ES256", sign(b, jwt.SigningMethodES256, ecKey(), "ec1", claims(nil))},
	}
	caches := []struct {
		name string
		ttl  time.Duration // negative disables the cache
	}{
		{"cached", 0},
		{"uncached", -1},
	}
	for _, alg := range algs {
		for _, cache := range caches {
			b.Run(alg.name+"/"+cache.name, func(b *testing.B) {
				o := staticOptions(newClock())
				o.CacheTTL = cache.ttl
				a := newAuth(b, o)
				ctx := b.Context()
				for b.Loop() {
					if _, err := a.Authenticate(ctx, alg.token); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
