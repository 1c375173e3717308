package auth_test

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/auth"
)

func TestCacheHit(t *testing.T) {
	a := newAuth(t, staticOptions(newClock()))
	tok := sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(nil))
	first, err := a.Authenticate(t.Context(), tok)
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.Authenticate(t.Context(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if second != first {
		t.Errorf("second Authenticate = %p, want cached %p", second, first)
	}
	want := auth.CacheStats{Hits: 1, Misses: 1, Entries: 1}
	if got := a.CacheStats(); got != want {
		t.Errorf("CacheStats() = %+v, want %+v", got, want)
	}
}

// A cached token is still refused once its exp has passed, even while its
// cache entry's TTL would last.
func TestCacheEntryEndsAtExp(t *testing.T) {
	c := newClock()
	a := newAuth(t, staticOptions(c))
	tok := sign(t, jwt.SigningMethodES256, ecKey(), "ec1",
		claims(map[string]any{"exp": t0.Add(30 * time.Second).Unix()}))
	if _, err := a.Authenticate(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	c.advance(30 * time.Second)
	if _, err := a.Authenticate(t.Context(), tok); auth.Reason(err) != "expired" {
		t.Errorf("Authenticate(at exp) = %v, want reason expired", err)
	}
}

func TestCacheEntryEndsAtTTL(t *testing.T) {
	c := newClock()
	o := staticOptions(c)
	o.CacheTTL = time.Minute
	a := newAuth(t, o)
	tok := sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(nil))
	steps := []struct {
		after time.Duration
		want  auth.CacheStats
	}{
		{0, auth.CacheStats{Misses: 1, Entries: 1}},
		{59 * time.Second, auth.CacheStats{Hits: 1, Misses: 1, Entries: 1}},
		{time.Second, auth.CacheStats{Hits: 1, Misses: 2, Entries: 1}},
	}
	for _, s := range steps {
		c.advance(s.after)
		if _, err := a.Authenticate(t.Context(), tok); err != nil {
			t.Fatalf("Authenticate(after %v) = %v", c.Now().Sub(t0), err)
		}
		if got := a.CacheStats(); got != s.want {
			t.Errorf("CacheStats() after %v = %+v, want %+v", c.Now().Sub(t0), got, s.want)
		}
	}
}

func TestCacheBounded(t *testing.T) {
	o := staticOptions(newClock())
	o.CacheSize = 2
	a := newAuth(t, o)
	for _, sub := range []string{"a", "b", "c"} {
		tok := sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(map[string]any{"sub": sub}))
		if _, err := a.Authenticate(t.Context(), tok); err != nil {
			t.Fatal(err)
		}
	}
	if got := a.CacheStats().Entries; got != 2 {
		t.Errorf("CacheStats().Entries = %d, want 2", got)
	}
}

func TestCacheDisabled(t *testing.T) {
	o := staticOptions(newClock())
	o.CacheTTL = -1
	a := newAuth(t, o)
	tok := sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(nil))
	for range 2 {
		if _, err := a.Authenticate(t.Context(), tok); err != nil {
			t.Fatal(err)
		}
	}
	if got := a.CacheStats(); got != (auth.CacheStats{}) {
		t.Errorf("CacheStats() = %+v, want zero", got)
	}
}

// Close forgets cached tokens.
func TestCloseEmptiesCache(t *testing.T) {
	a := newAuth(t, staticOptions(newClock()))
	tok := sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(nil))
	if _, err := a.Authenticate(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if got := a.CacheStats().Entries; got != 0 {
		t.Errorf("CacheStats().Entries after Close = %d, want 0", got)
	}
}
