package devedge_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/cfverify"
	"github.com/edgepass/edgepass/pkg/devedge"
)

func TestCacheControl(t *testing.T) {
	e, _ := newEdge(t)
	ec := signerFor(t, ecID, cfsign.SHA256)
	tests := []struct {
		name   string
		target string
		want   string
	}{
		{"root_default", "/", "no-cache"},
		{"public_prefix", "/public/logo.svg", "public, max-age=86400"},
		{"longest_prefix", canned(t, ec, alicePath, inAnHour), "private, max-age=600"},
		{"shorter_prefix", canned(t, ec, "/private/shared/notes.txt", inAnHour),
			"private, max-age=3600"},
		{"denied", alicePath, "no-store"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := get(e, tc.target, nil)
			if got := w.Header().Get("Cache-Control"); got != tc.want {
				t.Errorf("GET %s: Cache-Control %q, want %q", tc.target, got, tc.want)
			}
		})
	}

	t.Run("no_matching_prefix", func(t *testing.T) {
		c := testConfig(t, io.Discard)
		c.CacheControl = map[string]string{"/public/": "public, max-age=60"}
		e, err := devedge.New(c)
		if err != nil {
			t.Fatal(err)
		}
		w := get(e, "/", nil)
		if got, ok := w.Header()["Cache-Control"]; w.Code != 200 || ok {
			t.Errorf("GET /: status %d, Cache-Control %q, want 200 and none", w.Code, got)
		}
	})
}

func TestConditionalRequests(t *testing.T) {
	e, _ := newEdge(t)
	ec := signerFor(t, ecID, cfsign.SHA256)
	jar := cookies(t, ec, alicePrefix, inAnHour)

	first := get(e, alicePath, jar)
	tag := first.Header().Get("ETag")
	if first.Code != 200 || !strings.HasPrefix(tag, `"`) {
		t.Fatalf("GET %s: status %d, ETag %q, want 200 and a strong tag",
			alicePath, first.Code, tag)
	}
	if got := first.Header().Get("Last-Modified"); got != modTime.Format(http.TimeFormat) {
		t.Errorf("GET %s: Last-Modified %q, want %q", alicePath, got,
			modTime.Format(http.TimeFormat))
	}
	if got := first.Header().Get("Content-Type"); got != "image/jpeg" {
		t.Errorf("GET %s: Content-Type %q, want image/jpeg", alicePath, got)
	}
	if again := get(e, alicePath, jar).Header().Get("ETag"); again != tag {
		t.Errorf("GET %s again: ETag %q, want %q", alicePath, again, tag)
	}
	other := get(e, "/private/users/alice/v2/cat.jpg", jar)
	if other.Header().Get("ETag") == tag {
		t.Errorf("two objects share the ETag %s", tag)
	}

	for name, header := range map[string][2]string{
		"if_none_match":     {"If-None-Match", tag},
		"if_modified_since": {"If-Modified-Since", modTime.Format(http.TimeFormat)},
	} {
		t.Run(name, func(t *testing.T) {
			r := request(http.MethodGet, alicePath, jar)
			r.Header.Set(header[0], header[1])
			w := httptest.NewRecorder()
			e.ServeHTTP(w, r)
			if w.Code != http.StatusNotModified {
				t.Fatalf("GET %s with %s: status %d, want 304", alicePath, header[0], w.Code)
			}
			if got := w.Header().Get("Cache-Control"); got != "private, max-age=600" {
				t.Errorf("304 Cache-Control %q, want %q", got, "private, max-age=600")
			}
			if got := w.Header().Get("ETag"); got != tag {
				t.Errorf("304 ETag %q, want %q", got, tag)
			}
		})
	}

	t.Run("no_modification_time", func(t *testing.T) {
		w := get(e, "/private/users/alice/no-mtime.json", jar)
		if w.Code != 200 || w.Header().Get("ETag") == "" {
			t.Fatalf("status %d, ETag %q, want 200 and a tag", w.Code, w.Header().Get("ETag"))
		}
		if got, ok := w.Header()["Last-Modified"]; ok {
			t.Errorf("Last-Modified %q for a file without a time, want none", got)
		}
	})
}

