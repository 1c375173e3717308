package devedge_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/devedge"
)

// BenchmarkVerifiedRequest measures one verified GET of a private object,
// signature check and ETag lookup included.
func BenchmarkVerifiedRequest(b *testing.B) {
	e, err := devedge.New(testConfig(b, io.Discard))
	if err != nil {
		b.Fatal(err)
	}
	for _, id := range []string{ecID, rsaID} {
		s := signerFor(b, id, cfsign.SHA256)
		b.Run(id+"_canned_url", func(b *testing.B) {
			benchGet(b, e, canned(b, s, alicePath, inAnHour), nil)
		})
		b.Run(id+"_custom_cookies", func(b *testing.B) {
			benchGet(b, e, alicePath, cookies(b, s, alicePrefix, inAnHour))
		})
	}
}

func benchGet(b *testing.B, h http.Handler, target string, cs []cfsign.Cookie) {
	r := request(http.MethodGet, target, cs)
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s: status %d", target, w.Code)
		}
	}
}
