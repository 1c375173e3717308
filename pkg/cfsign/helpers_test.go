package cfsign_test

import (
	"crypto"
	"path/filepath"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

// Fixed test keys and the key IDs they pretend CloudFront gave them.
const (
	rsaKeyID = "K2JCJMDEHXQW5F"
	ecKeyID  = "K3ECDSAEXAMPLE"
)

func loadKey(t testing.TB, name string) crypto.Signer {
	t.Helper()
	k, err := cfsign.LoadPrivateKeyFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newSigner(t testing.TB, keyFile, id string, h cfsign.Hash,
	cache *cfsign.Cache) *cfsign.Signer {
	t.Helper()
	ring, err := cfsign.NewKeyRing(cfsign.Key{ID: id, Signer: loadKey(t, keyFile)})
	if err != nil {
		t.Fatal(err)
	}
	return cfsign.NewSigner(ring, cfsign.Options{Hash: h, Cache: cache})
}

func rsaSigner(t testing.TB, h cfsign.Hash) *cfsign.Signer {
	return newSigner(t, "rsa2048.test.pem", rsaKeyID, h, nil)
}

func ecSigner(t testing.TB, h cfsign.Hash) *cfsign.Signer {
	return newSigner(t, "p256.test.pem", ecKeyID, h, nil)
}
