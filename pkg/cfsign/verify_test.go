package cfsign_test

import (
	"crypto"
	"encoding/binary"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/cfverify"
)

// The verifier is written from CloudFront's documentation, not from this
// signer: each checks the other.

func verifier(s *cfsign.Signer, kind string, t testing.TB) *cfverify.Verifier {
	key := loadKey(t, "p256.test.pem")
	if kind == "rsa" {
		key = loadKey(t, "rsa2048.test.pem")
	}
	return &cfverify.Verifier{
		Keys: map[string]crypto.PublicKey{s.KeyID(): key.Public()},
		Now:  func() time.Time { return expires.Add(-time.Hour) },
	}
}

func signers(t testing.TB) map[string]*cfsign.Signer {
	return map[string]*cfsign.Signer{
		"rsa_sha1": rsaSigner(t, cfsign.SHA1), "rsa_sha256": rsaSigner(t, cfsign.SHA256),
		"ecdsa_sha1": ecSigner(t, cfsign.SHA1), "ecdsa_sha256": ecSigner(t, cfsign.SHA256),
	}
}

// Changing any byte of a signed URL must make it fail, for a reason that
// names what was changed: never an acceptance.
func TestTamperedURLFails(t *testing.T) {
	const base = "https://cdn.example/private/a.jpg?v=1"
	for name, s := range signers(t) {
		kind, _, _ := strings.Cut(name, "_")
		v := verifier(s, kind, t)
		canned, err := s.CannedURL(base, expires)
		if err != nil {
			t.Fatal(err)
		}
		// An exact resource: with a wildcard, a changed path inside it
		// would rightly still verify.
		custom, err := s.CustomURL(base, cfsign.Policy{Resource: base, Expires: expires})
		if err != nil {
			t.Fatal(err)
		}
		for _, signed := range []string{canned, custom} {
			if _, err := v.VerifyURL(signed, netip.Addr{}); err != nil {
				t.Fatalf("%s: VerifyURL(%q): %v", name, signed, err)
			}
			for i := range len(signed) {
				for _, c := range []byte{'A', '~', '0'} {
					if signed[i] == c {
						continue
					}
					bad := signed[:i] + string(c) + signed[i+1:]
					if r, err := v.VerifyURL(bad, netip.Addr{}); err == nil {
						t.Fatalf("%s: byte %d changed to %q still verifies: %q (%+v)",
							name, i, c, bad, r)
					}
				}
			}
		}
	}
}

func TestTamperedCookiesFail(t *testing.T) {
	const object = "https://cdn.example/private/users/alice/a.jpg"
	p := cfsign.Policy{Resource: "https://cdn.example/private/users/alice/*", Expires: expires}
	for name, s := range signers(t) {
		kind, _, _ := strings.Cut(name, "_")
		v := verifier(s, kind, t)
		cookies, err := s.CustomCookies(p)
		if err != nil {
			t.Fatal(err)
		}
		jar := map[string]string{}
		for _, c := range cookies {
			jar[c.Name] = c.Value
		}
		if _, err := v.VerifyCookies(object, jar, netip.Addr{}); err != nil {
			t.Fatalf("%s: VerifyCookies: %v", name, err)
		}
		if _, err := v.VerifyCookies("https://cdn.example/private/users/bob/a.jpg", jar,
			netip.Addr{}); !errors.Is(err, cfverify.ErrResourceMismatch) {
			t.Errorf("%s: alice's cookies on bob's object: %v, want ErrResourceMismatch", name, err)
		}
		for _, c := range cookies {
			for i := range len(c.Value) {
				bad := copyJar(jar)
				repl := byte('A')
				if c.Value[i] == 'A' {
					repl = 'B'
				}
				bad[c.Name] = c.Value[:i] + string(repl) + c.Value[i+1:]
				if _, err := v.VerifyCookies(object, bad, netip.Addr{}); err == nil {
					t.Fatalf("%s: %s byte %d changed still verifies", name, c.Name, i)
				}
			}
		}
	}
}

