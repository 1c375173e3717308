package cfsign_test

import (
	"crypto"
	"crypto/sha256"
	"strconv"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

// BenchmarkCannedURL measures an uncached signature for each key type and
// hash: the private-key operation dominates.
func BenchmarkCannedURL(b *testing.B) {
	for _, kind := range []string{"ecdsa", "rsa"} {
		for _, h := range []cfsign.Hash{cfsign.SHA256, cfsign.SHA1} {
			b.Run(kind+"_"+h.String(), func(b *testing.B) {
				s := ecSigner(b, h)
				if kind == "rsa" {
					s = rsaSigner(b, h)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := s.CannedURL("https://cdn.example/a.jpg", expires); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkCache compares a cache hit (the same policy every time) with a
// miss (a new policy every time) through a cached signer.
func BenchmarkCache(b *testing.B) {
	for _, kind := range []string{"ecdsa", "rsa"} {
		keyFile, id := "p256.test.pem", ecKeyID
		if kind == "rsa" {
			keyFile, id = "rsa2048.test.pem", rsaKeyID
		}
		b.Run(kind+"_hit", func(b *testing.B) {
			cache, _ := cfsign.NewCache(1024)
			s := newSigner(b, keyFile, id, cfsign.SHA256, cache)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.CannedURL("https://cdn.example/a.jpg", expires); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(kind+"_miss", func(b *testing.B) {
			cache, _ := cfsign.NewCache(1024)
			s := newSigner(b, keyFile, id, cfsign.SHA256, cache)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				u := "https://cdn.example/" + strconv.Itoa(i) + ".jpg"
				if _, err := s.CannedURL(u, expires); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBareSignature is the floor under BenchmarkCannedURL: the
// private-key operation alone on a ready digest, with no policy, encoding
// or URL work around it.
func BenchmarkBareSignature(b *testing.B) {
	for _, k := range []struct{ name, file string }{
		{"ecdsa_p256", "p256.test.pem"},
		{"rsa2048", "rsa2048.test.pem"},
	} {
		b.Run(k.name, func(b *testing.B) {
			key := loadKey(b, k.file)
			digest := sha256.Sum256([]byte(`{"Statement":[]}`))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := key.Sign(nil, digest[:], crypto.SHA256); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCustomCookies measures a custom-policy cookie set, the shape
// the issuer hands a browser: policy JSON, one signature, three cookies.
func BenchmarkCustomCookies(b *testing.B) {
	s := ecSigner(b, cfsign.SHA256)
	p := cfsign.Policy{Resource: "https://cdn.example/private/users/alice/*", Expires: expires}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.CustomCookies(p); err != nil {
			b.Fatal(err)
		}
	}
}
