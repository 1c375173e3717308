package cfverify_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

func pkixPEM(t *testing.T, pub any, blockType string) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatalf("MarshalPKIXPublicKey: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der})
}

func TestParsePublicKeyPEM(t *testing.T) {
	rk, ek := fixtureKeys()
	small, err := rsa.GenerateKey(rand.Reader, 1024) //nolint:gosec // a key to refuse
	if err != nil {
		t.Fatal(err)
	}
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"rsa_2048", pkixPEM(t, &rk.PublicKey, "PUBLIC KEY"), true},
		{"ecdsa_p256", pkixPEM(t, &ek.PublicKey, "PUBLIC KEY"), true},
		{"rsa_1024", pkixPEM(t, &small.PublicKey, "PUBLIC KEY"), false},
		{"ecdsa_p384", pkixPEM(t, &p384.PublicKey, "PUBLIC KEY"), false},
		{"ed25519", pkixPEM(t, edPub, "PUBLIC KEY"), false},
		{"pkcs1_block", pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY",
			Bytes: x509.MarshalPKCS1PublicKey(&rk.PublicKey)}), false},
		{"private_block", pkixPEM(t, &ek.PublicKey, "PRIVATE KEY"), false},
		{"garbage_der", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("x")}), false},
		{"not_pem", []byte("hello"), false},
		{"empty", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := cfverify.ParsePublicKeyPEM(tt.data)
			if tt.ok && (err != nil || key == nil) {
				t.Fatalf("ParsePublicKeyPEM(%s) = %v, %v; want a key", tt.name, key, err)
			}
			if !tt.ok && !errors.Is(err, cfverify.ErrUnsupportedKey) {
				t.Fatalf("ParsePublicKeyPEM(%s) = %v, %v; want %v",
					tt.name, key, err, cfverify.ErrUnsupportedKey)
			}
		})
	}
}
