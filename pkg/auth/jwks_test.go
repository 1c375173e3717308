package auth_test

import (
	"crypto"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/auth"
)

// errorLog collects the errors passed to OnRefreshError.
type errorLog struct {
	mu   sync.Mutex
	errs []error
	c    chan struct{}
}

func newErrorLog() *errorLog { return &errorLog{c: make(chan struct{}, 100)} }

func (l *errorLog) add(err error) {
	l.mu.Lock()
	l.errs = append(l.errs, err)
	l.mu.Unlock()
	select {
	case l.c <- struct{}{}:
	default:
	}
}

func (l *errorLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.errs)
}

// wait blocks until an error is reported, failing the test after a long
// safety timeout.
func (l *errorLog) wait(t *testing.T) {
	t.Helper()
	select {
	case <-l.c:
	case <-time.After(10 * time.Second):
		t.Fatal("no JWKS refresh error reported")
	}
}

func TestJWKSAccepts(t *testing.T) {
	srv := newJWKSServer(t, true, map[string]crypto.PublicKey{
		"rsa1": &rsaKey().PublicKey,
		"ec1":  &ecKey().PublicKey,
	})
	a := newAuth(t, jwksOptions(newClock(), srv))
	if !a.Ready() {
		t.Fatal("Ready() = false after the first fetch, want true")
	}
	tests := []struct {
		name  string
		token string
	}{
		{"rs256", sign(t, jwt.SigningMethodRS256, rsaKey(), "rsa1", claims(nil))},
		{"es256", sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(nil))},
		{"rs256_without_kid", sign(t, jwt.SigningMethodRS256, rsaKey(), "", claims(nil))},
		{"es256_without_kid", sign(t, jwt.SigningMethodES256, ecKey(), "", claims(nil))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := a.Authenticate(t.Context(), tt.token); err != nil {
				t.Errorf("Authenticate(%s) = %v, want success", tt.name, err)
			}
		})
	}
}

// A key published after start is fetched when a token names it; a second
// new key inside the rate limit is not.
func TestJWKSRotation(t *testing.T) {
	srv := newJWKSServer(t, false, map[string]crypto.PublicKey{"old": &ecKey().PublicKey})
	a := newAuth(t, jwksOptions(newClock(), srv))
	oldTok := sign(t, jwt.SigningMethodES256, ecKey(), "old", claims(nil))
	if _, err := a.Authenticate(t.Context(), oldTok); err != nil {
		t.Fatalf("Authenticate(old kid) = %v", err)
	}

	srv.setKeys(t, map[string]crypto.PublicKey{
		"old": &ecKey().PublicKey,
		"new": &rsaKey().PublicKey,
	})
	hits := srv.hits.Load()
	newTok := sign(t, jwt.SigningMethodRS256, rsaKey(), "new", claims(nil))
	if _, err := a.Authenticate(t.Context(), newTok); err != nil {
		t.Fatalf("Authenticate(new kid) = %v, want success after a refresh", err)
	}
	if got := srv.hits.Load() - hits; got != 1 {
		t.Errorf("JWKS fetches for a new kid = %d, want 1", got)
	}

	srv.setKeys(t, map[string]crypto.PublicKey{
		"old":   &ecKey().PublicKey,
		"new":   &rsaKey().PublicKey,
		"newer": &ecOther().PublicKey,
	})
	hits = srv.hits.Load()
	newerTok := sign(t, jwt.SigningMethodES256, ecOther(), "newer", claims(nil))
	if _, err := a.Authenticate(t.Context(), newerTok); auth.Reason(err) != "unknown_key" {
		t.Errorf("Authenticate(kid inside rate limit) = %v, want reason unknown_key", err)
	}
	if got := srv.hits.Load() - hits; got != 0 {
		t.Errorf("JWKS fetches inside the rate limit = %d, want 0", got)
	}
}

