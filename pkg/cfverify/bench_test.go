package cfverify_test

import (
	"crypto"
	"net/netip"
	"testing"
)

// BenchmarkVerifyURL measures a full check of a canned SHA-256 URL: parse,
// rebuild the policy, verify the signature, check the conditions.
func BenchmarkVerifyURL(b *testing.B) {
	obj := host + "/private/users/alice/cat.jpg?v=2"
	for _, s := range []struct {
		name string
		s    signer
	}{{"rsa2048_sha256", rsaSigner()}, {"ecdsa_p256_sha256", ecSigner()}} {
		b.Run(s.name, func(b *testing.B) {
			u := s.s.cannedURL(b, crypto.SHA256, obj, expires)
			v := newVerifier()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.VerifyURL(u, netip.Addr{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
