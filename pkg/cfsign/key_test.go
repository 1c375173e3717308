package cfsign_test

import (
	"crypto"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

func TestParsePrivateKeyPEM(t *testing.T) {
	tests := []struct {
		file string
		want error // nil: accepted
	}{
		{"rsa2048.test.pem", nil},
		{"rsa2048-pkcs8.test.pem", nil},
		{"p256.test.pem", nil},
		{"p256-pkcs8.test.pem", nil},
		{"p256-ecparams.test.pem", nil},
		{"rsa1024.test.pem", cfsign.ErrUnsupportedKey},
		{"rsa4096.test.pem", cfsign.ErrUnsupportedKey},
		{"p384.test.pem", cfsign.ErrUnsupportedKey},
		{"ed25519.test.pem", cfsign.ErrUnsupportedKey},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = cfsign.ParsePrivateKeyPEM(data)
			if !errors.Is(err, tt.want) && (tt.want != nil || err != nil) {
				t.Errorf("ParsePrivateKeyPEM(%s) error = %v, want %v", tt.file, err, tt.want)
			}
		})
	}
}

func TestParsePrivateKeyPEMRefusesJunk(t *testing.T) {
	for name, in := range map[string]string{
		"empty":      "",
		"not_pem":    "hello",
		"public_key": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
		"bad_der":    "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
	} {
		if _, err := cfsign.ParsePrivateKeyPEM([]byte(in)); err == nil {
			t.Errorf("ParsePrivateKeyPEM(%s) accepted it", name)
		}
	}
}

// Each group of files holds one key in several formats: all must sign
// alike.
func TestKeyFormatsAgree(t *testing.T) {
	for id, files := range map[string][]string{
		ecKeyID:  {"p256.test.pem", "p256-pkcs8.test.pem", "p256-ecparams.test.pem"},
		rsaKeyID: {"rsa2048.test.pem", "rsa2048-pkcs8.test.pem"},
	} {
		want, err := newSigner(t, files[0], id, cfsign.SHA256, nil).
			CannedURL("https://cdn.example/a", expires)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files[1:] {
			got, err := newSigner(t, f, id, cfsign.SHA256, nil).
				CannedURL("https://cdn.example/a", expires)
			if err != nil || got != want {
				t.Errorf("%s gave %q, %v; want %q as from %s", f, got, err, want, files[0])
			}
		}
	}
}

func TestGenerateAndMarshalRoundTrip(t *testing.T) {
	for _, kt := range []cfsign.KeyType{cfsign.ECDSA, cfsign.RSA} {
		key, err := cfsign.GenerateKey(kt)
		if err != nil {
			t.Fatal(err)
		}
		pemBytes, err := cfsign.MarshalPrivateKeyPEM(key)
		if err != nil {
			t.Fatal(err)
		}
		back, err := cfsign.ParsePrivateKeyPEM(pemBytes)
		if err != nil {
			t.Fatalf("%s: parse marshaled key: %v", kt, err)
		}
		pub, ok := back.Public().(interface{ Equal(crypto.PublicKey) bool })
		if !ok || !pub.Equal(key.Public()) {
			t.Errorf("%s: key changed in the round trip", kt)
		}
		if _, err := cfsign.MarshalPublicKeyPEM(key.Public()); err != nil {
			t.Error(err)
		}
	}
	if _, err := cfsign.GenerateKey("dsa"); !errors.Is(err, cfsign.ErrUnsupportedKey) {
		t.Errorf("GenerateKey(dsa) error = %v, want ErrUnsupportedKey", err)
	}
}

func TestKeyRing(t *testing.T) {
	rsaKey := loadKey(t, "rsa2048.test.pem")
	ecKey := loadKey(t, "p256.test.pem")
	ring, err := cfsign.NewKeyRing(
		cfsign.Key{ID: "NEW", Signer: ecKey},
		cfsign.Key{ID: "OLD", Signer: rsaKey},
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := ring.Active().ID; got != "NEW" {
		t.Errorf("Active().ID = %q, want NEW", got)
	}
	if _, ok := ring.Lookup("OLD"); !ok {
		t.Error(`Lookup("OLD") found nothing`)
	}
	if got := len(ring.PublicKeys()); got != 2 {
		t.Errorf("len(PublicKeys()) = %d, want 2", got)
	}
	if s := cfsign.NewSigner(ring, cfsign.Options{}); s.KeyID() != "NEW" {
		t.Errorf("signer uses %q, want the first key", s.KeyID())
	}

	bad := map[string][]cfsign.Key{
		"empty":        nil,
		"no_id":        {{Signer: ecKey}},
		"duplicate_id": {{ID: "A", Signer: ecKey}, {ID: "A", Signer: rsaKey}},
		"weak_key":     {{ID: "A", Signer: loadKeyUnchecked(t, "rsa1024.test.pem")}},
	}
	for name, keys := range bad {
		if _, err := cfsign.NewKeyRing(keys...); err == nil {
			t.Errorf("NewKeyRing(%s) accepted it", name)
		}
	}
}

// loadKeyUnchecked parses a key the package would refuse, to show the key
// ring refuses it too.
func loadKeyUnchecked(t *testing.T, name string) crypto.Signer {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	k, err := parseAnyKey(data)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
