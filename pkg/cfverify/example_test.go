package cfverify_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

// A canned-policy URL signed by hand with ECDSA P-256 and SHA-256, as the
// CloudFront guide describes, then checked before and after it expires.
func ExampleVerifier_VerifyURL() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	const object = "https://d111111abcdef8.cloudfront.net/private/cat.jpg"
	policy := `{"Statement":[{"Resource":"` + object +
		`","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`
	digest := sha256.Sum256([]byte(policy))
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		panic(err)
	}
	encoded := strings.NewReplacer("+", "-", "=", "_", "/", "~").
		Replace(base64.StdEncoding.EncodeToString(sig))
	signed := object + "?Expires=1767290400&Signature=" + encoded +
		"&Key-Pair-Id=K2JCJMDEHXQW5F&Hash-Algorithm=SHA256"

	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	v := &cfverify.Verifier{
		Keys: map[string]crypto.PublicKey{"K2JCJMDEHXQW5F": &key.PublicKey},
		Now:  func() time.Time { return now },
	}
	res, err := v.VerifyURL(signed, netip.Addr{})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Source, res.KeyID, res.Hash, res.Canned, res.Expires)
	fmt.Println(res.Resource)

	now = now.Add(7 * time.Hour)
	_, err = v.VerifyURL(signed, netip.Addr{})
	fmt.Println(errors.Is(err, cfverify.ErrExpired))
	// Output:
	// url K2JCJMDEHXQW5F sha256 true 2026-01-01 18:00:00 +0000 UTC
	// https://d111111abcdef8.cloudfront.net/private/cat.jpg
	// true
}

func ExampleStripSigningParams() {
	u, err := cfverify.StripSigningParams("https://d111111abcdef8.cloudfront.net/a.jpg" +
		"?size=large&Expires=1767290400&Signature=abc_&Key-Pair-Id=K2JCJMDEHXQW5F&color=red")
	fmt.Println(u, err)
	// Output: https://d111111abcdef8.cloudfront.net/a.jpg?size=large&color=red <nil>
}

func ExampleMatchResource() {
	const resource = "https://d111111abcdef8.cloudfront.net/private/users/alice/*"
	fmt.Println(cfverify.MatchResource(resource,
		"https://d111111abcdef8.cloudfront.net/private/users/alice/cat.jpg?v=2"))
	fmt.Println(cfverify.MatchResource(resource,
		"https://d111111abcdef8.cloudfront.net/private/users/bob/cat.jpg"))
	// Output:
	// true
	// false
}
