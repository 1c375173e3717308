package cfverify_test

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

// opensslPath finds openssl, skipping the test without it unless the
// test command asked for every tool (EDGEPASS_REQUIRE_TOOLS=1).
func opensslPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		if os.Getenv("EDGEPASS_REQUIRE_TOOLS") == "1" {
			t.Fatalf("openssl is required: %v", err)
		}
		t.Skipf("openssl not found: %v", err)
	}
	return path
}

func runOpenSSL(t *testing.T, bin string, stdin []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("openssl %v: %v: %s", args, err, stderr.String())
	}
	return out
}

// TestOpenSSLSignatures: keys made and policies signed by openssl, not by
// Go, verify; and the same signatures under the other hash flag do not.
func TestOpenSSLSignatures(t *testing.T) {
	bin := opensslPath(t)
	dir := t.TempDir()
	keyArgs := map[string][]string{
		"rsa":   {"-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"},
		"ecdsa": {"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"},
	}
	obj := host + "/private/report.pdf?rev=2"
	for kind, args := range keyArgs {
		priv := filepath.Join(dir, kind+".pem")
		runOpenSSL(t, bin, nil, append([]string{"genpkey", "-out", priv}, args...)...)
		pub, err := cfverify.ParsePublicKeyPEM(runOpenSSL(t, bin, nil, "pkey", "-in", priv, "-pubout"))
		if err != nil {
			t.Fatalf("ParsePublicKeyPEM(openssl %s) error = %v", kind, err)
		}
		v := &cfverify.Verifier{
			Keys: map[string]crypto.PublicKey{"KOPENSSL": pub},
			Now:  func() time.Time { return testNow },
		}
		for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA256} {
			name := fmt.Sprintf("%s_%s", kind, hashName(h))
			sign := func(policy string) string {
				return cf64(runOpenSSL(t, bin, []byte(policy), "dgst", "-"+hashName(h), "-sign", priv))
			}
			t.Run(name+"_canned_url", func(t *testing.T) {
				u := join(obj, fmt.Sprintf("Expires=%d&Signature=%s&Key-Pair-Id=KOPENSSL%s",
					expires, sign(cannedJSON(obj, expires)), hashParam(h)))
				checkOpenSSL(t, v, cfverify.Request{URL: u}, h)
			})
			t.Run(name+"_custom_cookies", func(t *testing.T) {
				policy := policyJSON(host+"/private/*", expires,
					`,"IpAddress":{"AWS:SourceIp":"203.0.113.0/24"}`)
				cookies := map[string]string{
					"CloudFront-Policy":      cf64([]byte(policy)),
					"CloudFront-Signature":   sign(policy),
					"CloudFront-Key-Pair-Id": "KOPENSSL",
				}
				if h == crypto.SHA256 {
					cookies["CloudFront-Hash-Algorithm"] = "SHA256"
				}
				checkOpenSSL(t, v, cfverify.Request{URL: obj, Cookies: cookies,
					ClientIP: netip.MustParseAddr("203.0.113.40")}, h)
			})
		}
	}
}

func checkOpenSSL(t *testing.T, v *cfverify.Verifier, r cfverify.Request, h crypto.Hash) {
	t.Helper()
	res, err := v.Verify(r)
	if err != nil {
		t.Fatalf("Verify(%q) error = %v", r.URL, err)
	}
	if res.Hash != hashName(h) || res.KeyID != "KOPENSSL" {
		t.Errorf("Verify(%q) = %s key %s, want %s key KOPENSSL", r.URL, res.Hash, res.KeyID, hashName(h))
	}

	// The same signature under the other hash flag is a wrong flag.
	flipped := r
	flipped.Cookies = with(r.Cookies, "CloudFront-Hash-Algorithm", "")
	switch {
	case h == crypto.SHA1 && r.Cookies != nil:
		flipped.Cookies["CloudFront-Hash-Algorithm"] = "SHA256"
	case h == crypto.SHA1:
		flipped.URL += "&Hash-Algorithm=SHA256"
	case r.Cookies == nil:
		flipped.URL = drop(r.URL, "Hash-Algorithm")
	}
	if _, err := v.Verify(flipped); !errors.Is(err, cfverify.ErrHashAlgorithm) {
		t.Errorf("Verify(%q) with the other hash flag = %v, want %v",
			flipped.URL, err, cfverify.ErrHashAlgorithm)
	}
}