func copyJar(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// FuzzSignVerify checks that whatever the signer accepts, the verifier
// accepts for the same URL, and refuses for another object.
func FuzzSignVerify(f *testing.F) {
	f.Add("/private/a.jpg", "v=1", int64(3600), true)
	f.Add("/p%C3%A9/x%20y", "", int64(60), false)
	f.Add("/a/b/c", "x=1&y=2", int64(86400), true)
	s := ecSigner(f, cfsign.SHA256)
	key := loadKey(f, "p256.test.pem")
	now := time.Unix(1767200000, 0)
	v := &cfverify.Verifier{
		Keys: map[string]crypto.PublicKey{s.KeyID(): key.Public()},
		Now:  func() time.Time { return now },
	}
	f.Fuzz(func(t *testing.T, path, query string, ttl int64, canned bool) {
		if ttl <= 0 || ttl > 1<<32 {
			return
		}
		u := "https://cdn.example" + path
		if query != "" {
			u += "?" + query
		}
		exp := now.Add(time.Duration(ttl) * time.Second)
		var signed string
		var err error
		if canned {
			signed, err = s.CannedURL(u, exp)
		} else {
			signed, err = s.CustomURL(u, cfsign.Policy{Resource: u, Expires: exp})
		}
		if err != nil {
			return
		}
		if _, err := v.VerifyURL(signed, netip.Addr{}); err != nil {
			t.Fatalf("sign(%q) = %q, which does not verify: %v", u, signed, err)
		}
		if strings.Contains(u, "*") {
			return // a wildcard resource rightly opens other objects
		}
		other := strings.Replace(signed, "https://cdn.example", "https://cdn.example/x", 1)
		if _, err := v.VerifyURL(other, netip.Addr{}); err == nil {
			t.Fatalf("signature for %q also opens %q", u, other)
		}
	})
}

// editURL changes one signing parameter of a signed URL: a nil value
// removes it, and a parameter it does not hold is appended.
func editURL(signed, name string, value *string) string {
	base, query, _ := strings.Cut(signed, "?")
	var out []string
	found := false
	for _, pair := range strings.Split(query, "&") {
		if n, _, _ := strings.Cut(pair, "="); n == name {
			found = true
			if value == nil {
				continue
			}
			pair = name + "=" + *value
		}
		out = append(out, pair)
	}
	if !found && value != nil {
		out = append(out, name+"="+*value)
	}
	return base + "?" + strings.Join(out, "&")
}

func param(signed, name string) string {
	_, query, _ := strings.Cut(signed, "?")
	for _, pair := range strings.Split(query, "&") {
		if n, v, _ := strings.Cut(pair, "="); n == name {
			return v
		}
	}
	return ""
}

// flipped returns s with its byte i replaced by another character of
// CloudFront's base64 alphabet, so that the value still decodes.
func flipped(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

// TestTamperReasons edits what this signer produces, one meaningful part
// at a time, and checks the verifier names the part: another key ID is an
// unknown key, another path or expiry a bad signature (canned) or
// resource mismatch (custom), a changed signature a bad signature, and a
// dropped or added hash flag a wrong hash algorithm.
func TestTamperReasons(t *testing.T) {
	const object = "https://cdn.example/private/a.jpg?v=1"
	other := "KOTHERKEY123"
	later := epochOf(expires.Add(time.Hour))
	sha256Flag := "SHA256"
	for name, s := range signers(t) {
		kind, hash, _ := strings.Cut(name, "_")
		v := verifier(s, kind, t)
		canned, err := s.CannedURL(object, expires)
		if err != nil {
			t.Fatal(err)
		}
		custom, err := s.CustomURL(object, cfsign.Policy{Resource: object, Expires: expires})
		if err != nil {
			t.Fatal(err)
		}
		sig := param(canned, "Signature")
		badSig := flipped(sig, len(sig)/2)
		hashEdit := editURL(canned, "Hash-Algorithm", nil)
		if hash == "sha1" {
			hashEdit = editURL(canned, "Hash-Algorithm", &sha256Flag)
		}
		tests := []struct {
			name, url string
			want      error
		}{
			{"canned_key_id", editURL(canned, "Key-Pair-Id", &other), cfverify.ErrUnknownKey},
			{"custom_key_id", editURL(custom, "Key-Pair-Id", &other), cfverify.ErrUnknownKey},
			{"canned_signature", editURL(canned, "Signature", &badSig), cfverify.ErrBadSignature},
			{"canned_expires", editURL(canned, "Expires", &later), cfverify.ErrBadSignature},
			{"canned_path", strings.Replace(canned, "/a.jpg", "/b.jpg", 1),
				cfverify.ErrBadSignature},
			{"custom_path", strings.Replace(custom, "/a.jpg", "/b.jpg", 1),
				cfverify.ErrResourceMismatch},
			{"canned_query", strings.Replace(canned, "v=1", "v=2", 1), cfverify.ErrBadSignature},
			{"hash_flag", hashEdit, cfverify.ErrHashAlgorithm},
		}
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				if _, err := v.VerifyURL(tt.url, netip.Addr{}); !errors.Is(err, tt.want) {
					t.Errorf("VerifyURL(%q) = %v, want %v", tt.url, err, tt.want)
				}
			})
		}
	}
}