// A key removed from the JWKS stops a token cached under it, once the set
// is refreshed; an unchanged set keeps the cache.
func TestJWKSKeyRemovalClearsCache(t *testing.T) {
	srv := newJWKSServer(t, false, map[string]crypto.PublicKey{
		"keep": &ecKey().PublicKey,
		"drop": &rsaKey().PublicKey,
	})
	o := jwksOptions(newClock(), srv)
	o.RefreshRateLimit = time.Nanosecond // every unknown kid refreshes
	a := newAuth(t, o)
	keep := sign(t, jwt.SigningMethodES256, ecKey(), "keep", claims(nil))
	drop := sign(t, jwt.SigningMethodRS256, rsaKey(), "drop", claims(nil))
	unknown := sign(t, jwt.SigningMethodES256, ecKey(), "unknown", claims(nil))
	for _, tok := range []string{keep, drop} {
		if _, err := a.Authenticate(t.Context(), tok); err != nil {
			t.Fatal(err)
		}
	}

	// A refresh that brings the same keys leaves the cache alone.
	_, _ = a.Authenticate(t.Context(), unknown)
	if got := a.CacheStats().Entries; got != 2 {
		t.Fatalf("CacheStats().Entries after an unchanged refresh = %d, want 2", got)
	}
	if _, err := a.Authenticate(t.Context(), drop); err != nil {
		t.Fatalf("Authenticate(cached drop) = %v", err)
	}

	srv.setKeys(t, map[string]crypto.PublicKey{"keep": &ecKey().PublicKey})
	hits := srv.hits.Load()
	_, _ = a.Authenticate(t.Context(), unknown) // triggers the refresh
	if srv.hits.Load() == hits {
		t.Fatal("unknown kid caused no JWKS fetch")
	}
	if _, err := a.Authenticate(t.Context(), drop); auth.Reason(err) != "unknown_key" {
		t.Errorf("Authenticate(token of removed key) = %v, want reason unknown_key", err)
	}
	if _, err := a.Authenticate(t.Context(), keep); err != nil {
		t.Errorf("Authenticate(token of kept key) = %v, want success", err)
	}
}

// When the JWKS endpoint fails, the keys fetched before keep working.
func TestJWKSOutageKeepsKeys(t *testing.T) {
	srv := newJWKSServer(t, false, map[string]crypto.PublicKey{"ec1": &ecKey().PublicKey})
	errs := newErrorLog()
	o := jwksOptions(newClock(), srv)
	o.OnRefreshError = errs.add
	o.CacheTTL = -1 // every check uses the stored keys
	a := newAuth(t, o)
	tok := sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(nil))
	if _, err := a.Authenticate(t.Context(), tok); err != nil {
		t.Fatal(err)
	}

	srv.setStatus(http.StatusInternalServerError)
	unknown := sign(t, jwt.SigningMethodES256, ecKey(), "unknown", claims(nil))
	if _, err := a.Authenticate(t.Context(), unknown); auth.Reason(err) != "unknown_key" {
		t.Errorf("Authenticate(unknown kid during outage) = %v, want reason unknown_key", err)
	}
	if errs.len() != 1 {
		t.Errorf("OnRefreshError calls = %d, want 1", errs.len())
	}
	if _, err := a.Authenticate(t.Context(), tok); err != nil {
		t.Errorf("Authenticate(known kid during outage) = %v, want success", err)
	}
	if !a.Ready() {
		t.Error("Ready() = false during outage, want true")
	}
}

// The background refresh also keeps the last good keys when it fails.
func TestJWKSBackgroundOutage(t *testing.T) {
	srv := newJWKSServer(t, false, map[string]crypto.PublicKey{"ec1": &ecKey().PublicKey})
	errs := newErrorLog()
	o := jwksOptions(newClock(), srv)
	o.OnRefreshError = errs.add
	o.RefreshInterval = 5 * time.Millisecond
	o.CacheTTL = -1
	a := newAuth(t, o)

	srv.setStatus(http.StatusServiceUnavailable)
	errs.wait(t)
	tok := sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(nil))
	if _, err := a.Authenticate(t.Context(), tok); err != nil {
		t.Errorf("Authenticate(after failed refresh) = %v, want success", err)
	}
	if !a.Ready() {
		t.Error("Ready() = false after failed refresh, want true")
	}
}

