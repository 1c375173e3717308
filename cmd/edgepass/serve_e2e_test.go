package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

// Identities of the end-to-end service.
const (
	e2eCDN      = "https://d111111abcdef8.cloudfront.net"
	e2eIssuer   = "https://login.e2e.test/"
	e2eJWTKeyID = "e2e-jwt"
	e2eKey1     = "K1E2ETESTKEY"
	e2eKey2     = "K2E2ETESTKEY"
	e2eKey3     = "K3E2ETESTKEY" // added by the rotation
)

// kubernetesEnv holds what Kubernetes sets in the environment of a pod
// behind a Service named edgepass: none of it names a key.
var kubernetesEnv = []string{
	"EDGEPASS_SERVICE_HOST=10.96.0.12",
	"EDGEPASS_SERVICE_PORT=8080",
	"EDGEPASS_PORT=tcp://10.96.0.12:8080",
	"EDGEPASS_PORT_8080_TCP=tcp://10.96.0.12:8080",
	"EDGEPASS_PORT_8080_TCP_PROTO=tcp",
	"EDGEPASS_PORT_8080_TCP_PORT=8080",
	"EDGEPASS_PORT_8080_TCP_ADDR=10.96.0.12",
}

// e2eWait bounds every wait on the service: start-up, a log line, a reload,
// the drain and the exit. It guards against a hang; no assertion depends
// on how fast anything happens.
const e2eWait = 30 * time.Second

// TestServeEndToEnd builds edgepass, runs "serve" with a config file on a
// loopback port and Kubernetes' variables in its environment, and drives it
// as its operators and callers would: real JWTs, signed URLs and cookies
// checked by pkg/cfverify, key rotations by SIGHUP, failed reloads, and a
// SIGTERM drain that lets every in-flight request finish.
func TestServeEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := buildEdgepass(t, dir)
	e := newE2E(t, bin, dir)
	svc := startServe(t, bin, e.config, kubernetesEnv...)
	svc.waitReady(t)

	t.Run("unknown_env_warned", func(t *testing.T) { checkUnknownEnv(t, svc) })
	t.Run("signed_urls", func(t *testing.T) {
		u := svc.signedURL(t, e.token, "/private/users/alice/a.jpg")
		e.mustVerifyURL(t, u, e.keys, e2eKey1)
	})
	t.Run("signed_cookies", func(t *testing.T) { e.checkCookies(t, svc) })
	t.Run("reload_keys_on_sighup", func(t *testing.T) { e.checkReload(t, svc) })
	t.Run("rotate_key_id_on_sighup", func(t *testing.T) { e.checkRotation(t, svc) })
	t.Run("bad_config_reload_keeps_keys", func(t *testing.T) {
		e.checkBadConfigReload(t, svc)
	})
	t.Run("failed_reload_keeps_keys", func(t *testing.T) {
		e.checkFailedReload(t, svc)
	})
	t.Run("drain_on_sigterm", func(t *testing.T) { e.checkDrain(t, svc) })
}

