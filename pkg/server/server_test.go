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

func TestReloadKeys(t *testing.T) {
	dir := t.TempDir()
	old := writeKey(t, dir, "k")
	oldPub, _ := os.ReadFile(old.PublicPath())
	srv, err := server.New(context.Background(), testConfig(t, old.PrivatePath()),
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if u := signedURL(t, srv.Handler()); !verifies(t, old, u) {
		t.Fatalf("URL %q does not verify with the configured key", u)
	}

	// A rotated key file is picked up by ReloadKeys.
	fresh := writeKey(t, dir, "k")
	if err := srv.ReloadKeys(); err != nil {
		t.Fatal(err)
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

	// A broken key file fails the reload and keeps the key in use.
	if err := os.WriteFile(fresh.PrivatePath(), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := srv.ReloadKeys(); err == nil || !strings.Contains(err.Error(), "signing.keys[0]") {
		t.Errorf("ReloadKeys with a broken file = %v, want an error naming signing.keys[0]", err)
	}
	if u := signedURL(t, srv.Handler()); !verifies(t, fresh, u) {
		t.Errorf("after a failed reload, URL %q does not verify with the last good key", u)
	}
}

func TestNewRefusesMissingKey(t *testing.T) {
	cfg := testConfig(t, filepath.Join(t.TempDir(), "missing.pem"))
	_, err := server.New(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "signing.keys[0]") {
		t.Errorf("New with a missing key file = %v, want an error naming signing.keys[0]", err)
	}
}

func TestServeDrains(t *testing.T) {
	kf := writeKey(t, t.TempDir(), "k")
	srv, err := server.New(context.Background(), testConfig(t, kf.PrivatePath()),
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()

	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet,
		"http://"+ln.Addr().String()+"/healthz", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel = %v, want nil", err)
		}
	case <-time.After(server.DrainTimeout + 5*time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
}
