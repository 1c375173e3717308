package auth_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/auth"
)

const (
	testIssuer   = "https://login.example.com/"
	testAudience = "edgepass"
	testSecret   = "development-secret-of-32-bytes!!"
)

// t0 is the injected clock's starting time.
var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// Keys are generated once per test binary: RSA generation is slow.
var (
	rsaKey   = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA() })
	rsaOther = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA() })
	ecKey    = sync.OnceValue(func() *ecdsa.PrivateKey { return mustEC() })
	ecOther  = sync.OnceValue(func() *ecdsa.PrivateKey { return mustEC() })
)

func mustRSA() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

func mustEC() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

// clock is an injected clock that tests move by hand.
type clock struct{ t atomic.Pointer[time.Time] }

func newClock() *clock {
	c := &clock{}
	c.set(t0)
	return c
}

func (c *clock) Now() time.Time          { return *c.t.Load() }
func (c *clock) set(t time.Time)         { c.t.Store(&t) }
func (c *clock) advance(d time.Duration) { c.set(c.Now().Add(d)) }

// claims returns valid claims at t0, changed by edits (a nil value deletes).
func claims(edits map[string]any) jwt.MapClaims {
	c := jwt.MapClaims{
		"iss":   testIssuer,
		"aud":   testAudience,
		"sub":   "alice",
		"iat":   t0.Add(-time.Minute).Unix(),
		"exp":   t0.Add(time.Hour).Unix(),
		"scope": "media:read profile",
	}
	for k, v := range edits {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

// sign returns a token of c signed by key with method m; kid "" omits it.
func sign(t testing.TB, m jwt.SigningMethod, key any, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("sign %s token: %v", m.Alg(), err)
	}
	return s
}

// publicPEM returns the PKIX PEM encoding of pub.
func publicPEM(t testing.TB, pub crypto.PublicKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatalf("marshal public key: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// staticOptions returns options with the RSA key "rsa1" and the EC key
// "ec1" as static keys, checked at the clock c.
func staticOptions(c *clock) auth.Options {
	return auth.Options{
		Algorithms: []string{"RS256", "ES256"},
		Issuer:     testIssuer,
		Audience:   []string{"other", testAudience},
		PublicKeys: []auth.PublicKey{
			{ID: "rsa1", Key: &rsaKey().PublicKey},
			{ID: "ec1", Key: &ecKey().PublicKey},
		},
		Now: c.Now,
	}
}

// newAuth returns an Authenticator for o, closed when the test ends.
func newAuth(t testing.TB, o auth.Options) *auth.Authenticator {
	t.Helper()
	a, err := auth.New(t.Context(), o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(a.Close)
	return a
}

// jwksServer serves a JWK Set that tests change while it runs.
type jwksServer struct {
	*httptest.Server
	mu     sync.Mutex
	body   []byte
	status int
	hits   atomic.Int64
}

// newJWKSServer serves the public keys of keys, by kid, over loopback
// HTTP (or HTTPS when tls is set).
func newJWKSServer(t testing.TB, tls bool, keys map[string]crypto.PublicKey) *jwksServer {
	t.Helper()
	s := &jwksServer{status: http.StatusOK}
	s.setKeys(t, keys)
	h := http.HandlerFunc(s.serve)
	if tls {
		s.Server = httptest.NewTLSServer(h)
	} else {
		s.Server = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) serve(w http.ResponseWriter, _ *http.Request) {
	s.hits.Add(1)
	s.mu.Lock()
	body, status := s.body, s.status
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// setKeys makes the server publish keys from now on.
func (s *jwksServer) setKeys(t testing.TB, keys map[string]crypto.PublicKey) {
	t.Helper()
	set := jwkset.NewMemoryStorage()
	for kid, pub := range keys {
		jwk, err := jwkset.NewJWKFromKey(pub, jwkset.JWKOptions{
			Metadata: jwkset.JWKMetadataOptions{KID: kid, USE: jwkset.UseSig},
		})
		if err != nil {
			t.Fatalf("jwk %q: %v", kid, err)
		}
		if err := set.KeyWrite(context.Background(), jwk); err != nil {
			t.Fatalf("write jwk %q: %v", kid, err)
		}
	}
	body, err := set.JSONPublic(context.Background())
	if err != nil {
		t.Fatalf("encode jwks: %v", err)
	}
	s.setBody(body)
}

// setJSON makes the server publish v, encoded as JSON, from now on.
func (s *jwksServer) setJSON(t testing.TB, v any) {
	t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode jwks: %v", err)
	}
	s.setBody(body)
}

func (s *jwksServer) setBody(body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body = body
}

// setStatus makes the server answer with status from now on.
func (s *jwksServer) setStatus(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = status
}

// jwksOptions returns options that take keys from srv's JWK Set.
func jwksOptions(c *clock, srv *jwksServer) auth.Options {
	return auth.Options{
		Algorithms: []string{"RS256", "ES256"},
		Issuer:     testIssuer,
		Audience:   []string{testAudience},
		JWKSURL:    srv.URL + "/.well-known/jwks.json",
		HTTPClient: srv.Client(),
		Now:        c.Now,
	}
}
