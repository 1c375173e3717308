package server_test

import (
	"context"
	"crypto"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/cfverify"
	"github.com/edgepass/edgepass/pkg/config"
	"github.com/edgepass/edgepass/pkg/server"
)

const secret = "0123456789abcdef0123456789abcdef"

func writeKey(t *testing.T, dir, name string) *cfsign.KeyFiles {
	t.Helper()
	key, err := cfsign.GenerateKey(cfsign.ECDSA)
	if err != nil {
		t.Fatal(err)
	}
	kf := &cfsign.KeyFiles{Dir: dir, Name: name, Force: true}
	if err := kf.Write(key); err != nil {
		t.Fatal(err)
	}
	return kf
}

func testConfig(t *testing.T, keyFile string) *config.Config {
	t.Helper()
	yaml := `
cdn: {url: https://d111111abcdef8.cloudfront.net}
signing:
  keys: [{id: K2JCJMDEHXQW5F, private_key_file: "` + keyFile + `"}]
auth: {algorithms: [HS256], hmac_secret: "` + secret + `"}
grants: [{paths: ["/private/users/{sub}/*"]}]
`
	cfg, err := config.Parse([]byte(yaml), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func signedURL(t *testing.T, h http.Handler) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": "alice", "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet,
		"/v1/signed-url?path="+url.QueryEscape("/private/users/alice/a.jpg"), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusFound {
		t.Fatalf("GET signed-url = %d: %s", w.Code, w.Body)
	}
	return w.Header().Get("Location")
}

func verifies(t *testing.T, kf *cfsign.KeyFiles, signed string) bool {
	t.Helper()
	data, err := os.ReadFile(kf.PublicPath())
	if err != nil {
		t.Fatal(err)
	}
	pub, err := cfverify.ParsePublicKeyPEM(data)
	if err != nil {
		t.Fatal(err)
	}
	v := cfverify.Verifier{Keys: map[string]crypto.PublicKey{"K2JCJMDEHXQW5F": pub}}
	_, err = v.VerifyURL(signed, netip.Addr{})
	return err == nil
}

func newServer(t *testing.T, cfg *config.Config) *server.Server {
	t.Helper()
	srv, err := server.New(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// keyPairID returns the Key-Pair-Id of a signed URL.
func keyPairID(t *testing.T, signed string) string {
	t.Helper()
	u, err := url.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("Key-Pair-Id")
}

// A reload of the same configuration picks up new material in a key file.
func TestReloadSameKeyID(t *testing.T) {
	dir := t.TempDir()
	old := writeKey(t, dir, "k")
	oldPub, _ := os.ReadFile(old.PublicPath())
	cfg := testConfig(t, old.PrivatePath())
	srv := newServer(t, cfg)
	if u := signedURL(t, srv.Handler()); !verifies(t, old, u) {
		t.Fatalf("URL %q does not verify with the configured key", u)
	}

	fresh := writeKey(t, dir, "k")
	restart, err := srv.Reload(cfg)
	if err != nil || len(restart) > 0 {
		t.Fatalf("Reload(same config) = %q, %v; want nothing to restart", restart, err)
	}
	u := signedURL(t, srv.Handler())
	if !verifies(t, fresh, u) {
		t.Errorf("after reload, URL %q does not verify with the new key", u)
	}
	stale := &cfsign.KeyFiles{Dir: t.TempDir(), Name: "old"}
	if err := os.WriteFile(stale.PublicPath(), oldPub, 0o600); err != nil {
		t.Fatal(err)
	}
	if verifies(t, stale, u) {
		t.Error("after reload, URLs are still signed with the old key")
	}
}

// A rotation puts a new key ID first: after the reload it signs, and the
// old key stays loaded behind it.
func TestReloadNewKeyID(t *testing.T) {
	dir := t.TempDir()
	old := writeKey(t, dir, "old")
	srv := newServer(t, testConfig(t, old.PrivatePath()))
	if id := keyPairID(t, signedURL(t, srv.Handler())); id != "K2JCJMDEHXQW5F" {
		t.Fatalf("Key-Pair-Id before the rotation = %q, want K2JCJMDEHXQW5F", id)
	}

	fresh := writeKey(t, dir, "new")
	next := rotatedConfig(t, fresh.PrivatePath(), old.PrivatePath(), "")
	restart, err := srv.Reload(next)
	if err != nil || len(restart) > 0 {
		t.Fatalf("Reload(rotated) = %q, %v; want nothing to restart", restart, err)
	}
	if got, want := srv.KeyIDs(), []string{"KNEWKEY0001", "K2JCJMDEHXQW5F"}; !slices.Equal(got, want) {
		t.Errorf("KeyIDs after the rotation = %q, want %q", got, want)
	}
	if id := keyPairID(t, signedURL(t, srv.Handler())); id != "KNEWKEY0001" {
		t.Errorf("Key-Pair-Id after the rotation = %q, want KNEWKEY0001", id)
	}
}

// Sections other than signing are not applied by a reload; it names them.
func TestReloadNamesSectionsToRestart(t *testing.T) {
	dir := t.TempDir()
	old, fresh := writeKey(t, dir, "old"), writeKey(t, dir, "new")
	srv := newServer(t, testConfig(t, old.PrivatePath()))
	extra := "listen: \":9090\"\nurls: {ttl: 2h}\n"
	next := rotatedConfig(t, fresh.PrivatePath(), old.PrivatePath(), extra)

	for range 2 { // still unapplied, so named again
		restart, err := srv.Reload(next)
		if want := []string{"listen", "urls"}; err != nil || !slices.Equal(restart, want) {
			t.Errorf("Reload(listen and urls changed) = %q, %v; want %q", restart, err, want)
		}
	}
	if id := keyPairID(t, signedURL(t, srv.Handler())); id != "KNEWKEY0001" {
		t.Errorf("Key-Pair-Id after the rotation = %q, want KNEWKEY0001", id)
	}
}

// A reload whose keys do not all load keeps the keys in use.
func TestReloadFailureKeepsKeys(t *testing.T) {
	dir := t.TempDir()
	old := writeKey(t, dir, "old")
	broken := filepath.Join(dir, "broken.pem")
	if err := os.WriteFile(broken, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  *config.Config
		want string
	}{
		{"broken_new_key", rotatedConfig(t, broken, old.PrivatePath(), ""),
			"signing.keys[0] (KNEWKEY0001)"},
		{"missing_new_key", rotatedConfig(t, filepath.Join(dir, "none.pem"),
			old.PrivatePath(), ""), "signing.keys[0] (KNEWKEY0001)"},
		{"broken_old_key", rotatedConfig(t, old.PrivatePath(), broken, ""),
			"signing.keys[1] (K2JCJMDEHXQW5F)"},
	}
	srv := newServer(t, testConfig(t, old.PrivatePath()))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			restart, err := srv.Reload(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Reload = %q, %v; want an error naming %s", restart, err, tt.want)
			}
			if got := srv.KeyIDs(); !slices.Equal(got, []string{"K2JCJMDEHXQW5F"}) {
				t.Errorf("KeyIDs after a failed reload = %q, want [K2JCJMDEHXQW5F]", got)
			}
			if u := signedURL(t, srv.Handler()); !verifies(t, old, u) {
				t.Errorf("after a failed reload, URL %q does not verify with the old key", u)
			}
		})
	}
}