// buildEdgepass builds the command into dir and returns the binary's path.
func buildEdgepass(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	bin := filepath.Join(dir, "edgepass")
	build := exec.CommandContext(t.Context(), goTool, "build", "-buildvcs=false",
		"-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// e2e holds the files and keys of one end-to-end run.
type e2e struct {
	bin, dir string
	config   string
	jwtPub   string
	active   string // ID of the key that signs
	keyFile  string // private key of the active key
	keys     map[string]crypto.PublicKey
	token    string
}

func newE2E(t *testing.T, bin, dir string) *e2e {
	t.Helper()
	e := &e2e{bin: bin, dir: dir, keys: map[string]crypto.PublicKey{}}
	e.active, e.keyFile = e2eKey1, e.privateKey("k1")
	e.keys[e2eKey1] = e.keygen(t, "k1")
	e.keys[e2eKey2] = e.keygen(t, "k2")

	jwtKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	e.jwtPub = filepath.Join(dir, "jwt.pub.pem")
	writePublicKey(t, e.jwtPub, &jwtKey.PublicKey)
	e.token = signJWT(t, jwtKey, "alice")

	e.config = filepath.Join(dir, "edgepass.yaml")
	e.writeConfig(t, "", e2eKey1, "k1", e2eKey2, "k2")
	return e
}

// writeConfig writes the config file with the YAML in extra and with
// signing keys given as pairs of ID and key pair name, in order.
func (e *e2e) writeConfig(t *testing.T, extra string, keys ...string) {
	t.Helper()
	var list strings.Builder
	for i := 0; i+1 < len(keys); i += 2 {
		fmt.Fprintf(&list, "    - {id: %s, private_key_file: %q}\n",
			keys[i], e.privateKey(keys[i+1]))
	}
	writeFile(t, e.config, fmt.Sprintf(`listen: 127.0.0.1:0
cdn: {url: %q}
signing:
  hash: sha256
  keys:
%sauth:
  algorithms: [ES256]
  issuer: %q
  audience: [edgepass]
  public_keys: [{id: %s, file: %q}]
grants:
  - paths: ["/private/users/{sub}/*"]
%s`, e2eCDN, list.String(), e2eIssuer, e2eJWTKeyID, e.jwtPub, extra))
}

// privateKey returns the path of the private key of the key pair name.
func (e *e2e) privateKey(name string) string {
	return filepath.Join(e.dir, "keys", name+".pem")
}

// keygen makes (or replaces) the key pair name with the binary's own
// keygen, as an operator would, and returns the public key.
func (e *e2e) keygen(t *testing.T, name string) crypto.PublicKey {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), e.bin, "keygen", "--name", name,
		"--dir", filepath.Join(e.dir, "keys"), "--force")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("edgepass keygen --name %s: %v", name, err)
	}
	data, err := os.ReadFile(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := cfverify.ParsePublicKeyPEM(data)
	if err != nil {
		t.Fatalf("ParsePublicKeyPEM(keygen output): %v", err)
	}
	return pub
}

func writePublicKey(t *testing.T, path string, pub *ecdsa.PublicKey) {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// signJWT returns an ES256 token for sub, valid for ten minutes.
func signJWT(t *testing.T, key *ecdsa.PrivateKey, sub string) string {
	t.Helper()
	now := time.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.RegisteredClaims{
		Subject:   sub,
		Issuer:    e2eIssuer,
		Audience:  jwt.ClaimStrings{"edgepass"},
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(10 * time.Minute)),
	})
	tok.Header["kid"] = e2eJWTKeyID
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mustVerifyURL checks a signed URL as CloudFront would, with keys, and
// that wantKeyID signed it.
func (e *e2e) mustVerifyURL(t *testing.T, rawURL string,
	keys map[string]crypto.PublicKey, wantKeyID string) {
	t.Helper()
	v := cfverify.Verifier{Keys: keys}
	res, err := v.VerifyURL(rawURL, netip.Addr{})
	if err != nil {
		t.Fatalf("VerifyURL(%q) = %v, want valid", rawURL, err)
	}
	if res.KeyID != wantKeyID || res.Hash != "sha256" {
		t.Errorf("VerifyURL(%q) = key %q hash %q, want %q sha256",
			rawURL, res.KeyID, res.Hash, wantKeyID)
	}
}

func (e *e2e) checkCookies(t *testing.T, svc *service) {
	resp, body := svc.post(t, "/v1/signed-cookies", e.token, "{}")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /v1/signed-cookies = %d %s, want 200", resp.StatusCode, body)
	}
	var out struct {
		Cookies []struct{ Name, Value, Path string }
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("cookies body %s: %v", body, err)
	}
	jar := map[string]string{}
	for _, c := range out.Cookies {
		if c.Path != "/private/users/alice/" {
			t.Errorf("cookie %s path = %q, want /private/users/alice/", c.Name, c.Path)
		}
		jar[c.Name] = c.Value
	}
	if got, want := len(resp.Cookies()), len(out.Cookies); got != want || got == 0 {
		t.Errorf("Set-Cookie headers = %d, body cookies = %d; want equal, > 0", got, want)
	}

	v := cfverify.Verifier{Keys: e.keys}
	own := e2eCDN + "/private/users/alice/photos/b.jpg"
	if res, err := v.VerifyCookies(own, jar, netip.Addr{}); err != nil {
		t.Errorf("VerifyCookies(%q) = %v, want valid", own, err)
	} else if res.KeyID != e2eKey1 {
		t.Errorf("VerifyCookies(%q) key = %q, want %q", own, res.KeyID, e2eKey1)
	}
	other := e2eCDN + "/private/users/bob/b.jpg"
	if _, err := v.VerifyCookies(other, jar, netip.Addr{}); !errors.Is(err,
		cfverify.ErrResourceMismatch) {
		t.Errorf("VerifyCookies(%q) = %v, want %v", other, err, cfverify.ErrResourceMismatch)
	}
}