// Without a first key set the authenticator is not ready; it becomes ready
// as soon as a fetch succeeds.
func TestJWKSInitialFailure(t *testing.T) {
	srv := newJWKSServer(t, false, map[string]crypto.PublicKey{"ec1": &ecKey().PublicKey})
	srv.setStatus(http.StatusInternalServerError)
	errs := newErrorLog()
	o := jwksOptions(newClock(), srv)
	o.OnRefreshError = errs.add
	a := newAuth(t, o)
	if a.Ready() {
		t.Fatal("Ready() = true without a key set, want false")
	}
	if errs.len() == 0 {
		t.Error("OnRefreshError not called for the failed first fetch")
	}
	tok := sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(nil))
	if _, err := a.Authenticate(t.Context(), tok); auth.Reason(err) != "unknown_key" {
		t.Errorf("Authenticate(before keys) = %v, want reason unknown_key", err)
	}
}

func TestJWKSRetriesFirstFetch(t *testing.T) {
	srv := newJWKSServer(t, false, map[string]crypto.PublicKey{"ec1": &ecKey().PublicKey})
	srv.setStatus(http.StatusInternalServerError)
	errs := newErrorLog()
	o := jwksOptions(newClock(), srv)
	o.OnRefreshError = errs.add
	o.RefreshInterval = 5 * time.Millisecond
	a := newAuth(t, o)
	errs.wait(t)

	srv.setStatus(http.StatusOK)
	deadline := time.Now().Add(10 * time.Second)
	for !a.Ready() {
		if time.Now().After(deadline) {
			t.Fatal("Ready() still false after the endpoint recovered")
		}
		time.Sleep(time.Millisecond)
	}
	tok := sign(t, jwt.SigningMethodES256, ecKey(), "ec1", claims(nil))
	if _, err := a.Authenticate(t.Context(), tok); err != nil {
		t.Errorf("Authenticate(after recovery) = %v, want success", err)
	}
}

// A symmetric key in a JWKS never verifies anything, and a key meant for
// encryption never verifies a signature.
func TestJWKSRefusesUnfitKeys(t *testing.T) {
	secret := []byte(testSecret)
	srv := newJWKSServer(t, false, nil)
	srv.setJSON(t, map[string]any{"keys": []map[string]any{
		{"kty": "oct", "kid": "sym", "k": base64.RawURLEncoding.EncodeToString(secret)},
		{"kty": "RSA", "kid": "enc", "use": "enc",
			"n": base64.RawURLEncoding.EncodeToString(rsaKey().N.Bytes()),
			"e": "AQAB"},
	}})
	tests := []struct {
		name   string
		hmac   bool
		token  string
		reason string
	}{
		{"hs256_oct_key", false,
			sign(t, jwt.SigningMethodHS256, secret, "sym", claims(nil)), "algorithm"},
		{"hs256_oct_key_with_hmac_allowed", true,
			sign(t, jwt.SigningMethodHS256, secret, "sym", claims(nil)), "bad_signature"},
		{"rs256_naming_oct_key", false,
			sign(t, jwt.SigningMethodRS256, rsaKey(), "sym", claims(nil)), "unknown_key"},
		{"rs256_encryption_key", false,
			sign(t, jwt.SigningMethodRS256, rsaKey(), "enc", claims(nil)), "unknown_key"},
		{"rs256_without_kid", false,
			sign(t, jwt.SigningMethodRS256, rsaKey(), "", claims(nil)), "unknown_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := jwksOptions(newClock(), srv)
			if tt.hmac {
				o.HMACSecret = []byte(strings.Repeat("z", 32))
				o.Algorithms = append(o.Algorithms, "HS256")
			}
			a := newAuth(t, o)
			_, err := a.Authenticate(t.Context(), tt.token)
			if got := auth.Reason(err); got != tt.reason {
				t.Errorf("Reason(Authenticate(%s)) = %q (%v), want %q", tt.name, got, err, tt.reason)
			}
		})
	}
}

func TestJWKSOversizedResponse(t *testing.T) {
	srv := newJWKSServer(t, false, nil)
	srv.setBody([]byte(`{"keys":[],"pad":"` + strings.Repeat("x", 2<<20) + `"}`))
	a := newAuth(t, jwksOptions(newClock(), srv))
	if a.Ready() {
		t.Error("Ready() = true after an oversized JWKS response, want false")
	}
}
