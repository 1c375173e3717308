package devedge_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/devedge"
)

// FuzzObjectPath sends unsigned requests for arbitrary decoded paths:
// none may reach a private object, and none may cause a server error.
func FuzzObjectPath(f *testing.F) {
	for _, seed := range []string{
		"/", "/public/logo.svg", alicePath, "/../private/users/alice/cat.jpg",
		"/public/../private/users/alice/cat.jpg", "/PRIVATE/users/alice/cat.jpg",
		"/private./users/alice/cat.jpg", "/public//logo.svg", "/public/logo.svg\x00",
		"/priv\\ate/users/alice/cat.jpg", "/\xffprivate", "/_edge/stats", "",
		"private/users/alice/cat.jpg", "/Private/users/alice/cat.jpg/",
	} {
		f.Add(seed)
	}
	e, err := devedge.New(testConfig(f, io.Discard))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, p string) {
		r := request(http.MethodGet, "/", nil)
		r.URL.Path, r.URL.RawPath = p, ""
		w := httptest.NewRecorder()
		e.ServeHTTP(w, r)
		body := w.Body.String()
		if w.Code >= 500 {
			t.Fatalf("GET %q: status %d (%s)", p, w.Code, strings.TrimSpace(body))
		}
		for _, private := range []string{aliceBody, bobBody, "shared notes"} {
			if strings.HasPrefix(body, private) {
				t.Fatalf("GET %q unsigned: status %d, served private %q", p, w.Code, body)
			}
		}
	})
}
