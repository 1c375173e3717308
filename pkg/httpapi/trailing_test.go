package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

// TestTrailingSlash checks that a route with a trailing slash is an
// ordinary 404 from the API's own error path, with a request ID and a
// problem body, and not a redirect that bypasses every middleware.
func TestTrailingSlash(t *testing.T) {
	s := newServer(t, serverOpts{keyType: cfsign.ECDSA, hash: cfsign.SHA256})
	for _, tt := range []struct{ name, method, target string }{
		{"post_signed_urls", "POST", "/v1/signed-urls/"},
		{"get_signed_url", "GET", "/v1/signed-url/?path=/private/users/alice/a.jpg"},
		{"healthz", "GET", "/healthz/"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, strings.NewReader("{}"))
			rec := httptest.NewRecorder()
			s.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusNotFound {
				t.Errorf("%s %s = %d, want 404", tt.method, tt.target, rec.Code)
			}
			if got := rec.Header().Get("Content-Type"); got != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", got)
			}
			if rec.Header().Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
		})
	}
}