// rotatedConfig is testConfig with KNEWKEY0001 (newKey) put first and the
// old key after it, plus the YAML in extra.
func rotatedConfig(t *testing.T, newKey, oldKey, extra string) *config.Config {
	t.Helper()
	yaml := `
cdn: {url: https://d111111abcdef8.cloudfront.net}
signing:
  keys:
    - {id: KNEWKEY0001, private_key_file: "` + newKey + `"}
    - {id: K2JCJMDEHXQW5F, private_key_file: "` + oldKey + `"}
auth: {algorithms: [HS256], hmac_secret: "` + secret + `"}
grants: [{paths: ["/private/users/{sub}/*"]}]
` + extra
	cfg, err := config.Parse([]byte(yaml), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestNewRefusesMissingKey(t *testing.T) {
	cfg := testConfig(t, filepath.Join(t.TempDir(), "missing.pem"))
	_, err := server.New(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "signing.keys[0]") {
		t.Errorf("New with a missing key file = %v, want an error naming signing.keys[0]", err)
	}
}

// serving starts a server from the test config on a loopback port and
// returns its address, a function that ends Serve's context, and the
// channel Serve's result arrives on.
func serving(t *testing.T) (addr string, stop context.CancelFunc, done <-chan error) {
	t.Helper()
	kf := writeKey(t, t.TempDir(), "k")
	srv, err := server.New(context.Background(), testConfig(t, kf.PrivatePath()),
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() { result <- srv.Serve(ctx, ln) }()
	return ln.Addr().String(), cancel, result
}

// waitServe waits for Serve to return after its context ended.
func waitServe(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel = %v, want nil", err)
		}
	case <-time.After(server.DrainTimeout + 5*time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
}

func TestServeDrains(t *testing.T) {
	addr, stop, done := serving(t)
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet,
		"http://"+addr+"/healthz", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	stop()
	waitServe(t, done)
}

// TestServeHeaderLimit checks the header limit the README states: a
// request whose headers stay under MaxHeaderBytes is served, one whose
// headers are far over it is answered 431 before reaching the API. (Go's
// server lets a few KiB past the limit through; both sizes keep clear of
// that margin.)
func TestServeHeaderLimit(t *testing.T) {
	addr, stop, done := serving(t)
	defer waitServe(t, done)
	defer stop()

	for _, tt := range []struct {
		name string
		size int
		want int
	}{
		{"under_limit", server.MaxHeaderBytes - 2<<10, http.StatusOK},
		{"over_limit", server.MaxHeaderBytes + 8<<10, http.StatusRequestHeaderFieldsTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet,
				"http://"+addr+"/healthz", nil)
			req.Header.Set("X-Padding", strings.Repeat("a", tt.size))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.want {
				t.Errorf("GET /healthz with %d header bytes = %d, want %d",
					tt.size, res.StatusCode, tt.want)
			}
		})
	}
}
