package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/config"
	"github.com/edgepass/edgepass/pkg/server"
)

// jwksFor returns a JWKS document holding the public half of key.
func jwksFor(t *testing.T, key *ecdsa.PrivateKey, kid string) string {
	t.Helper()
	pub, err := key.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	return fmt.Sprintf(`{"keys":[{"kty":"EC","crv":"P-256","use":"sig","alg":"ES256",`+
		`"kid":%q,"x":%q,"y":%q}]}`, kid, b64(pub[1:33]), b64(pub[33:]))
}

// TestJWKSOutage starts the service while its identity provider's JWKS
// endpoint fails: it is not ready, counts the failed fetches in
// /metrics and refuses tokens; once the endpoint answers, it becomes
// ready and accepts them, with no restart.
func TestJWKSOutage(t *testing.T) {
	idp, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var up atomic.Bool
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if !up.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, jwksFor(t, idp, "idp-1"))
	}))
	defer jwks.Close()

	kf := writeKey(t, t.TempDir(), "k")
	cfg, err := config.Parse([]byte(`
cdn: {url: https://d111111abcdef8.cloudfront.net}
signing:
  keys: [{id: K2JCJMDEHXQW5F, private_key_file: "`+kf.PrivatePath()+`"}]
auth: {algorithms: [ES256], jwks_url: "`+jwks.URL+`/jwks.json"}
grants: [{paths: ["/private/users/{sub}/*"]}]
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("server.New with the JWKS endpoint down = %v, want a server", err)
	}
	defer srv.Close()
	h := srv.Handler()

	tok := signedToken(t, idp, "idp-1")

	if code := status(h, http.MethodGet, "/readyz", ""); code != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz during the outage = %d, want 503", code)
	}
	if code := status(h, http.MethodGet, "/v1/signed-url?path=/private/users/alice/a.jpg", tok); code != 401 {
		t.Errorf("token during the outage = %d, want 401", code)
	}
	if n := jwksErrors(t, h); n < 1 {
		t.Errorf("edgepass_jwks_refresh_errors_total = %d, want at least 1", n)
	}

	// The service fetches again by itself, within seconds.
	up.Store(true)
	deadline := time.Now().Add(30 * time.Second)
	for status(h, http.MethodGet, "/readyz", "") != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("not ready 30 s after the JWKS endpoint came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code := status(h, http.MethodGet, "/v1/signed-url?path=/private/users/alice/a.jpg", tok); code != 302 {
		t.Errorf("token after the outage = %d, want 302", code)
	}
}

// signedToken returns an ES256 token for alice whose header names kid.
func signedToken(t *testing.T, key *ecdsa.PrivateKey, kid string) string {
	t.Helper()
	tk := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.MapClaims{
		"sub": "alice", "exp": time.Now().Add(time.Hour).Unix(),
	})
	tk.Header["kid"] = kid
	s, err := tk.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func status(h http.Handler, method, target, tok string) int {
	req := httptest.NewRequest(method, target, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

var jwksErrorsLine = regexp.MustCompile(`(?m)^edgepass_jwks_refresh_errors_total (\d+)`)

func jwksErrors(t *testing.T, h http.Handler) int {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	m := jwksErrorsLine.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no edgepass_jwks_refresh_errors_total in /metrics:\n%s",
			strings.TrimSpace(rec.Body.String()))
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