func TestCounters(t *testing.T) {
	e, _ := newEdge(t)
	ec := signerFor(t, ecID, cfsign.SHA256)
	signed := canned(t, ec, alicePath, inAnHour)

	get(e, signed, nil)                    // 200
	get(e, alicePath, nil)                 // 403
	do(e, http.MethodHead, signed, nil)    // 200
	do(e, http.MethodPost, "/", nil)       // 405
	get(e, "/public/../etc/passwd", nil)   // 400: not an object, not counted
	get(e, "/"+"public/logo.svg?v=1", nil) // query does not split the count
	get(e, "/public/logo.svg", nil)        // 200
	get(e, "/public/gone.svg", nil)        // 404
	get(e, devedge.StatsPath, nil)         // the edge's own, not counted
	r := request(http.MethodGet, alicePath, nil)
	r.Header.Set("If-None-Match", get(e, signed, nil).Header().Get("ETag"))
	e.ServeHTTP(httptest.NewRecorder(), r) // 304 (and 403, unsigned): counted

	want := map[string]int64{
		alicePath:          5,
		"/":                1,
		"/public/logo.svg": 2,
		"/public/gone.svg": 1,
	}
	if got := e.Stats(); !maps.Equal(got, want) {
		t.Errorf("Stats() = %v, want %v", got, want)
	}
	if got := e.Requests(alicePath); got != 5 {
		t.Errorf("Requests(%q) = %d, want 5", alicePath, got)
	}
	if got := e.Requests(bobPath); got != 0 {
		t.Errorf("Requests(%q) = %d, want 0", bobPath, got)
	}

	w := get(e, devedge.StatsPath, nil)
	var body struct {
		Requests map[string]int64 `json:"requests"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("GET %s: %v in %q", devedge.StatsPath, err, w.Body)
	}
	if !maps.Equal(body.Requests, want) || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("GET %s = %v, Cache-Control %q, want %v and no-store",
			devedge.StatsPath, body.Requests, w.Header().Get("Cache-Control"), want)
	}

	if w := get(e, devedge.StatsResetPath, nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET %s: status %d, want 405", devedge.StatsResetPath, w.Code)
	}
	w = do(e, http.MethodPost, devedge.StatsPath, nil)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST %s: status %d, want 405", devedge.StatsPath, w.Code)
	}
	w = do(e, http.MethodPost, devedge.StatsResetPath, nil)
	if w.Code != http.StatusNoContent {
		t.Errorf("POST %s: status %d, want 204", devedge.StatsResetPath, w.Code)
	}
	if got := e.Stats(); len(got) != 0 {
		t.Errorf("Stats() after reset = %v, want none", got)
	}
}

func TestIssuerRouting(t *testing.T) {
	var seen []string
	issuer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("Cookie"))
		w.WriteHeader(http.StatusTeapot)
	})
	c := testConfig(t, io.Discard)
	c.Issuer, c.IssuerPrefix = issuer, "/edgepass/"
	e, err := devedge.New(c)
	if err != nil {
		t.Fatal(err)
	}
	jar := []cfsign.Cookie{{Name: "session", Value: "s1"}}

	tests := []struct {
		method, target string
		status         int
	}{
		{http.MethodPost, "/edgepass/v1/signed-cookies", 418},
		{http.MethodGet, "/edgepass/v1/signed-url?path=/private/a.jpg", 418},
		{http.MethodDelete, "/edgepass/v1/signed-cookies", 418},
		{http.MethodGet, "/edgepass", 418},
		{http.MethodGet, "/edgepassword.txt", 404},
	}
	for _, tc := range tests {
		if w := do(e, tc.method, tc.target, jar); w.Code != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.target, w.Code, tc.status)
		}
	}
	want := []string{
		"POST /edgepass/v1/signed-cookies session=s1",
		"GET /edgepass/v1/signed-url?path=/private/a.jpg session=s1",
		"DELETE /edgepass/v1/signed-cookies session=s1",
		"GET /edgepass session=s1",
	}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("issuer saw %q, want %q", seen, want)
	}
	if got := e.Stats(); len(got) != 1 {
		t.Errorf("Stats() = %v, want only /edgepassword.txt", got)
	}
}

func TestNewRefusesConfig(t *testing.T) {
	issuer := http.NotFoundHandler()
	tests := []struct {
		name   string
		change func(*devedge.Config)
	}{
		{"no_files", func(c *devedge.Config) { c.Files = nil }},
		{"relative_private_prefix", func(c *devedge.Config) {
			c.Private = []string{"private/"}
		}},
		{"private_without_keys", func(c *devedge.Config) { c.Keys = nil }},
		{"relative_cache_prefix", func(c *devedge.Config) {
			c.CacheControl = map[string]string{"public/": "no-cache"}
		}},
		{"empty_cache_control", func(c *devedge.Config) {
			c.CacheControl = map[string]string{"/public/": ""}
		}},
		{"blank_cache_control", func(c *devedge.Config) {
			c.CacheControl = map[string]string{"/public/": " \t"}
		}},
		{"cache_control_newline", func(c *devedge.Config) {
			c.CacheControl = map[string]string{"/public/": "no-cache\r\nSet-Cookie: a=b"}
		}},
		{"cache_control_nul", func(c *devedge.Config) {
			c.CacheControl = map[string]string{"/public/": "no-cache\x00"}
		}},
		{"cache_prefix_control", func(c *devedge.Config) {
			c.CacheControl = map[string]string{"/pub\nlic/": "no-cache"}
		}},
		{"root_object_path", func(c *devedge.Config) { c.RootObject = "../index.html" }},
		{"issuer_without_prefix", func(c *devedge.Config) { c.Issuer = issuer }},
		{"prefix_without_issuer", func(c *devedge.Config) { c.IssuerPrefix = "/edgepass/" }},
		{"issuer_prefix_no_slash", func(c *devedge.Config) {
			c.Issuer, c.IssuerPrefix = issuer, "/edgepass"
		}},
		{"issuer_prefix_root", func(c *devedge.Config) {
			c.Issuer, c.IssuerPrefix = issuer, "/"
		}},
		{"issuer_prefix_edge", func(c *devedge.Config) {
			c.Issuer, c.IssuerPrefix = issuer, "/_edge/issuer/"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := testConfig(t, io.Discard)
			tc.change(&c)
			if _, err := devedge.New(c); !errors.Is(err, devedge.ErrConfig) {
				t.Errorf("New() error = %v, want %v", err, devedge.ErrConfig)
			}
		})
	}

	t.Run("public_only", func(t *testing.T) {
		e, err := devedge.New(devedge.Config{Files: fstest.MapFS{}})
		if err != nil {
			t.Fatalf("New(public only) error: %v", err)
		}
		if w := get(e, "/", nil); w.Code != 404 {
			t.Errorf("GET / in an empty site: status %d, want 404", w.Code)
		}
	})
}

func TestLogsNoSecrets(t *testing.T) {
	e, logs := newEdge(t)
	ec := signerFor(t, ecID, cfsign.SHA256)
	aliceCookies := cookies(t, ec, alicePrefix, inAnHour)
	signed := custom(t, ec, alicePath, alicePrefix, inAnHour)

	get(e, alicePath, aliceCookies)
	get(e, bobPath, aliceCookies)
	get(e, tamper(t, signed, "Signature"), aliceCookies)
	get(e, signed, nil)

	out := logs.String()
	for _, want := range []string{
		`msg="request served" method=GET path=` + alicePath + ` status=200 signed_by=cookies`,
		`msg="request denied" method=GET path=` + bobPath +
			` status=403 reason=resource_mismatch`,
		`status=403 reason=bad_signature`,
		`status=200 signed_by=url`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %q:\n%s", want, out)
		}
	}
	secrets := []string{signed[strings.Index(signed, "?"):]}
	for _, c := range aliceCookies {
		if c.Name == cfsign.CookiePolicy || c.Name == cfsign.CookieSignature {
			secrets = append(secrets, c.Value)
		}
	}
	for _, s := range append(secrets, "Signature=", "Policy=") {
		if strings.Contains(out, s) {
			t.Errorf("logs hold %q:\n%s", s, out)
		}
	}
}

func TestReason(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{cfverify.ErrNotSigned, "not_signed"},
		{fmt.Errorf("verify url: %w", cfverify.ErrExpired), "expired"},
		{fmt.Errorf("verify cookies: key %q: %w", "K1", cfverify.ErrBadSignature),
			"bad_signature"},
		{cfverify.ErrResourceMismatch, "resource_mismatch"},
		{cfverify.ErrUnknownKey, "unknown_key"},
		{errors.New("something else"), "denied"},
	}
	for _, tc := range tests {
		if got := devedge.Reason(tc.err); got != tc.want {
			t.Errorf("Reason(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
