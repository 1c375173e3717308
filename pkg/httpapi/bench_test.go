package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

// benchTokens are the callers of the benchmarks: the same claims signed
// with ES256 and with RS256. The authenticator caches each verified token,
// so after the first request neither costs a signature check.
func benchTokens(b *testing.B) []struct{ alg, tok string } {
	c := claims("alice", nil)
	return []struct{ alg, tok string }{
		{"ES256", token(b, c)},
		{"RS256", rsToken(b, c)},
	}
}

// BenchmarkIssueURL measures one signed URL through the real router, with
// an ECDSA SHA-256 signing key: "repeated" asks for the same path every
// time (token and signature both cached), "unique" for a new path every
// time (a P-256 signature each request), "redirect" is the GET form of
// "repeated".
func BenchmarkIssueURL(b *testing.B) {
	for _, tk := range benchTokens(b) {
		b.Run(tk.alg+"/repeated", func(b *testing.B) {
			s := newServer(b, serverOpts{keyType: cfsign.ECDSA, hash: cfsign.SHA256})
			body := `{"paths":["/private/users/alice/a.jpg"]}`
			b.ReportAllocs()
			for b.Loop() {
				s.serve(b, http.StatusOK, "POST", "/v1/signed-urls", tk.tok, body)
			}
		})
		b.Run(tk.alg+"/unique", func(b *testing.B) {
			s := newServer(b, serverOpts{keyType: cfsign.ECDSA, hash: cfsign.SHA256})
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				body := `{"paths":["/private/users/alice/` + strconv.Itoa(i) + `.jpg"]}`
				s.serve(b, http.StatusOK, "POST", "/v1/signed-urls", tk.tok, body)
			}
		})
		b.Run(tk.alg+"/redirect", func(b *testing.B) {
			s := newServer(b, serverOpts{keyType: cfsign.ECDSA, hash: cfsign.SHA256})
			target := "/v1/signed-url?path=/private/users/alice/a.jpg"
			b.ReportAllocs()
			for b.Loop() {
				s.serve(b, http.StatusFound, "GET", target, tk.tok, "")
			}
		})
	}
}

// BenchmarkIssueCookies measures one cookie set per grant through the real
// router; the token and the custom-policy signature are cached after the
// first request.
func BenchmarkIssueCookies(b *testing.B) {
	for _, tk := range benchTokens(b) {
		b.Run(tk.alg, func(b *testing.B) {
			s := newServer(b, serverOpts{keyType: cfsign.ECDSA, hash: cfsign.SHA256})
			b.ReportAllocs()
			for b.Loop() {
				s.serve(b, http.StatusOK, "POST", "/v1/signed-cookies", tk.tok, "")
			}
		})
	}
}

// serve sends one request through the router and stops the benchmark if
// the status is not want; it skips the copying that [server.do] does.
func (s server) serve(b *testing.B, want int, method, target, tok, body string) {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	s.handler.ServeHTTP(w, req)
	if w.Code != want {
		b.Fatalf("%s %s: status %d, want %d; body %s", method, target, w.Code, want, w.Body)
	}
}
