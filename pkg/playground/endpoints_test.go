package playground_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/devedge"
	"github.com/edgepass/edgepass/pkg/playground"
)

func TestTokenEndpoint(t *testing.T) {
	p := start(t)
	tests := []struct {
		name   string
		method string
		body   string
		want   int
	}{
		{"alice", http.MethodPost, `{"sub":"alice","claims":{"plan":"premium"}}`, http.StatusOK},
		{"no_subject", http.MethodPost, `{"claims":{}}`, http.StatusBadRequest},
		{"registered_claim", http.MethodPost, `{"sub":"a","claims":{"exp":"1"}}`, http.StatusBadRequest},
		{"unknown_field", http.MethodPost, `{"sub":"a","admin":true}`, http.StatusBadRequest},
		{"not_json", http.MethodPost, `sub=alice`, http.StatusBadRequest},
		{"get", http.MethodGet, ``, http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tt.method,
				p.Origin()+playground.TokenPath, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close() //nolint:errcheck // read-only
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.want {
				t.Errorf("%s %s %q: status %d, want %d (%s)",
					tt.method, playground.TokenPath, tt.body, resp.StatusCode, tt.want, body)
			}
			if tt.want == http.StatusOK && strings.Count(string(body), ".") != 2 {
				t.Errorf("%s %q: body %q is not a JWT", playground.TokenPath, tt.body, body)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", cc)
			}
		})
	}
}

// TestFreshURL checks that the control signs a different, valid URL on
// every view, and only under the shared prefix.
func TestFreshURL(t *testing.T) {
	p := start(t)
	const object = "/private/shared/map.svg"
	fresh := p.Origin() + playground.FreshURLPath + "?path=" + url.QueryEscape(object)

	seen := map[string]bool{}
	for range 3 {
		resp := do(t, http.MethodGet, fresh)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound || seen[loc] {
			t.Fatalf("GET %s: %d to %q, want 302 to a new URL (seen %v)",
				fresh, resp.StatusCode, loc, seen)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", fresh, cc)
		}
		seen[loc] = true
		if got := do(t, http.MethodGet, loc); got.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d (%s), want 200", loc, got.StatusCode,
				got.Header.Get(devedge.DeniedHeader))
		}
	}
	if n := p.Edge().Requests(object); n != 3 {
		t.Errorf("edge requests for %s = %d, want 3", object, n)
	}

	for _, bad := range []string{"", "/private/users/bob/boat.svg", "/private/shared/",
		"/private/shared/../users/bob/boat.svg", "/private/shared//x.svg", "/index.html"} {
		u := p.Origin() + playground.FreshURLPath + "?path=" + url.QueryEscape(bad)
		if resp := do(t, http.MethodGet, u); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", u, resp.StatusCode)
		}
	}
}

// TestSiteCacheControl checks the headers the demo's objects carry.
func TestSiteCacheControl(t *testing.T) {
	p := start(t)
	tests := []struct {
		path   string
		status int
		cc     string
	}{
		{"/", http.StatusOK, playground.PublicCacheControl},
		{"/app.js", http.StatusOK, playground.PublicCacheControl},
		{"/private/users/alice/cat.svg", http.StatusForbidden, "no-store"},
	}
	for _, tt := range tests {
		resp := do(t, http.MethodGet, p.Origin()+tt.path)
		if resp.StatusCode != tt.status || resp.Header.Get("Cache-Control") != tt.cc {
			t.Errorf("GET %s: %d %q, want %d %q", tt.path, resp.StatusCode,
				resp.Header.Get("Cache-Control"), tt.status, tt.cc)
		}
	}
}

// TestCacheControlOption checks that Options.CacheControl gives objects
// their Cache-Control, by longest prefix, on top of the defaults.
func TestCacheControlOption(t *testing.T) {
	p := startWith(t, playground.Options{CacheControl: map[string]string{
		"/":                      "public, max-age=60",
		"/private/shared/":       "private, max-age=600",
		"/private/users/alice/g": "max-age=31536000, immutable",
	}})
	token := mintToken(t, p, "alice")
	tests := []struct {
		name string
		url  string
		cc   string
	}{
		{"replaced_default", p.Origin() + "/app.js", "public, max-age=60"},
		{"configured", signURL(t, p, token, sharedMap), "private, max-age=600"},
		{"longest_prefix", signURL(t, p, token, aliceGarden), "max-age=31536000, immutable"},
		{"kept_default", signURL(t, p, token, aliceCat), playground.PrivateCacheControl},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, http.MethodGet, tt.url)
			if got := resp.Header.Get("Cache-Control"); resp.StatusCode != http.StatusOK ||
				got != tt.cc {
				t.Errorf("GET %s: %d, Cache-Control %q; want 200, %q", tt.url,
					resp.StatusCode, got, tt.cc)
			}
		})
	}
}

// TestHostCheck checks that the playground answers only for its own
// host: any other name, 127.0.0.1 included, gets 421.
func TestHostCheck(t *testing.T) {
	p := start(t)
	_, port, err := net.SplitHostPort(strings.TrimPrefix(p.Origin(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host string
		want int
	}{
		{"localhost:" + port, http.StatusOK},
		{"LOCALHOST:" + port, http.StatusOK},
		{"127.0.0.1:" + port, http.StatusMisdirectedRequest},
		{"rebound.example:" + port, http.StatusMisdirectedRequest},
		{"localhost", http.StatusMisdirectedRequest},
	}
	for _, tt := range tests {
		for _, r := range []struct{ method, path, body string }{
			{http.MethodGet, "/", ""},
			{http.MethodPost, playground.TokenPath, `{"sub":"alice"}`},
		} {
			req, err := http.NewRequestWithContext(t.Context(), r.method,
				p.Origin()+r.path, strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Host = tt.host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("%s %s with Host %q: %d, want %d", r.method, r.path, tt.host,
					resp.StatusCode, tt.want)
			}
		}
	}
}

// TestLoopbackOnly checks that the playground listens on 127.0.0.1 and
// refuses a listener on any other address.
func TestLoopbackOnly(t *testing.T) {
	ln, err := playground.Listen(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close() //nolint:errcheck // a listener that served nothing
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); host != "127.0.0.1" {
		t.Errorf("Listen(0) listens on %s, want 127.0.0.1", ln.Addr())
	}

	// Even ::1, loopback too, is refused: New promises 127.0.0.1 alone,
	// and listening on ::1 keeps the test off every outside interface.
	var lc net.ListenConfig
	other, err := lc.Listen(t.Context(), "tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback to listen on: %v", err)
	}
	defer other.Close() //nolint:errcheck // a listener that served nothing
	_, err = playground.New(t.Context(), other, playground.Options{KeyDir: t.TempDir()})
	if !errors.Is(err, playground.ErrNotLoopback) {
		t.Errorf("New on %s: %v, want ErrNotLoopback", other.Addr(), err)
	}
}
