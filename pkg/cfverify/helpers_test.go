package cfverify_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // CloudFront's default hash, signed here by hand
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

// Fixed facts shared by the tests.
const (
	host    = "https://d111111abcdef8.cloudfront.net"
	rsaID   = "KRSAEXAMPLE001"
	ecID    = "KECEXAMPLE0001"
	expires = 1767290400 // 2026-01-01T18:00:00Z
)

var testNow = time.Unix(expires-3600, 0)

// fixtureKeys are made once per test binary: RSA-2048 generation is slow.
var fixtureKeys = sync.OnceValues(func() (*rsa.PrivateKey, *ecdsa.PrivateKey) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return rk, ek
})

// signer is one private key under a CloudFront key ID.
type signer struct {
	id  string
	key crypto.Signer
}

func rsaSigner() signer {
	rk, _ := fixtureKeys()
	return signer{rsaID, rk}
}

func ecSigner() signer {
	_, ek := fixtureKeys()
	return signer{ecID, ek}
}

// newVerifier trusts both fixture keys and stands at testNow.
func newVerifier() *cfverify.Verifier {
	rk, ek := fixtureKeys()
	return &cfverify.Verifier{
		Keys: map[string]crypto.PublicKey{rsaID: &rk.PublicKey, ecID: &ek.PublicKey},
		Now:  func() time.Time { return testNow },
	}
}

// cf64 is CloudFront's base64: standard, padded, + = / as - _ ~.
func cf64(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	return strings.NewReplacer("+", "-", "=", "_", "/", "~").Replace(s)
}

// sign hashes msg and signs it: PKCS #1 v1.5 for RSA, ASN.1 DER for ECDSA,
// which is what crypto.Signer gives for each.
func (s signer) sign(t testing.TB, h crypto.Hash, msg string) string {
	t.Helper()
	var digest []byte
	if h == crypto.SHA256 {
		sum := sha256.Sum256([]byte(msg))
		digest = sum[:]
	} else {
		sum := sha1.Sum([]byte(msg)) //nolint:gosec // see import
		digest = sum[:]
	}
	sig, err := s.key.Sign(rand.Reader, digest, h)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return cf64(sig)
}

// cannedJSON is the canned policy statement exactly as the guide writes
// it, with the whitespace removed.
func cannedJSON(resource string, exp int64) string {
	return fmt.Sprintf(`{"Statement":[{"Resource":"%s",`+
		`"Condition":{"DateLessThan":{"AWS:EpochTime":%d}}}]}`, resource, exp)
}

// policyJSON is a custom policy; extra is appended inside Condition,
// e.g. `,"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"}`.
func policyJSON(resource string, exp int64, extra string) string {
	return fmt.Sprintf(`{"Statement":[{"Resource":"%s",`+
		`"Condition":{"DateLessThan":{"AWS:EpochTime":%d}%s}}]}`,
		resource, exp, extra)
}

func hashParam(h crypto.Hash) string {
	if h == crypto.SHA256 {
		return "&Hash-Algorithm=SHA256"
	}
	return ""
}

func join(u, params string) string {
	if strings.Contains(u, "?") {
		return u + "&" + params
	}
	return u + "?" + params
}

// cannedURL signs u with a canned policy ending at exp.
func (s signer) cannedURL(t testing.TB, h crypto.Hash, u string, exp int64) string {
	t.Helper()
	sig := s.sign(t, h, cannedJSON(u, exp))
	return join(u, fmt.Sprintf("Expires=%d&Signature=%s&Key-Pair-Id=%s%s",
		exp, sig, s.id, hashParam(h)))
}

// customURL signs policy and appends it to u.
func (s signer) customURL(t testing.TB, h crypto.Hash, u, policy string) string {
	t.Helper()
	sig := s.sign(t, h, policy)
	return join(u, fmt.Sprintf("Policy=%s&Signature=%s&Key-Pair-Id=%s%s",
		cf64([]byte(policy)), sig, s.id, hashParam(h)))
}

// cannedCookies signs resource u with a canned policy, as cookies.
func (s signer) cannedCookies(t testing.TB, h crypto.Hash, u string, exp int64) map[string]string {
	t.Helper()
	c := map[string]string{
		"CloudFront-Expires":     fmt.Sprint(exp),
		"CloudFront-Signature":   s.sign(t, h, cannedJSON(u, exp)),
		"CloudFront-Key-Pair-Id": s.id,
	}
	if h == crypto.SHA256 {
		c["CloudFront-Hash-Algorithm"] = "SHA256"
	}
	return c
}

// customCookies signs policy as cookies.
func (s signer) customCookies(t testing.TB, h crypto.Hash, policy string) map[string]string {
	t.Helper()
	c := map[string]string{
		"CloudFront-Policy":      cf64([]byte(policy)),
		"CloudFront-Signature":   s.sign(t, h, policy),
		"CloudFront-Key-Pair-Id": s.id,
	}
	if h == crypto.SHA256 {
		c["CloudFront-Hash-Algorithm"] = "SHA256"
	}
	return c
}
