package devedge_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing/fstest"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/devedge"
)

// Serve a private object through a local edge: unsigned it is refused
// with the reason in a header; with a signed URL it is served, with the
// Cache-Control its prefix gives it.
func Example() {
	key, err := cfsign.GenerateKey(cfsign.ECDSA)
	if err != nil {
		log.Fatal(err)
	}
	ring, err := cfsign.NewKeyRing(cfsign.Key{ID: "K2JCJMDEHXQW5F", Signer: key})
	if err != nil {
		log.Fatal(err)
	}
	edge, err := devedge.New(devedge.Config{
		Files: fstest.MapFS{
			"private/users/alice/cat.jpg": {Data: []byte("meow")},
		},
		Private:      []string{"/private/"},
		Keys:         ring.PublicKeys(),
		CacheControl: map[string]string{"/private/": "private, max-age=3600"},
	})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(edge) // on 127.0.0.1
	defer srv.Close()

	signer := cfsign.NewSigner(ring, cfsign.Options{Hash: cfsign.SHA256})
	object := srv.URL + "/private/users/alice/cat.jpg"
	signed, err := signer.CannedURL(object, time.Now().Add(time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range []string{object, signed} {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			log.Fatal(err)
		}
		if err := resp.Body.Close(); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d %q %q\n", resp.StatusCode,
			resp.Header.Get(devedge.DeniedHeader), resp.Header.Get("Cache-Control"))
		if resp.StatusCode == http.StatusOK {
			fmt.Printf("%s\n", body)
		}
	}
	fmt.Println(edge.Requests("/private/users/alice/cat.jpg"), "requests")
	// Output:
	// 403 "not_signed" "no-store"
	// 200 "" "private, max-age=3600"
	// meow
	// 2 requests
}
