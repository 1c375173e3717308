package cfsign_test

import (
	"fmt"
	"log"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

// Sign a URL that stays byte-identical for every request in a 15-minute
// window: the browser and CloudFront can then cache the object behind it.
func ExampleSigner_CannedURL() {
	key, err := cfsign.LoadPrivateKeyFile("testdata/p256.test.pem")
	if err != nil {
		log.Fatal(err)
	}
	ring, err := cfsign.NewKeyRing(cfsign.Key{ID: "K2JCJMDEHXQW5F", Signer: key})
	if err != nil {
		log.Fatal(err)
	}
	signer := cfsign.NewSigner(ring, cfsign.Options{Hash: cfsign.SHA256})

	now := time.Date(2026, 12, 3, 20, 7, 12, 0, time.UTC)
	exp := cfsign.Expiry(now, time.Hour, 15*time.Minute)
	a, _ := signer.CannedURL("https://d111111abcdef8.cloudfront.net/a.jpg", exp)
	b, _ := signer.CannedURL("https://d111111abcdef8.cloudfront.net/a.jpg",
		cfsign.Expiry(now.Add(7*time.Minute), time.Hour, 15*time.Minute))
	fmt.Println(exp.Format(time.RFC3339), a == b)
	// Output: 2026-12-03T21:15:00Z true
}

// Grant a whole prefix with a custom policy carried in cookies.
func ExampleSigner_CustomCookies() {
	key, err := cfsign.LoadPrivateKeyFile("testdata/p256.test.pem")
	if err != nil {
		log.Fatal(err)
	}
	ring, _ := cfsign.NewKeyRing(cfsign.Key{ID: "K2JCJMDEHXQW5F", Signer: key})
	signer := cfsign.NewSigner(ring, cfsign.Options{})
	cookies, err := signer.CustomCookies(cfsign.Policy{
		Resource: "https://d111111abcdef8.cloudfront.net/private/users/alice/*",
		Expires:  time.Date(2026, 12, 4, 4, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range cookies {
		fmt.Println(c.Name)
	}
	// Output:
	// CloudFront-Policy
	// CloudFront-Signature
	// CloudFront-Key-Pair-Id
	// CloudFront-Hash-Algorithm
}
