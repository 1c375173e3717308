package playground_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"testing"

	"github.com/edgepass/edgepass/pkg/playground"
)

// start runs a playground on a free loopback port with keys in a fresh
// folder until the test ends.
func start(t testing.TB) *playground.Playground {
	t.Helper()
	return startWith(t, playground.Options{})
}

// startWith is start with options; KeyDir is always a fresh folder.
func startWith(t testing.TB, o playground.Options) *playground.Playground {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := playground.Listen(ctx, 0)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	o.KeyDir = t.TempDir()
	p, err := playground.New(ctx, ln, o)
	if err != nil {
		cancel()
		_ = ln.Close()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		p.Close()
	})
	return p
}

// needTool returns the path of the named program, skipping the test when
// it is missing unless EDGEPASS_REQUIRE_TOOLS=1 makes that a failure.
func needTool(t *testing.T, name string, paths ...string) string {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("EDGEPASS_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s not found (run make deps): %v", name, err)
	}
	t.Skipf("%s not found: %v", name, err)
	return ""
}

// noRedirect is a client that returns redirects instead of following
// them.
var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

// do sends a request with no body and returns the response, closed.
func do(t *testing.T, method, url string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if err := resp.Body.Close(); err != nil && !errors.Is(err, http.ErrBodyReadAfterClose) {
		t.Fatal(err)
	}
	return resp
}