// TestTamperCookieReasons does the same for cookie sets, canned and
// custom.
func TestTamperCookieReasons(t *testing.T) {
	const object = "https://cdn.example/private/users/alice/a.jpg"
	for name, s := range signers(t) {
		kind, _, _ := strings.Cut(name, "_")
		v := verifier(s, kind, t)
		canned, err := s.CannedCookies(object, expires)
		if err != nil {
			t.Fatal(err)
		}
		custom, err := s.CustomCookies(cfsign.Policy{
			Resource: "https://cdn.example/private/users/alice/*", Expires: expires})
		if err != nil {
			t.Fatal(err)
		}
		for _, set := range []struct {
			name    string
			cookies []cfsign.Cookie
			object  string // another object the set does not cover
			want    error
		}{
			{"canned", canned, "https://cdn.example/private/users/alice/b.jpg",
				cfverify.ErrBadSignature},
			{"custom", custom, "https://cdn.example/private/users/bob/a.jpg",
				cfverify.ErrResourceMismatch},
		} {
			jar := map[string]string{}
			for _, c := range set.cookies {
				jar[c.Name] = c.Value
			}
			sig := jar["CloudFront-Signature"]
			edits := []struct {
				name, cookie, value string
				want                error
			}{
				{"key_id", "CloudFront-Key-Pair-Id", "KOTHERKEY123", cfverify.ErrUnknownKey},
				{"signature", "CloudFront-Signature", flipped(sig, len(sig)/2),
					cfverify.ErrBadSignature},
			}
			for _, e := range edits {
				t.Run(name+"/"+set.name+"_"+e.name, func(t *testing.T) {
					bad := copyJar(jar)
					bad[e.cookie] = e.value
					if _, err := v.VerifyCookies(object, bad, netip.Addr{}); !errors.Is(err, e.want) {
						t.Errorf("VerifyCookies(%s=%q) = %v, want %v", e.cookie, e.value, err, e.want)
					}
				})
			}
			t.Run(name+"/"+set.name+"_other_object", func(t *testing.T) {
				if _, err := v.VerifyCookies(set.object, jar, netip.Addr{}); !errors.Is(err, set.want) {
					t.Errorf("VerifyCookies(%q) = %v, want %v", set.object, err, set.want)
				}
			})
		}
	}
}

func epochOf(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// FuzzSignVerifyCookies checks custom-policy cookie sets over every key
// type and hash, with start times and IP ranges: what the signer accepts
// verifies inside its window and range, and is refused outside them.
func FuzzSignVerifyCookies(f *testing.F) {
	f.Add("/private/users/alice/", int64(3600), int64(0), uint32(0), uint8(0), uint8(0))
	f.Add("/p%C3%A9/", int64(60), int64(30), uint32(0xc0000200), uint8(24), uint8(1))
	f.Add("/a/b/", int64(86400), int64(600), uint32(0x0a000001), uint8(32), uint8(3))
	all := signers(f)
	names := []string{"ecdsa_sha256", "ecdsa_sha1", "rsa_sha256", "rsa_sha1"}
	verifiers := map[string]*cfverify.Verifier{}
	for _, n := range names {
		kind, _, _ := strings.Cut(n, "_")
		verifiers[n] = verifier(all[n], kind, f)
	}
	start := time.Unix(1767200000, 0)
	f.Fuzz(func(t *testing.T, prefix string, ttl, delay int64, ip uint32, bits, which uint8) {
		if ttl <= 0 || ttl > 1<<32 || delay < 0 || delay >= ttl || bits > 32 {
			return
		}
		name := names[int(which)%len(names)]
		s, v := all[name], *verifiers[name]
		p := cfsign.Policy{
			Resource:  "https://cdn.example" + prefix + "*",
			NotBefore: start, Expires: start.Add(time.Duration(ttl) * time.Second),
		}
		var octets [4]byte
		binary.BigEndian.PutUint32(octets[:], ip)
		addr := netip.AddrFrom4(octets)
		if bits > 0 {
			p.IPRange = netip.PrefixFrom(addr, int(bits)).Masked()
		}
		set, err := s.CustomCookies(p)
		if err != nil {
			return
		}
		jar := map[string]string{}
		for _, c := range set {
			jar[c.Name] = c.Value
		}
		object := "https://cdn.example" + prefix + "obj.jpg"
		v.Now = func() time.Time { return start.Add(time.Duration(delay) * time.Second) }
		if _, err := v.VerifyCookies(object, jar, addr); err != nil {
			t.Fatalf("%s: cookies for %+v refused on %q from %s: %v", name, p, object, addr, err)
		}
		v.Now = func() time.Time { return start.Add(-time.Second) }
		if _, err := v.VerifyCookies(object, jar, addr); !errors.Is(err, cfverify.ErrNotYetValid) {
			t.Fatalf("%s: before the start: %v, want ErrNotYetValid", name, err)
		}
		v.Now = func() time.Time { return p.Expires }
		if _, err := v.VerifyCookies(object, jar, addr); !errors.Is(err, cfverify.ErrExpired) {
			t.Fatalf("%s: at the expiry: %v, want ErrExpired", name, err)
		}
	})
}
