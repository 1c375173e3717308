package main

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

const (
	testPrivate = "https://d111111abcdef8.cloudfront.net/private/"
	testPrefix  = testPrivate + "alice/*"
)

// signed runs a sign command for the test key of typ and returns what
// "verify" needs to check the result: a URL, or --cookies and --url.
func signed(t *testing.T, typ, verb, arg string, flags ...string) []string {
	t.Helper()
	args := append([]string{"sign", verb, arg, "--key-id", "K1",
		"--key", privateKey(typ), "--expires", "1h", "--window", "15m"}, flags...)
	r := edgepass(args...)
	if r.code != exitOK {
		t.Fatalf("edgepass %q: %v", args, r)
	}
	if verb == "url" {
		return []string{strings.TrimSuffix(r.stdout, "\n")}
	}
	header := strings.Join(strings.Fields(r.stdout), "; ")
	return []string{"--cookies", header}
}

// verify runs "verify" with the public half of typ's test key as K1.
func verify(typ string, args ...string) result {
	return edgepass(append([]string{"verify", "--public-key", "K1=" + publicKey(typ)},
		args...)...)
}

func TestSignVerifyRoundTrip(t *testing.T) {
	setClock(t, testNow)
	notBefore := "--not-before=2026-12-03T20:00:00Z"
	kinds := []struct {
		name, verb, arg string
		flags           []string
		verifyArgs      []string // besides what sign printed
		want            string   // verify's stdout after hash
	}{
		{"url_canned", "url", testURL, nil, nil,
			"policy: canned\nresource: " + testURL},
		{"url_custom", "url", testURL,
			[]string{"--policy-resource", testPrivate + "*", notBefore, "--ip", "192.0.2.0/24"},
			[]string{"--ip", "192.0.2.9"},
			"policy: custom\nresource: " + testPrivate + "*"},
		{"cookies_canned", "cookies", testURL, nil, []string{"--url", testURL},
			"policy: canned\nresource: " + testURL},
		{"cookies_custom", "cookies", testPrefix, nil,
			[]string{"--url", testPrefix[:len(testPrefix)-1] + "b.png"},
			"policy: custom\nresource: " + testPrefix},
	}
	for _, typ := range []string{"ecdsa", "rsa"} {
		for _, hash := range []string{"sha256", "sha1"} {
			for _, k := range kinds {
				t.Run(typ+"_"+hash+"_"+k.name, func(t *testing.T) {
					args := signed(t, typ, k.verb, k.arg, append(k.flags, "--hash", hash)...)
					r := verify(typ, append(args, k.verifyArgs...)...)
					source := "url"
					if k.verb == "cookies" {
						source = "cookies"
					}
					want := "valid\nsource: " + source + "\nkey_id: K1\nhash: " + hash +
						"\n" + k.want + "\nexpires_at: 2026-12-03T21:15:00Z\n"
					if k.name == "url_custom" {
						want += "not_before: 2026-12-03T20:00:00Z\nip_range: 192.0.2.0/24\n"
					}
					if r.code != exitOK || r.stdout != want || r.stderr != "" {
						t.Errorf("verify %q: %v, want exit 0 and stdout %q", args, r, want)
					}
				})
			}
		}
	}
}

func TestVerifyInvalid(t *testing.T) {
	setClock(t, testNow)
	canned := signed(t, "ecdsa", "url", testURL)[0]
	withIP := signed(t, "ecdsa", "url", testURL, "--ip", "192.0.2.0/24")[0]
	cookies := signed(t, "ecdsa", "cookies", testPrefix)

	tests := []struct {
		name  string
		typ   string // whose public key verify trusts as K1
		args  []string
		later time.Duration // how long after signing verify runs
		want  error
	}{
		{"tampered_path", "ecdsa", []string{strings.Replace(canned, "a.jpg", "b.jpg", 1)},
			0, cfverify.ErrBadSignature},
		{"tampered_expires", "ecdsa", []string{tamperParam(t, canned, "Expires")},
			0, cfverify.ErrBadSignature},
		{"tampered_signature", "ecdsa", []string{tamperParam(t, canned, "Signature")},
			0, cfverify.ErrBadSignature},
		{"hash_flag_removed", "ecdsa",
			[]string{strings.Replace(canned, "&Hash-Algorithm=SHA256", "", 1)},
			0, cfverify.ErrHashAlgorithm},
		{"other_key", "rsa", []string{canned}, 0, cfverify.ErrBadSignature},
		{"expired", "ecdsa", []string{canned}, 2 * time.Hour, cfverify.ErrExpired},
		{"ip_unknown", "ecdsa", []string{withIP}, 0, cfverify.ErrIPNotAllowed},
		{"ip_outside", "ecdsa", []string{withIP, "--ip", "198.51.100.7"},
			0, cfverify.ErrIPNotAllowed},
		{"not_signed", "ecdsa", []string{testURL}, 0, cfverify.ErrNotSigned},
		{"cookies_other_path", "ecdsa",
			append(cookies, "--url", testPrivate+"bob/a"),
			0, cfverify.ErrResourceMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setClock(t, testNow.Add(tt.later))
			r := verify(tt.typ, tt.args...)
			if r.code != exitFail || !strings.HasPrefix(r.stdout, "invalid: ") ||
				!strings.Contains(r.stdout, tt.want.Error()) {
				t.Errorf("verify %q: %v; want exit 1 and stdout invalid: ...%v...",
					tt.args, r, tt.want)
			}
		})
	}
}