// checkReload rotates the first key's material in place, as a secret
// store would, and expects the next URL to be signed with it.
func (e *e2e) checkReload(t *testing.T, svc *service) {
	const path = "/private/users/alice/a.jpg"
	before := svc.signedURL(t, e.token, path)
	oldKeys := e.keys
	e.keys = map[string]crypto.PublicKey{e2eKey1: e.keygen(t, "k1"), e2eKey2: oldKeys[e2eKey2]}

	svc.signal(t, syscall.SIGHUP)
	line := svc.logs.next(t, "keys reloaded")
	if got := fmt.Sprint(line["key_ids"]); got != fmt.Sprint([]string{e2eKey1, e2eKey2}) {
		t.Errorf("keys reloaded key_ids = %s, want [%s %s]", got, e2eKey1, e2eKey2)
	}

	after := svc.signedURL(t, e.token, path)
	if after == before {
		t.Errorf("signed URL after reload = the one before, %q", after)
	}
	e.mustVerifyURL(t, after, e.keys, e2eKey1)
	v := cfverify.Verifier{Keys: oldKeys}
	if _, err := v.VerifyURL(after, netip.Addr{}); !errors.Is(err, cfverify.ErrBadSignature) {
		t.Errorf("VerifyURL(%q) with the old key = %v, want %v", after, err,
			cfverify.ErrBadSignature)
	}
}

// checkRotation rotates as README's "Rotation" says: a new key pair whose
// ID goes first in the config file, the old keys after it, then SIGHUP.
// The next URL must carry the new Key-Pair-Id, URLs signed before must
// still verify, and the change to cors, which a reload does not apply,
// must be named in a warning.
func (e *e2e) checkRotation(t *testing.T, svc *service) {
	const path = "/private/users/alice/a.jpg"
	before := svc.signedURL(t, e.token, path)
	e.keys[e2eKey3] = e.keygen(t, "k3")
	e.writeConfig(t, "cors: {allowed_origins: [https://app.e2e.test]}\n",
		e2eKey3, "k3", e2eKey1, "k1", e2eKey2, "k2")

	svc.signal(t, syscall.SIGHUP)
	line := svc.logs.next(t, "keys reloaded")
	want := []string{e2eKey3, e2eKey1, e2eKey2}
	if got := fmt.Sprint(line["key_ids"]); got != fmt.Sprint(want) {
		t.Errorf("keys reloaded key_ids = %s, want %s", got, want)
	}
	warn := svc.logs.next(t, "config changes need a restart")
	if got := fmt.Sprint(warn["sections"]); got != "[cors]" || warn["level"] != "WARN" {
		t.Errorf("config changes need a restart: level %v, sections %s; want WARN [cors]",
			warn["level"], got)
	}
	e.active, e.keyFile = e2eKey3, e.privateKey("k3")

	after := svc.signedURL(t, e.token, path)
	if id := keyPairID(t, after); id != e2eKey3 {
		t.Errorf("Key-Pair-Id of %q = %q, want %q", after, id, e2eKey3)
	}
	e.mustVerifyURL(t, after, e.keys, e2eKey3)
	e.mustVerifyURL(t, before, e.keys, e2eKey1)
}

func keyPairID(t *testing.T, signed string) string {
	t.Helper()
	u, err := url.Parse(signed)
	if err != nil {
		t.Fatalf("url.Parse(%q): %v", signed, err)
	}
	return u.Query().Get("Key-Pair-Id")
}

// checkBadConfigReload writes a config file that names a new first key but
// does not validate, and expects the reload to fail naming the bad key,
// with the keys in use kept. It then puts the good file back.
func (e *e2e) checkBadConfigReload(t *testing.T, svc *service) {
	good, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	defer writeFile(t, e.config, string(good))
	e.writeConfig(t, "urls: {ttl: soon}\n", e2eKey2, "k2", e2eKey3, "k3")

	svc.signal(t, syscall.SIGHUP)
	line := svc.logs.next(t, "config reload failed, keeping current keys")
	if msg := fmt.Sprint(line["err"]); !strings.Contains(msg, "urls.ttl") {
		t.Errorf("config reload failed err = %q, want it to name urls.ttl", msg)
	}
	if line["level"] != "ERROR" {
		t.Errorf("config reload failed level = %v, want ERROR", line["level"])
	}
	u := svc.signedURL(t, e.token, "/private/users/alice/b.jpg")
	e.mustVerifyURL(t, u, e.keys, e.active)
}

