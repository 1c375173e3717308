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
	log     bytes.Buffer // stderr after the serving line, whole once stop returns
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
		_, _ = io.Copy(&r.log, pr)
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
	checkTextLog(t, r.log.String())

	again := startDev(t, "--port", "0", "--keys", keys)
	if len(again.created) != 0 {
		t.Errorf("second edgepass dev created %q, want nothing", again.created)
	}
	if code := again.stop(); code != exitOK {
		t.Errorf("second edgepass dev stopped with exit %d, want 0", code)
	}
}

// checkPrintedTokenCommand checks the guide's "dev token" command line
// starts with the words that run this program, then runs the rest
// in-process and checks the token carries what it asks for.
func checkPrintedTokenCommand(t *testing.T, guide, keys string) {
	t.Helper()
	self := strings.Join(runningCommand(), " ")
	_, line, ok := strings.Cut(guide, "dev token    ")
	if !ok {
		t.Fatalf("guide has no dev token line:\n%s", guide)
	}
	line, _, _ = strings.Cut(line, "\n")
	line, ok = strings.CutPrefix(line, self+" ")
	if !ok {
		t.Fatalf("dev token line %q does not start with %q", line, self)
	}
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

// devLogLine is the line logged for the unsigned request TestDev sends,
// in slog's text format: the refusal and its reason, readable at a glance.
var devLogLine = regexp.MustCompile(`(?m)^time=\S+ level=INFO msg="request denied" ` +
	`method=GET path=/private/users/alice/cat.svg status=403 reason=not_signed `)

// checkTextLog checks that dev logs requests as readable text lines, not
// JSON, with the reason for a refusal.
func checkTextLog(t *testing.T, log string) {
	t.Helper()
	if !devLogLine.MatchString(log) || strings.Contains(log, `{"time"`) {
		t.Errorf("edgepass dev log:\n%s\nwant text lines such as %q", log,
			devLogLine.String())
	}
}

// TestDevOwnFolder serves a folder of the developer's: private objects
// need a signature, and the guide says the walk-through is for the demo.
func TestDevOwnFolder(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html":             "<h1>mine</h1>",
		"docs/guide.txt":         "how to",
		"docs/v2/guide.txt":      "how to, again",
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
	r := startDev(t, "--port", "0", "--keys", t.TempDir(), "--dir", dir,
		"--cache-control", "/docs/=public, max-age=300",
		"--cache-control", "/docs/v2/=max-age=31536000, immutable")
	defer r.stop()
	tests := []struct {
		name   string
		path   string
		status int
		cc     string
	}{
		{"root_default", "/", http.StatusOK, "no-cache"},
		{"configured", "/docs/guide.txt", http.StatusOK, "public, max-age=300"},
		{"longest_prefix", "/docs/v2/guide.txt", http.StatusOK,
			"max-age=31536000, immutable"},
		{"private_unsigned", "/private/shared/doc.txt", http.StatusForbidden, "no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := httpGet(t, r.origin+tt.path)
			if got := resp.Header.Get("Cache-Control"); resp.StatusCode != tt.status ||
				got != tt.cc {
				t.Errorf("GET %s: %d, Cache-Control %q; want %d, %q", tt.path,
					resp.StatusCode, got, tt.status, tt.cc)
			}
		})
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
		{"cache_control_no_value", []string{"--cache-control", "/docs/"},
			exitUsage, "want PREFIX=VALUE"},
		{"cache_control_empty", []string{"--cache-control", "/docs/="},
			exitUsage, `cache control for "/docs/" is empty`},
		{"cache_control_blank", []string{"--cache-control", "/docs/=  "},
			exitUsage, `cache control for "/docs/" is empty`},
		{"cache_control_relative", []string{"--cache-control", "docs/=no-cache"},
			exitUsage, `prefix "docs/" does not start with /`},
		{"cache_control_no_prefix", []string{"--cache-control", "=no-cache"},
			exitUsage, `prefix "" does not start with /`},
		{"cache_control_newline", []string{"--cache-control",
			"/docs/=no-cache\r\nSet-Cookie: a=b"}, exitUsage, "control character"},
		{"cache_control_tab", []string{"--cache-control", "/docs/=no-cache,\tprivate"},
			exitUsage, "control character"},
		{"cache_control_twice", []string{"--cache-control", "/docs/=no-cache",
			"--cache-control", "/docs/=no-store"},
			exitUsage, `prefix "/docs/" given twice`},
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
	return httpGet(t, url).StatusCode
}

// httpGet returns the response to a GET of url, its body closed.
func httpGet(t *testing.T, url string) *http.Response {
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
	return resp
}

// TestDevSelfCommand checks the words the guide's commands start with:
// those that run this program again from another shell.
func TestDevSelfCommand(t *testing.T) {
	const (
		work   = "/tmp/go-build2113178853/b001/exe/edgepass"
		cached = "/home/ann/.cache/go-build/f6/" +
			"f6cda5f549d0e3342173bca1617428d734632eeb80bacd1755348251cd65c2f9-d/edgepass"
		installed = "/home/ann/go/bin/edgepass"
	)
	tests := []struct {
		name   string
		arg0   string
		exe    string
		onPath string // the name PATH finds this program under, if any
		want   string
	}{
		{"go_run_work_folder", work, work, "", "go run ./cmd/edgepass"},
		{"go_run_gotmpdir", "/scratch/go-build42/b017/exe/edgepass",
			"/scratch/go-build42/b017/exe/edgepass", "", "go run ./cmd/edgepass"},
		{"go_run_cached", cached, cached, "", "go run ./cmd/edgepass"},
		{"go_run_custom_gocache", "/cache/f6/" + strings.Repeat("f6", 32) + "-d/edgepass",
			"/cache/f6/" + strings.Repeat("f6", 32) + "-d/edgepass", "",
			"go run ./cmd/edgepass"},
		{"go_run_on_path", "edgepass", work, "edgepass", "go run ./cmd/edgepass"},
		{"on_path", "edgepass", installed, "edgepass", "edgepass"},
		{"on_path_renamed", "ep", "/usr/local/bin/ep", "ep", "ep"},
		{"path_also_on_path", installed, installed, "edgepass", "edgepass"},
		{"relative_path", "./edgepass", "/home/ann/src/edgepass/edgepass", "",
			"./edgepass"},
		{"relative_path_subfolder", "bin/edgepass", "/home/ann/src/edgepass/bin/edgepass",
			"", "bin/edgepass"},
		{"name_not_on_path", "edgepass", installed, "", installed},
		{"unknown_executable", "edgepass", "", "", "edgepass"},
		{"nothing_known", "", "", "", "edgepass"},
		{"go_build_in_folder_name", "/src/go-build-tools/bin/edgepass",
			"/src/go-build-tools/bin/edgepass", "", "/src/go-build-tools/bin/edgepass"},
		{"test_binary", "/tmp/go-build1/b001/edgepass.test",
			"/tmp/go-build1/b001/edgepass.test", "", "/tmp/go-build1/b001/edgepass.test"},
		{"exe_folder_not_work", "/opt/b001/exe/edgepass", "/opt/b001/exe/edgepass", "",
			"/opt/b001/exe/edgepass"},
		{"cache_like_not_hex", "/c/zz/" + strings.Repeat("z", 64) + "-d/edgepass",
			"/c/zz/" + strings.Repeat("z", 64) + "-d/edgepass", "",
			"/c/zz/" + strings.Repeat("z", 64) + "-d/edgepass"},
		{"cache_like_wrong_shard", "/c/00/" + strings.Repeat("f6", 32) + "-d/edgepass",
			"/c/00/" + strings.Repeat("f6", 32) + "-d/edgepass", "",
			"/c/00/" + strings.Repeat("f6", 32) + "-d/edgepass"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			onPath := func(name string) bool { return name != "" && name == tt.onPath }
			got := strings.Join(selfCommand(tt.arg0, tt.exe, onPath), " ")
			if got != tt.want {
				t.Errorf("selfCommand(%q, %q) = %q, want %q",
					tt.arg0, tt.exe, got, tt.want)
			}
		})
	}
}
