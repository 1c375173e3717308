package cfverify_test

import (
	"crypto"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

// replacements are the bytes a tamper test puts in place of c.
func replacements(c byte) []byte {
	var out []byte
	for _, r := range []byte{c ^ 0x01, c ^ 0x20, '&', '=', '%', '~', 'A', '0'} {
		if r != c && !strings.ContainsRune(string(out), rune(r)) {
			out = append(out, r)
		}
	}
	return out
}

var (
	signatureReasons = []error{cfverify.ErrBadSignature, cfverify.ErrMalformed}
	valueReasons     = map[string][]error{
		"Expires":        signatureReasons,
		"Policy":         signatureReasons,
		"Signature":      signatureReasons,
		"Key-Pair-Id":    {cfverify.ErrUnknownKey, cfverify.ErrMalformed},
		"Hash-Algorithm": {cfverify.ErrHashAlgorithm, cfverify.ErrMalformed},
	}
	// A changed base URL or own parameter: a canned signature no longer
	// covers the URL, or a custom policy's resource no longer matches.
	urlReasons = []error{cfverify.ErrBadSignature, cfverify.ErrResourceMismatch,
		cfverify.ErrMalformed}
	// A changed signing parameter name turns it into an own parameter.
	nameReasons = slices.Concat(urlReasons, []error{cfverify.ErrHashAlgorithm})
	// A changed "=" or "&" may also merge two values into one.
	separatorReasons = slices.Concat(nameReasons, []error{cfverify.ErrUnknownKey})
	// Without its "?", the URL has no query and so no signature.
	queryMarkReasons = []error{cfverify.ErrNotSigned, cfverify.ErrMalformed}
)

// reasonsAt says which reasons may explain a change to byte i of u,
// by where it falls: base URL, "?", a parameter name, a separator, or
// the value of a signing parameter.
func reasonsAt(u string, i int) []error {
	q := strings.IndexByte(u, '?')
	switch {
	case i < q:
		return urlReasons
	case i == q:
		return queryMarkReasons
	}
	start := q + 1
	for _, piece := range strings.Split(u[q+1:], "&") {
		end := start + len(piece) // the "&" after the piece
		if i <= end {
			name, _, _ := strings.Cut(piece, "=")
			reasons, signing := valueReasons[name]
			switch {
			case !signing:
				return urlReasons
			case i < start+len(name):
				return nameReasons
			case i == start+len(name) || i == end:
				return separatorReasons
			}
			return reasons
		}
		start = end + 1
	}
	return urlReasons
}

func isOneOf(err error, reasons []error) bool {
	for _, r := range reasons {
		if errors.Is(err, r) {
			return true
		}
	}
	return false
}

// TestTamperURL changes every byte of signed URLs, one at a time, in
// several ways: no change is ever accepted, and each is refused for a
// reason that fits where the change was made.
func TestTamperURL(t *testing.T) {
	rs, es := rsaSigner(), ecSigner()
	obj := host + "/private/a.jpg?v=1"
	conditions := `,"DateGreaterThan":{"AWS:EpochTime":1767200000},` +
		`"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"}`
	ip := netip.MustParseAddr("192.0.2.10")
	urls := []struct{ name, url string }{
		{"rsa_canned_sha1", rs.cannedURL(t, crypto.SHA1, obj, expires)},
		{"ecdsa_canned_sha256", es.cannedURL(t, crypto.SHA256, obj, expires)},
		{"rsa_custom_sha256", rs.customURL(t, crypto.SHA256, obj, policyJSON(obj, expires, conditions))},
		{"ecdsa_custom_sha1", es.customURL(t, crypto.SHA1, obj, policyJSON(obj, expires, ""))},
	}
	v := newVerifier()
	for _, tt := range urls {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := v.VerifyURL(tt.url, ip); err != nil {
				t.Fatalf("VerifyURL(%q) untampered error = %v", tt.url, err)
			}
			for i := 0; i < len(tt.url); i++ {
				for _, b := range replacements(tt.url[i]) {
					tampered := tt.url[:i] + string(b) + tt.url[i+1:]
					res, err := v.VerifyURL(tampered, ip)
					if err == nil {
						t.Fatalf("VerifyURL(%q) = %+v, want refusal", tampered, res)
					}
					if want := reasonsAt(tt.url, i); !isOneOf(err, want) {
						t.Errorf("VerifyURL(%q) at byte %d = %v, want one of %v", tampered, i, err, want)
					}
				}
			}
		})
	}
}

// TestTamperPolicyJSON changes every byte of a decoded custom policy and
// sends it re-encoded with the old signature: always a bad signature, and
// never a parse error, since the signature is checked first.
func TestTamperPolicyJSON(t *testing.T) {
	s := ecSigner()
	obj := host + "/private/a.jpg"
	policy := policyJSON(host+"/private/*", expires, "")
	good := s.customURL(t, crypto.SHA256, obj, policy)
	v := newVerifier()
	for i := 0; i < len(policy); i++ {
		for _, b := range replacements(policy[i]) {
			tampered := set(good, "Policy", cf64([]byte(policy[:i]+string(b)+policy[i+1:])))
			if _, err := v.VerifyURL(tampered, netip.Addr{}); !errors.Is(err, cfverify.ErrBadSignature) {
				t.Fatalf("VerifyURL(policy byte %d = %q) = %v, want %v", i, b, err, cfverify.ErrBadSignature)
			}
		}
	}
}

// TestTamperCookies changes every byte of every signed cookie value.
func TestTamperCookies(t *testing.T) {
	rs, es := rsaSigner(), ecSigner()
	obj := host + "/private/a.jpg"
	sets := []struct {
		name    string
		cookies map[string]string
	}{
		{"rsa_canned_sha256", rs.cannedCookies(t, crypto.SHA256, obj, expires)},
		{"ecdsa_custom_sha256", es.customCookies(t, crypto.SHA256, policyJSON(host+"/private/*", expires, ""))},
	}
	v := newVerifier()
	for _, tt := range sets {
		t.Run(tt.name, func(t *testing.T) {
			for name, value := range tt.cookies {
				want := valueReasons[strings.TrimPrefix(name, "CloudFront-")]
				for i := 0; i < len(value); i++ {
					for _, b := range replacements(value[i]) {
						c := with(tt.cookies, name, value[:i]+string(b)+value[i+1:])
						res, err := v.VerifyCookies(obj, c, netip.Addr{})
						if err == nil {
							t.Fatalf("VerifyCookies(%s=%q) = %+v, want refusal", name, c[name], res)
						}
						if !isOneOf(err, want) {
							t.Errorf("VerifyCookies(%s=%q) = %v, want one of %v", name, c[name], err, want)
						}
					}
				}
			}
		})
	}
}