// checkUnknownEnv expects one warning per Kubernetes variable, naming it
// and never showing its value.
func checkUnknownEnv(t *testing.T, svc *service) {
	var got []string
	for _, line := range svc.logs.all("environment variable ignored") {
		got = append(got, fmt.Sprint(line["variable"]))
		if line["level"] != "WARN" {
			t.Errorf("environment variable ignored level = %v, want WARN", line["level"])
		}
	}
	var want []string
	for _, kv := range kubernetesEnv {
		want = append(want, strings.SplitN(kv, "=", 2)[0])
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("environment variable ignored for %q, want %q", got, want)
	}
	if logs := svc.logs.text(); strings.Contains(logs, "10.96.0.12") {
		t.Errorf("log shows a variable's value:\n%s", logs)
	}
}

// checkFailedReload breaks the active key's file and expects the service
// to keep signing with the last good key.
func (e *e2e) checkFailedReload(t *testing.T, svc *service) {
	writeFile(t, e.keyFile, "not a key\n")
	svc.signal(t, syscall.SIGHUP)
	line := svc.logs.next(t, "key reload failed, keeping current keys")
	if msg := fmt.Sprint(line["err"]); !strings.Contains(msg, "signing.keys[0]") {
		t.Errorf("key reload failed err = %q, want it to name signing.keys[0]", msg)
	}
	if line["level"] != "ERROR" {
		t.Errorf("key reload failed level = %v, want ERROR", line["level"])
	}
	u := svc.signedURL(t, e.token, "/private/users/alice/c.jpg")
	e.mustVerifyURL(t, u, e.keys, e.active)
	if code := svc.get(t, "/readyz"); code != http.StatusOK {
		t.Errorf("GET /readyz after a failed reload = %d, want 200", code)
	}
}

// checkDrain holds several requests in flight, sends SIGTERM, and expects
// the listener to close, every held request to succeed, and a clean exit.
func (e *e2e) checkDrain(t *testing.T, svc *service) {
	const n = 4
	held := make([]*heldRequest, n)
	for i := range held {
		held[i] = svc.hold(t, e.token, fmt.Sprintf("/private/users/alice/held-%d.jpg", i))
	}
	// The first request is mid-body when the signal comes.
	held[0].writeHalf(t)

	svc.signal(t, syscall.SIGTERM)
	svc.logs.next(t, "draining")
	svc.waitRefused(t)

	for _, h := range held {
		h.finish(t)
	}
	for i, h := range held {
		u := h.result(t)
		if !strings.HasSuffix(strings.SplitN(u, "?", 2)[0], fmt.Sprintf("/held-%d.jpg", i)) {
			t.Errorf("held request %d got URL %q, want one for held-%d.jpg", i, u, i)
		}
		e.mustVerifyURL(t, u, e.keys, e.active)
	}
	if code := svc.wait(t); code != exitOK {
		t.Errorf("edgepass serve exit code after SIGTERM = %d, want 0", code)
	}
	svc.logs.next(t, "stopped")
}

// service is a running "edgepass serve".
type service struct {
	cmd    *exec.Cmd
	logs   *logWatch
	addr   string
	base   string
	client *http.Client
	exited chan struct{}
	err    error // from Wait, once exited is closed
}

// startServe starts the binary with config and the variables in env, and
// waits for its address.
func startServe(t *testing.T, bin, config string, env ...string) *service {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--config", config)
	cmd.Env = append(withoutEdgepassEnv(os.Environ()), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	svc := &service{cmd: cmd, logs: watchLogs(stderr), exited: make(chan struct{}),
		client: &http.Client{Timeout: e2eWait}}
	go func() {
		<-svc.logs.done // Wait closes the pipe: read it to the end first
		svc.err = cmd.Wait()
		close(svc.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-svc.exited
		if t.Failed() {
			t.Logf("edgepass serve log:\n%s", svc.logs.text())
		}
	})

	svc.addr = fmt.Sprint(svc.logs.next(t, "serving")["addr"])
	svc.base = "http://" + svc.addr
	return svc
}

// withoutEdgepassEnv drops EDGEPASS_* variables, which would override the
// test's config file.
func withoutEdgepassEnv(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		return strings.HasPrefix(kv, "EDGEPASS_")
	})
}

func (s *service) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %v: %v", sig, err)
	}
}

