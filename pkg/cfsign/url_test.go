package cfsign_test

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign"
	"github.com/edgepass/edgepass/pkg/cfsign"
)

var expires = time.Unix(1767290400, 0)

// AWS documents the signed URL as the base URL, then Expires (or Policy),
// Signature, Key-Pair-Id and, for SHA-256, Hash-Algorithm=SHA256, joined
// with '&' after the URL's own query string.
func TestCannedURLLayout(t *testing.T) {
	tests := []struct {
		name string
		hash cfsign.Hash
		in   string
		want string // the URL up to Signature=
		tail string // what follows the signature
	}{
		{"sha1_plain", cfsign.SHA1, "https://d111111abcdef8.cloudfront.net/image.jpg",
			"https://d111111abcdef8.cloudfront.net/image.jpg?Expires=1767290400&Signature=",
			"&Key-Pair-Id=" + rsaKeyID},
		{"sha256_own_query", cfsign.SHA256,
			"https://d111111abcdef8.cloudfront.net/image.jpg?color=red&size=medium",
			"https://d111111abcdef8.cloudfront.net/image.jpg?color=red&size=medium" +
				"&Expires=1767290400&Signature=",
			"&Key-Pair-Id=" + rsaKeyID + "&Hash-Algorithm=SHA256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rsaSigner(t, tt.hash).CannedURL(tt.in, expires)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(got, tt.want) || !strings.HasSuffix(got, tt.tail) {
				t.Errorf("CannedURL(%q) = %q, want %q…%q", tt.in, got, tt.want, tt.tail)
			}
		})
	}
}

// The SDK's own signer produces RSA-SHA1 canned URLs; ours must match it
// byte for byte where both apply.
func TestCannedURLMatchesSDKSigner(t *testing.T) {
	key, ok := loadKey(t, "rsa2048.test.pem").(*rsa.PrivateKey)
	if !ok {
		t.Fatal("fixture is not an RSA key")
	}
	sdk := sign.NewURLSigner(rsaKeyID, key)
	for _, u := range []string{
		"https://d111111abcdef8.cloudfront.net/image.jpg",
		"https://d111111abcdef8.cloudfront.net/a/b%20c.jpg?x=1&y=%2F",
	} {
		want, err := sdk.Sign(u, expires)
		if err != nil {
			t.Fatal(err)
		}
		got, err := rsaSigner(t, cfsign.SHA1).CannedURL(u, expires)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("CannedURL(%q) = %q, want SDK's %q", u, got, want)
		}
	}
}

func TestSignaturesVerify(t *testing.T) {
	const u = "https://cdn.example/private/a.jpg"
	for _, h := range []cfsign.Hash{cfsign.SHA1, cfsign.SHA256} {
		for name, s := range map[string]*cfsign.Signer{
			"rsa": rsaSigner(t, h), "ecdsa": ecSigner(t, h),
		} {
			t.Run(name+"_"+h.String(), func(t *testing.T) {
				signed, err := s.CannedURL(u, expires)
				if err != nil {
					t.Fatal(err)
				}
				policy, _ := cfsign.CannedPolicy(u, expires)
				checkSignature(t, name, h, policy, signatureOf(t, signed))
			})
		}
	}
}

