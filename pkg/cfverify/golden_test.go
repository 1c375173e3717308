package cfverify_test

import (
	"crypto"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

// vector is one signed request in testdata/golden.json, made by
// testdata/make-golden.sh with openssl alone.
type vector struct {
	Name     string            `json:"name"`
	URL      string            `json:"url"`
	Cookies  map[string]string `json:"cookies"`
	ClientIP string            `json:"client_ip"`
	Resource string            `json:"resource"`
	Hash     string            `json:"hash"`
	Canned   bool              `json:"canned"`
}

func goldenVerifier(t *testing.T) *cfverify.Verifier {
	t.Helper()
	keys := map[string]crypto.PublicKey{}
	for id, file := range map[string]string{
		"KGOLDENRSA0001": "rsa.pub.pem", "KGOLDENEC00001": "ec.pub.pem",
	} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		if keys[id], err = cfverify.ParsePublicKeyPEM(data); err != nil {
			t.Fatalf("ParsePublicKeyPEM(%s): %v", file, err)
		}
	}
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	return &cfverify.Verifier{Keys: keys, Now: func() time.Time { return now }}
}

func TestGoldenOpenSSL(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vectors []vector
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	v := goldenVerifier(t)
	for _, vec := range vectors {
		t.Run(vec.Name, func(t *testing.T) {
			var ip netip.Addr
			if vec.ClientIP != "" {
				ip = netip.MustParseAddr(vec.ClientIP)
			}
			res, err := v.Verify(cfverify.Request{URL: vec.URL, Cookies: vec.Cookies, ClientIP: ip})
			if err != nil {
				t.Fatalf("Verify(%q) error = %v", vec.URL, err)
			}
			if res.Resource != vec.Resource || res.Hash != vec.Hash || res.Canned != vec.Canned {
				t.Errorf("Verify(%q) = %q %s canned=%v, want %q %s canned=%v", vec.URL,
					res.Resource, res.Hash, res.Canned, vec.Resource, vec.Hash, vec.Canned)
			}
		})
	}
}