// waitReady polls /readyz until it answers 200.
func (s *service) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(e2eWait)
	for {
		code := s.get(t, "/readyz")
		if code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /readyz = %d after %s, want 200", code, e2eWait)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitRefused polls until a new connection is refused: the listener is
// closed while requests are still in flight.
func (s *service) waitRefused(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(e2eWait)
	var d net.Dialer
	for {
		conn, err := d.DialContext(t.Context(), "tcp", s.addr)
		if errors.Is(err, syscall.ECONNREFUSED) {
			return
		}
		if err == nil {
			conn.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("dial %s while draining = %v, want connection refused", s.addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// wait waits for the process to exit and returns its exit code.
func (s *service) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-s.exited:
	case <-time.After(e2eWait):
		t.Fatalf("edgepass serve still running %s after SIGTERM", e2eWait)
	}
	var exit *exec.ExitError
	if errors.As(s.err, &exit) {
		return exit.ExitCode()
	}
	if s.err != nil {
		t.Fatalf("edgepass serve: %v", s.err)
	}
	return exitOK
}

func (s *service) get(t *testing.T, path string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func (s *service) post(t *testing.T, path, token, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.base+path,
		strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("POST %s: read body: %v", path, err)
	}
	return resp, data
}

// signedURL asks the service for one signed URL.
func (s *service) signedURL(t *testing.T, token, path string) string {
	t.Helper()
	resp, body := s.post(t, "/v1/signed-urls", token, urlsBody(path))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /v1/signed-urls %s = %d %s, want 200", path, resp.StatusCode, body)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("POST /v1/signed-urls Cache-Control = %q, want no-store", cc)
	}
	return singleURL(t, body)
}

func urlsBody(path string) string {
	b, _ := json.Marshal(map[string][]string{"paths": {path}})
	return string(b)
}

func singleURL(t *testing.T, body []byte) string {
	t.Helper()
	var out struct{ URLs []struct{ URL string } }
	if err := json.Unmarshal(body, &out); err != nil || len(out.URLs) != 1 {
		t.Fatalf("signed-urls body %s: want one URL (%v)", body, err)
	}
	return out.URLs[0].URL
}

// heldRequest is a POST /v1/signed-urls whose handler is running and
// reading a body the test has not finished sending.
type heldRequest struct {
	body    []byte
	sent    int
	w       *io.PipeWriter
	done    chan struct{}
	status  int
	payload []byte
	err     error
}

// hold starts a request with "Expect: 100-continue" and returns once the
// server has asked for the body, which it does only when the handler
// starts reading it: from then on the request is in flight.
func (s *service) hold(t *testing.T, token, path string) *heldRequest {
	t.Helper()
	pr, pw := io.Pipe()
	h := &heldRequest{body: []byte(urlsBody(path)), w: pw, done: make(chan struct{})}
	asked := make(chan struct{})
	trace := &httptrace.ClientTrace{Got100Continue: func() { close(asked) }}
	ctx := httptrace.WithClientTrace(t.Context(), trace)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/v1/signed-urls", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(h.body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Expect", "100-continue")

	// One connection per held request, so that each is its own in-flight
	// request and none waits in a keep-alive pool.
	client := &http.Client{Transport: &http.Transport{
		DisableKeepAlives: true, ExpectContinueTimeout: e2eWait}}
	go h.do(client, req)
	select {
	case <-asked:
	case <-h.done:
		t.Fatalf("held request for %s ended early: %d %s %v", path, h.status, h.payload, h.err)
	case <-time.After(e2eWait):
		t.Fatalf("held request for %s: no 100 Continue after %s", path, e2eWait)
	}
	return h
}

func (h *heldRequest) do(client *http.Client, req *http.Request) {
	defer close(h.done)
	resp, err := client.Do(req)
	if err != nil {
		h.err = err
		return
	}
	defer resp.Body.Close()
	h.status = resp.StatusCode
	h.payload, h.err = io.ReadAll(resp.Body)
}

// writeHalf sends the first half of the body; it returns once the client
// has taken those bytes to send.
func (h *heldRequest) writeHalf(t *testing.T) {
	t.Helper()
	half := len(h.body) / 2
	if _, err := h.w.Write(h.body[:half]); err != nil {
		t.Fatalf("write first half of body: %v", err)
	}
	h.sent = half
}

// finish sends the rest of the body.
func (h *heldRequest) finish(t *testing.T) {
	t.Helper()
	if _, err := h.w.Write(h.body[h.sent:]); err != nil {
		t.Fatalf("write rest of body: %v", err)
	}
	h.sent = len(h.body)
	h.w.Close()
}

// result waits for the response and returns its signed URL.
func (h *heldRequest) result(t *testing.T) string {
	t.Helper()
	select {
	case <-h.done:
	case <-time.After(e2eWait):
		t.Fatalf("held request: no response %s after its body was sent", e2eWait)
	}
	if h.err != nil || h.status != http.StatusOK {
		t.Fatalf("held request = %d %s (%v), want 200", h.status, h.payload, h.err)
	}
	return singleURL(t, h.payload)
}

// logWatch collects the service's JSON log lines from stderr.
type logWatch struct {
	mu     sync.Mutex
	lines  []string
	more   chan struct{} // closed, then replaced, when a line arrives
	cursor int           // lines before it were matched already
	done   chan struct{} // closed at the end of the stream
}

func watchLogs(r io.Reader) *logWatch {
	w := &logWatch{more: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			w.mu.Lock()
			w.lines = append(w.lines, sc.Text())
			close(w.more)
			w.more = make(chan struct{})
			w.mu.Unlock()
		}
	}()
	return w
}