// tamperParam changes the middle character of a query parameter's value
// to another that is valid in numbers and in CloudFront's base64.
func tamperParam(t *testing.T, signed, name string) string {
	t.Helper()
	start := strings.Index(signed, name+"=")
	if start < 0 {
		t.Fatalf("%q has no %s", signed, name)
	}
	start += len(name) + 1
	end := strings.IndexByte(signed[start:], '&') + start
	mid := (start + end) / 2
	c := byte('1')
	if signed[mid] == c {
		c = '2'
	}
	return signed[:mid] + string(c) + signed[mid+1:]
}

func TestVerifyUnknownKeyID(t *testing.T) {
	setClock(t, testNow)
	u := signed(t, "ecdsa", "url", testURL)[0]
	r := edgepass("verify", u, "--public-key", "K2="+publicKey("ecdsa"))
	if r.code != exitFail || !strings.Contains(r.stdout, cfverify.ErrUnknownKey.Error()) {
		t.Errorf("verify with key K2 only: %v; want exit 1, %v", r, cfverify.ErrUnknownKey)
	}
}

// Several keys may be trusted at once, as during a rotation.
func TestVerifySeveralKeys(t *testing.T) {
	setClock(t, testNow)
	u := signed(t, "rsa", "url", testURL)[0]
	r := edgepass("verify", u, "--public-key", "K0="+publicKey("ecdsa"),
		"--public-key", "K1="+publicKey("rsa"))
	if r.code != exitOK || !strings.Contains(r.stdout, "\nkey_id: K1\n") {
		t.Errorf("verify with keys K0 and K1: %v; want valid by K1", r)
	}
}

func TestVerifyCookieHeaderForms(t *testing.T) {
	setClock(t, testNow)
	header := signed(t, "ecdsa", "cookies", testURL)[1]
	for name, h := range map[string]string{
		"header_line": "Cookie: " + header,
		"no_spaces":   strings.ReplaceAll(header, "; ", ";"),
		"other_first": "session=abc; " + header,
	} {
		t.Run(name, func(t *testing.T) {
			r := verify("ecdsa", "--cookies", h, "--url", testURL)
			if r.code != exitOK || !strings.HasPrefix(r.stdout, "valid\nsource: cookies\n") {
				t.Errorf("verify --cookies %q: %v; want valid", h, r)
			}
		})
	}
}

// As at CloudFront, signing parameters in the URL win over cookies.
func TestVerifyURLWinsOverCookies(t *testing.T) {
	setClock(t, testNow)
	u := signed(t, "ecdsa", "url", testURL)[0]
	r := verify("ecdsa", "--url", u, "--cookies", "CloudFront-Policy=bm9uZQ__")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "valid\nsource: url\n") {
		t.Errorf("verify signed URL with a bad cookie: %v; want valid from the url", r)
	}
}

func TestVerifyKeyFileFailure(t *testing.T) {
	tests := []struct {
		name, key, want string
	}{
		{"missing", "K1=missing.pub.pem", "edgepass verify: load public key: "},
		{"private_key", "K1=" + privateKey("ecdsa"),
			`edgepass verify: load public key "` + privateKey("ecdsa") + `": `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := edgepass("verify", testURL+"?Expires=1", "--public-key", tt.key)
			if r.code != exitFail || r.stdout != "" || !strings.HasPrefix(r.stderr, tt.want) {
				t.Errorf("verify --public-key %s: %v; want exit 1, stderr %q",
					tt.key, r, tt.want)
			}
		})
	}
}

// FuzzParseCookies checks that parseCookies never panics and that what it
// accepts survives a round trip through a Cookie header.
func FuzzParseCookies(f *testing.F) {
	f.Add("CloudFront-Policy=eyJ9_; CloudFront-Signature=a~b-c_; CloudFront-Key-Pair-Id=K1")
	f.Add("Cookie: a=1;b=2")
	f.Add(`a="quoted"; b=`)
	f.Add("a=1; a=2")
	f.Add(";;=")
	f.Fuzz(func(t *testing.T, header string) {
		got, err := parseCookies(header)
		if err != nil {
			return
		}
		var parts []string
		for _, name := range slices.Sorted(maps.Keys(got)) {
			value := got[name]
			if strings.ContainsAny(value, " ,") {
				value = `"` + value + `"`
			}
			parts = append(parts, name+"="+value)
		}
		again, err := parseCookies(strings.Join(parts, "; "))
		if err != nil || !maps.Equal(again, got) {
			t.Errorf("parseCookies(%q) = %q, but its header parses as %q, %v",
				header, got, again, err)
		}
	})
}
