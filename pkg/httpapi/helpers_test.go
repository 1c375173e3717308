package httpapi_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/auth"
	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/cfverify"
	"github.com/edgepass/edgepass/pkg/grant"
	"github.com/edgepass/edgepass/pkg/httpapi"
	"github.com/edgepass/edgepass/pkg/issuer"
)

const (
	cdn      = "https://d111111abcdef8.cloudfront.net"
	issuerID = "https://login.example.com/"
	audience = "edgepass"
)

// now is the clock of every test: tokens and policies are judged by it.
var now = time.Date(2026, 12, 3, 20, 7, 12, 0, time.UTC)

func clock() time.Time { return now }

// jwtKeys are the identity provider's keys in the tests.
type jwtKeys struct {
	rsa *rsa.PrivateKey
	ec  *ecdsa.PrivateKey
}

var idp = func() jwtKeys {
	r, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	e, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return jwtKeys{r, e}
}()

// server is an API under test with the verifier of what it signs.
type server struct {
	handler  http.Handler
	verifier *cfverify.Verifier
	metrics  *httpapi.Metrics
}

type serverOpts struct {
	keyType     cfsign.KeyType
	hash        cfsign.Hash
	key         crypto.Signer
	basePath    string
	tokenCookie string
	origins     []string
}

func newServer(t testing.TB, o serverOpts) server {
	t.Helper()
	key := o.key
	if key == nil {
		var err error
		if key, err = cfsign.GenerateKey(o.keyType); err != nil {
			t.Fatal(err)
		}
	}
	ring, err := cfsign.NewKeyRing(cfsign.Key{ID: "KTESTKEY", Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	cache, _ := cfsign.NewCache(1024)
	iss, err := issuer.New(issuer.Config{CDNURL: cdn, Now: clock},
		cfsign.NewSigner(ring, cfsign.Options{Hash: o.hash, Cache: cache}))
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(context.Background(), auth.Options{
		Algorithms: []string{"RS256", "ES256"},
		Issuer:     issuerID,
		Audience:   []string{audience},
		PublicKeys: []auth.PublicKey{
			{ID: "rsa-1", Key: idp.rsa.Public()}, {ID: "ec-1", Key: idp.ec.Public()},
		},
		Leeway: 30 * time.Second,
		Now:    clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	grants, err := grant.Compile([]grant.Rule{
		{Paths: []string{"/private/users/{sub}/*"}},
		{Paths: []string{"/private/premium/*"}, Claims: map[string]string{"plan": "premium"}},
		{Paths: []string{"/private/teams/{org}/*"}, Scope: "media:read"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := httpapi.NewMetrics(cache.Stats)
	h := httpapi.New(httpapi.Options{
		BasePath: o.basePath, Auth: a, Grants: grants, Issuer: iss,
		TokenCookie: o.tokenCookie, AllowedOrigins: o.origins, Metrics: m,
	})
	return server{h, &cfverify.Verifier{Keys: ring.PublicKeys(), Now: clock}, m}
}

// claims returns valid claims for sub, with extra claims merged in; a nil
// extra value deletes the claim.
func claims(sub string, extra map[string]any) jwt.MapClaims {
	c := jwt.MapClaims{
		"sub": sub, "iss": issuerID, "aud": audience,
		"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(),
	}
	for k, v := range extra {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func token(t testing.TB, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, c)
	tok.Header["kid"] = "ec-1"
	s, err := tok.SignedString(idp.ec)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func rsToken(t testing.TB, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	tok.Header["kid"] = "rsa-1"
	s, err := tok.SignedString(idp.rsa)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// do sends a request through the real router.
func (s server) do(t testing.TB, method, target, tok, body string) *http.Response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	s.handler.ServeHTTP(w, req)
	return w.Result()
}

func decodeBody(t testing.TB, res *http.Response, v any) {
	t.Helper()
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("decode %d response: %v", res.StatusCode, err)
	}
}

type problemBody struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	RequestID string `json:"request_id"`
}

// expectProblem checks a problem+json answer with the given status.
func expectProblem(t *testing.T, res *http.Response, status int) problemBody {
	t.Helper()
	if res.StatusCode != status {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("status = %d, want %d; body %s", res.StatusCode, status, b)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	var p problemBody
	decodeBody(t, res, &p)
	if p.Status != status || p.Title == "" || p.Type == "" {
		t.Errorf("problem = %+v, want status %d with type and title", p, status)
	}
	return p
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