// next waits for the first line after the previous match whose "msg" is
// msg, and returns it decoded.
func (w *logWatch) next(t *testing.T, msg string) map[string]any {
	t.Helper()
	timeout := time.After(e2eWait)
	for {
		w.mu.Lock()
		for ; w.cursor < len(w.lines); w.cursor++ {
			var line map[string]any
			if json.Unmarshal([]byte(w.lines[w.cursor]), &line) == nil && line["msg"] == msg {
				w.cursor++
				w.mu.Unlock()
				return line
			}
		}
		more := w.more
		w.mu.Unlock()

		select {
		case <-more:
		case <-w.done:
			w.mu.Lock()
			ended := w.cursor == len(w.lines)
			w.mu.Unlock()
			if ended {
				t.Fatalf("log ended without %q:\n%s", msg, w.text())
			}
		case <-timeout:
			t.Fatalf("no %q log line after %s:\n%s", msg, e2eWait, w.text())
		}
	}
}

// all returns every line so far whose "msg" is msg, decoded, wherever the
// cursor of next stands.
func (w *logWatch) all(msg string) []map[string]any {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []map[string]any
	for _, text := range w.lines {
		var line map[string]any
		if json.Unmarshal([]byte(text), &line) == nil && line["msg"] == msg {
			out = append(out, line)
		}
	}
	return out
}

func (w *logWatch) text() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.lines, "\n")
}

// TestServeBadConfig expects "serve" to refuse a configuration it cannot
// run, exit 1, and name what is wrong.
func TestServeBadConfig(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := buildEdgepass(t, dir)
	e := newE2E(t, bin, dir)
	good, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, config, want string
		env                []string
	}{
		{"missing_cdn_url", dropLine(string(good), "cdn:"), "cdn.url", nil},
		{"unknown_key", string(good) + "cdn_url: x\n", "cdn_url", nil},
		{"missing_key_file", strings.Replace(string(good), e.keyFile,
			filepath.Join(dir, "none.pem"), 1), "signing.keys[0]", nil},
		{"bad_listen", strings.Replace(string(good), "127.0.0.1:0",
			"127.0.0.1:99999", 1), "listen", nil},
		{"bad_env_value", string(good), "urls.ttl",
			append([]string{"EDGEPASS_URLS_TTL=soon"}, kubernetesEnv...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".yaml")
			writeFile(t, path, tt.config)
			ctx, cancel := context.WithTimeout(t.Context(), e2eWait)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "serve", "--config", path)
			cmd.Env = append(withoutEdgepassEnv(os.Environ()), tt.env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitFail {
				t.Fatalf("edgepass serve = %v, stderr %q; want exit 1", err, stderr.String())
			}
			// Warnings about variables may be logged before the error.
			msg := dropLine(stderr.String(), "{")
			if !strings.HasPrefix(msg, "edgepass serve: ") ||
				!strings.Contains(msg, tt.want) {
				t.Errorf("edgepass serve stderr = %q, want edgepass serve: … %s", msg, tt.want)
			}
		})
	}
}

func dropLine(text, prefix string) string {
	lines := strings.SplitAfter(text, "\n")
	return strings.Join(slices.DeleteFunc(lines, func(l string) bool {
		return strings.HasPrefix(l, prefix)
	}), "")
}
