package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

// FuzzAPI sends arbitrary methods, targets, bodies and tokens through the
// router: whatever a client sends, the answer is never a 5xx.
func FuzzAPI(f *testing.F) {
	s := newServer(f, serverOpts{keyType: cfsign.ECDSA})
	good := token(f, claims("alice", map[string]any{"org": "acme", "scope": "media:read"}))
	f.Add("POST", "/v1/signed-urls", `{"paths":["/private/users/alice/a.jpg"]}`, true)
	f.Add("POST", "/v1/signed-urls", `{"paths":["/private/users/alice/é\u0000"],"ttl":"1s"}`, true)
	f.Add("GET", "/v1/signed-url?path=%2Fprivate%2Fusers%2Falice%2Fa", "", true)
	f.Add("POST", "/v1/signed-cookies", `{"path":"/private/teams/acme/*"}`, true)
	f.Add("POST", "/v1/signed-urls",
		`{"paths":["/a"],"x":[{"a":1},[{"a":{"a":2}}]],"PATHS":0}`, true)
	f.Add("DELETE", "/v1/signed-cookies", "", false)
	f.Add("OPTIONS", "/v1/x", "", false)
	f.Fuzz(func(t *testing.T, method, target, body string, withToken bool) {
		if !validMethod(method) || !strings.HasPrefix(target, "/") {
			return
		}
		req, err := http.NewRequest(method, "http://edgepass.test"+target, strings.NewReader(body))
		if err != nil {
			return
		}
		if withToken {
			req.Header.Set("Authorization", "Bearer "+good)
		} else if body != "" {
			req.Header.Set("Authorization", "Bearer "+body)
		}
		w := httptest.NewRecorder()
		s.handler.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %q with body %q = %d: %s", method, target, body, w.Code, w.Body)
		}
	})
}

func validMethod(m string) bool {
	switch m {
	case "GET", "POST", "DELETE", "PUT", "OPTIONS", "HEAD", "PATCH":
		return true
	}
	return false
}