func signatureOf(t *testing.T, signed string) []byte {
	t.Helper()
	q, err := url.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := cfsign.Decode(q.Query().Get("Signature"))
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func checkSignature(t *testing.T, kind string, h cfsign.Hash, msg, sig []byte) {
	t.Helper()
	var digest []byte
	if h == cfsign.SHA1 {
		d := sha1.Sum(msg)
		digest = d[:]
	} else {
		d := sha256.Sum256(msg)
		digest = d[:]
	}
	if kind == "rsa" {
		pub, _ := loadKey(t, "rsa2048.test.pem").Public().(*rsa.PublicKey)
		if err := rsa.VerifyPKCS1v15(pub, h.CryptoHash(), digest, sig); err != nil {
			t.Errorf("RSA signature does not verify: %v", err)
		}
		return
	}
	pub, _ := loadKey(t, "p256.test.pem").Public().(*ecdsa.PublicKey)
	if !ecdsa.VerifyASN1(pub, digest, sig) {
		t.Error("ECDSA signature does not verify")
	}
}

func TestURLRefusals(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want error
	}{
		{"no_scheme", "cdn.example/a.jpg", cfsign.ErrInvalidURL},
		{"ftp_scheme", "ftp://cdn.example/a.jpg", cfsign.ErrInvalidURL},
		{"upper_scheme", "HTTPS://cdn.example/a.jpg", cfsign.ErrInvalidURL},
		{"upper_host", "https://CDN.example/a.jpg", cfsign.ErrInvalidURL},
		{"wildcard_host", "https://cdn.example*/a.jpg", cfsign.ErrInvalidURL},
		{"underscore_host", "https://cdn_example/a.jpg", cfsign.ErrInvalidURL},
		{"empty_port", "https://cdn.example:/a.jpg", cfsign.ErrInvalidURL},
		{"no_host", "https:///a.jpg", cfsign.ErrInvalidURL},
		{"relative", "/a.jpg", cfsign.ErrInvalidURL},
		{"fragment", "https://cdn.example/a.jpg#top", cfsign.ErrInvalidURL},
		{"user_info", "https://u:p@cdn.example/a.jpg", cfsign.ErrInvalidURL},
		{"space", "https://cdn.example/a b.jpg", cfsign.ErrInvalidURL},
		{"quote", `https://cdn.example/a".jpg`, cfsign.ErrInvalidURL},
		{"empty_query", "https://cdn.example/a.jpg?", cfsign.ErrInvalidURL},
		{"non_ascii", "https://cdn.example/café.jpg", cfsign.ErrNonASCII},
		{"has_expires", "https://cdn.example/a.jpg?Expires=1", cfsign.ErrSigningParam},
		{"has_policy", "https://cdn.example/a.jpg?x=1&Policy=e30_", cfsign.ErrSigningParam},
		{"has_signature", "https://cdn.example/a.jpg?Signature=x", cfsign.ErrSigningParam},
		{"has_key_pair_id", "https://cdn.example/a.jpg?Key-Pair-Id=K", cfsign.ErrSigningParam},
		{"has_hash", "https://cdn.example/a.jpg?Hash-Algorithm=SHA256", cfsign.ErrSigningParam},
		{"wildcard", "https://cdn.example/a/*", cfsign.ErrWildcard},
		{"too_long", "https://cdn.example/" + strings.Repeat("a", 8000), cfsign.ErrTooLong},
	}
	s := rsaSigner(t, cfsign.SHA256)
	p := cfsign.Policy{Resource: "https://cdn.example/*", Expires: expires}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.CannedURL(tt.url, expires)
			if !errors.Is(err, tt.want) {
				t.Errorf("CannedURL(%q) = %q, %v; want error %v", tt.url, got, err, tt.want)
			}
			if errors.Is(tt.want, cfsign.ErrWildcard) {
				return // a custom policy's URL may hold '*'
			}
			got, err = s.CustomURL(tt.url, p)
			if !errors.Is(err, tt.want) {
				t.Errorf("CustomURL(%q) = %q, %v; want error %v", tt.url, got, err, tt.want)
			}
		})
	}
}

func TestCustomURL(t *testing.T) {
	s := ecSigner(t, cfsign.SHA256)
	p := cfsign.Policy{Resource: "https://cdn.example/private/*", Expires: expires}
	got, err := s.CustomURL("https://cdn.example/private/a.jpg?v=2", p)
	if err != nil {
		t.Fatal(err)
	}
	policy, _ := p.JSON()
	want := "https://cdn.example/private/a.jpg?v=2&Policy=" + cfsign.Encode(policy) +
		"&Signature="
	if !strings.HasPrefix(got, want) {
		t.Fatalf("CustomURL = %q, want prefix %q", got, want)
	}
	if !strings.HasSuffix(got, "&Key-Pair-Id="+ecKeyID+"&Hash-Algorithm=SHA256") {
		t.Errorf("CustomURL = %q, want key ID and hash flag at the end", got)
	}
	checkSignature(t, "ecdsa", cfsign.SHA256, policy, signatureOf(t, got))

	// A wildcard resource is fine in a custom policy, a bad URL is not.
	if _, err := s.CustomURL("https://cdn.example/a.jpg?Policy=x", p); !errors.Is(err, cfsign.ErrSigningParam) {
		t.Errorf("CustomURL with Policy param: err = %v, want ErrSigningParam", err)
	}
}

func TestDeterministic(t *testing.T) {
	for _, h := range []cfsign.Hash{cfsign.SHA1, cfsign.SHA256} {
		for name, mk := range map[string]func(testing.TB, cfsign.Hash) *cfsign.Signer{
			"rsa": rsaSigner, "ecdsa": ecSigner,
		} {
			a, _ := mk(t, h).CannedURL("https://cdn.example/a.jpg", expires)
			b, _ := mk(t, h).CannedURL("https://cdn.example/a.jpg", expires)
			if a == "" || a != b {
				t.Errorf("%s/%s: two signers gave %q and %q", name, h, a, b)
			}
		}
	}
}

func TestCheckURLAcceptsHosts(t *testing.T) {
	for _, u := range []string{
		"https://d111111abcdef8.cloudfront.net/a", "http://127.0.0.1:8787/a",
		"http://[::1]:8787/a", "https://media.example.com/a%20b?x=1",
	} {
		if err := cfsign.CheckURL(u); err != nil {
			t.Errorf("CheckURL(%q) = %v, want nil", u, err)
		}
	}
}
