package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// devRun is one `edgepass dev` running in-process.
type devRun struct {
	origin  string   // http://localhost:PORT, from the printed guide
	guide   string   // what it printed on stdout
	created []string // the files stderr says it made
	stop    func() int
}

var demoPageLine = regexp.MustCompile(`(?m)^demo page +(http://localhost:\d+)/$`)

// startDev runs `edgepass dev` with args until it says it is serving,
// and returns what it printed; stop ends it and returns its exit code.
func startDev(t *testing.T, args ...string) *devRun {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	var stdout bytes.Buffer
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- runDevUntil(ctx, args, &stdout, pw)
		_ = pw.Close()
	}()

	r := &devRun{}
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		line := lines.Text()
		if f, ok := strings.CutPrefix(line, "created "); ok {
			r.created = append(r.created, f)
		}
		if strings.HasPrefix(line, "serving ") {
			break
		}
	}
	if err := lines.Err(); err != nil {
		t.Fatal(err)
	}
	// The log goes on after start-up; keep reading it so it never blocks.
	logDone := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, pr)
		close(logDone)
	}()
	r.stop = func() int {
		cancel()
		c := <-code
		<-logDone
		return c
	}

	// The guide is written before the serving line, so it is whole.
	r.guide = stdout.String()
	m := demoPageLine.FindStringSubmatch(r.guide)
	if m == nil {
		cancel()
		t.Fatalf("edgepass dev exited with %d; stdout %q, want a demo page line",
			<-code, r.guide)
	}
	r.origin = m[1]
	return r
}

// TestDev runs `edgepass dev` twice on one key folder: the first run
// makes the keys and serves the demo, its printed token command works,
// and the second run makes nothing.
func TestDev(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys")
	r := startDev(t, "--port", "0", "--keys", keys)
	want := []string{filepath.Join(keys, "dev.pem"), filepath.Join(keys, "dev.pub.pem"),
		filepath.Join(keys, "dev.secret")}
	if strings.Join(r.created, " ") != strings.Join(want, " ") {
		t.Errorf("edgepass dev created %q, want %q", r.created, want)
	}
	for _, s := range []string{"issuer API   " + r.origin + "/edgepass/v1/",
		"walk-through (bash", "# 1. ", "curl -sS "} {
		if !strings.Contains(r.guide, s) {
			t.Errorf("guide lacks %q:\n%s", s, r.guide)
		}
	}
	if got := httpStatus(t, r.origin+"/"); got != http.StatusOK {
		t.Errorf("GET %s/: %d, want 200", r.origin, got)
	}
	alice := r.origin + "/private/users/alice/cat.svg"
	if got := httpStatus(t, alice); got != http.StatusForbidden {
		t.Errorf("GET %s unsigned: %d, want 403", alice, got)
	}
	checkPrintedTokenCommand(t, r.guide, keys)
	if code := r.stop(); code != exitOK {
		t.Errorf("edgepass dev stopped with exit %d, want 0", code)
	}

	again := startDev(t, "--port", "0", "--keys", keys)
	if len(again.created) != 0 {
		t.Errorf("second edgepass dev created %q, want nothing", again.created)
	}
	if code := again.stop(); code != exitOK {
		t.Errorf("second edgepass dev stopped with exit %d, want 0", code)
	}
}

// checkPrintedTokenCommand runs the guide's "dev token" command line
// in-process and checks the token carries what it asks for.
func checkPrintedTokenCommand(t *testing.T, guide, keys string) {
	t.Helper()
	_, line, ok := strings.Cut(guide, "dev token    edgepass ")
	if !ok {
		t.Fatalf("guide has no dev token line:\n%s", guide)
	}
	line, _, _ = strings.Cut(line, "\n")
	args := strings.Fields(line)
	if !strings.Contains(line, "--keys "+keys) {
		t.Errorf("token command %q does not name the key folder %s", line, keys)
	}
	r := edgepass(args...)
	if r.code != exitOK {
		t.Fatalf("edgepass %s: %v", line, r)
	}
	claims := tokenClaims(t, strings.TrimSpace(r.stdout), keys)
	if claims["sub"] != "alice" || claims["plan"] != "premium" {
		t.Errorf("edgepass %s: claims %v, want sub alice and plan premium", line, claims)
	}
}

// TestDevOwnFolder serves a folder of the developer's: private objects
// need a signature, and the guide says the walk-through is for the demo.
func TestDevOwnFolder(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html":             "<h1>mine</h1>",
		"private/shared/doc.txt": "secret notes",
	} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := startDev(t, "--port", "0", "--keys", t.TempDir(), "--dir", dir)
	defer r.stop()
	if got := httpStatus(t, r.origin+"/"); got != http.StatusOK {
		t.Errorf("GET %s/: %d, want 200", r.origin, got)
	}
	doc := r.origin + "/private/shared/doc.txt"
	if got := httpStatus(t, doc); got != http.StatusForbidden {
		t.Errorf("GET %s unsigned: %d, want 403", doc, got)
	}
	if strings.Contains(r.guide, "curl") ||
		!strings.Contains(r.guide, "serving your folder") {
		t.Errorf("guide for a folder of one's own:\n%s\nwant no walk-through", r.guide)
	}
}

func TestDevRefuses(t *testing.T) {
	var lc net.ListenConfig
	busy, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	_, busyPort, err := net.SplitHostPort(busy.Addr().String())
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"port_too_big", []string{"--port", "70000"}, exitUsage, "--port: 70000 is not"},
		{"negative_port", []string{"--port", "-1"}, exitUsage, "--port: -1 is not"},
		{"argument", []string{"demo"}, exitUsage, `unexpected argument "demo"`},
		{"log_level", []string{"--log-level", "loud"}, exitUsage, "--log-level: "},
		{"missing_folder", []string{"--port", "0", "--dir", filepath.Join(t.TempDir(), "no")},
			exitFail, "edgepass dev: --dir: "},
		{"port_in_use", []string{"--port", busyPort}, exitFail, "pick a port with --port"},
		{"half_key_pair", []string{"--port", "0", "--keys", halfKeyPair(t)},
			exitFail, "edgepass dev: dev key: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"--keys", t.TempDir()}, tt.args...)
			code := runDevUntil(t.Context(), args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) ||
				stdout.Len() != 0 {
				t.Errorf("edgepass dev %q: exit %d, stdout %q, stderr %q; want exit %d, "+
					"stderr with %q", tt.args, code, stdout.String(), stderr.String(),
					tt.code, tt.stderr)
			}
		})
	}
}

// halfKeyPair returns a key folder with a public dev key and no private
// one, which edgepass dev must not overwrite.
func halfKeyPair(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	pub := filepath.Join(dir, "dev.pub.pem")
	if err := os.WriteFile(pub, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// httpStatus returns the status of a GET of url.
func httpStatus(t *testing.T, url string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}
