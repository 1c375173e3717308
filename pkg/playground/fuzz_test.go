package playground_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/playground"
)

// FuzzTokenEndpoint checks that no request body makes the token endpoint
// answer anything but a token or 400.
func FuzzTokenEndpoint(f *testing.F) {
	p := start(f)
	f.Add(`{"sub":"alice","claims":{"plan":"premium"}}`)
	f.Add(`{"sub":""}`)
	f.Add(`{"sub":"a","claims":{"iat":"x"}}`)
	f.Add(`{"sub":"a","claims":{"plan":1}}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, p.Origin()+playground.TokenPath,
			strings.NewReader(body))
		w := httptest.NewRecorder()
		p.ServeHTTP(w, r)
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Errorf("POST %s %q: status %d", playground.TokenPath, body, w.Code)
		}
	})
}

// FuzzFreshURL checks that the control signs only objects under
// FreshPrefix, whatever path it is given.
func FuzzFreshURL(f *testing.F) {
	p := start(f)
	for _, s := range []string{"/private/shared/map.svg", "/private/shared/../users/bob/boat.svg",
		"/private/shared/%2e%2e/x", "/private/shared/a b.svg", "/private/shared/é.svg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		target := playground.FreshURLPath + "?path=" + url.QueryEscape(path)
		w := httptest.NewRecorder()
		p.ServeHTTP(w, httptest.NewRequest(http.MethodGet, p.Origin()+target, nil))
		switch w.Code {
		case http.StatusBadRequest:
			return
		case http.StatusFound:
		default:
			t.Fatalf("GET %s: status %d", target, w.Code)
		}
		loc, err := url.Parse(w.Header().Get("Location"))
		if err != nil {
			t.Fatalf("GET %s: Location: %v", target, err)
		}
		if !strings.HasPrefix(loc.Path, playground.FreshPrefix) ||
			strings.Contains(loc.Path, "/..") || strings.Contains(loc.Path, "/./") {
			t.Errorf("GET %s: signed %q, outside %s", target, loc.Path, playground.FreshPrefix)
		}
	})
}
