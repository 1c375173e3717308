package cfsign_test

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

func parseAnyKey(data []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, errors.New("not a signer")
	}
	return signer, nil
}

func TestExpiry(t *testing.T) {
	base := time.Date(2026, 12, 3, 20, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		now    time.Time
		ttl    time.Duration
		window time.Duration
		want   time.Time
	}{
		{"on_boundary", base, time.Hour, 15 * time.Minute, base.Add(time.Hour)},
		{"inside_window", base.Add(time.Minute), time.Hour, 15 * time.Minute,
			base.Add(75 * time.Minute)},
		{"last_second", base.Add(14*time.Minute + 59*time.Second), time.Hour,
			15 * time.Minute, base.Add(75 * time.Minute)},
		{"sub_second_rounds_up", base.Add(time.Millisecond), 0, 0, base.Add(time.Second)},
		{"no_window", base.Add(7 * time.Second), time.Minute, 0, base.Add(67 * time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cfsign.Expiry(tt.now, tt.ttl, tt.window)
			if !got.Equal(tt.want) {
				t.Errorf("Expiry(%s, %s, %s) = %s, want %s",
					tt.now, tt.ttl, tt.window, got, tt.want)
			}
		})
	}
}

// Every request inside one window must yield the same URL.
func TestSameWindowSameURL(t *testing.T) {
	s := ecSigner(t, cfsign.SHA256)
	base := time.Date(2026, 12, 3, 20, 0, 0, 1, time.UTC)
	first := ""
	for i := 0; i < 15*60; i += 37 {
		now := base.Add(time.Duration(i) * time.Second)
		u, err := s.CannedURL("https://cdn.example/a.jpg",
			cfsign.Expiry(now, time.Hour, 15*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if first == "" {
			first = u
		} else if u != first {
			t.Fatalf("URL at +%ds = %q, want %q", i, u, first)
		}
	}
}

func TestCacheCountsAndReuses(t *testing.T) {
	cache, err := cfsign.NewCache(2)
	if err != nil {
		t.Fatal(err)
	}
	s := newSigner(t, "p256.test.pem", ecKeyID, cfsign.SHA256, cache)
	plain := ecSigner(t, cfsign.SHA256)
	for _, u := range []string{"https://c/a", "https://c/a", "https://c/b", "https://c/a"} {
		got, err := s.CannedURL(u, expires)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := plain.CannedURL(u, expires)
		if got != want {
			t.Errorf("cached CannedURL(%q) = %q, want %q", u, got, want)
		}
	}
	if hits, misses := cache.Stats(); hits != 2 || misses != 2 {
		t.Errorf("Stats() = %d hits, %d misses; want 2, 2", hits, misses)
	}
	// A different hash or key must never be served another's signature.
	s1 := newSigner(t, "p256.test.pem", ecKeyID, cfsign.SHA1, cache)
	u1, _ := s1.CannedURL("https://c/a", expires)
	if !strings.Contains(u1, "Key-Pair-Id="+ecKeyID) || strings.Contains(u1, "Hash-Algorithm") {
		t.Errorf("SHA-1 URL %q carries the wrong flags", u1)
	}
	if _, misses := cache.Stats(); misses != 3 {
		t.Errorf("SHA-1 signature came from the SHA-256 entry (misses = %d, want 3)", misses)
	}
	if cache.Len() != 2 {
		t.Errorf("Len() = %d, want the bound 2", cache.Len())
	}
}

func TestCookies(t *testing.T) {
	s := rsaSigner(t, cfsign.SHA256)
	canned, err := s.CannedCookies("https://cdn.example/a.jpg", expires)
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"CloudFront-Expires", "CloudFront-Signature",
		"CloudFront-Key-Pair-Id", "CloudFront-Hash-Algorithm"}
	checkNames(t, "CannedCookies", canned, wantNames)
	if canned[0].Value != "1767290400" || canned[3].Value != "SHA256" {
		t.Errorf("CannedCookies = %v, want expiry 1767290400 and SHA256", canned)
	}
	p := cfsign.Policy{Resource: "https://cdn.example/users/alice/*", Expires: expires}
	custom, err := rsaSigner(t, cfsign.SHA1).CustomCookies(p)
	if err != nil {
		t.Fatal(err)
	}
	checkNames(t, "CustomCookies", custom,
		[]string{"CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id"})
	policy, _ := p.JSON()
	if custom[0].Value != cfsign.Encode(policy) {
		t.Errorf("CloudFront-Policy = %q, want %q", custom[0].Value, cfsign.Encode(policy))
	}
	checkSignature(t, "rsa", cfsign.SHA1, policy, mustDecode(t, custom[1].Value))

	if _, err := s.CannedCookies("https://cdn.example/a/*", expires); !errors.Is(err, cfsign.ErrWildcard) {
		t.Errorf("CannedCookies with wildcard: err = %v, want ErrWildcard", err)
	}
	long := cfsign.Policy{Resource: "https://c/" + strings.Repeat("a", 3000), Expires: expires}
	if _, err := s.CustomCookies(long); !errors.Is(err, cfsign.ErrTooLong) {
		t.Errorf("CustomCookies with a huge policy: err = %v, want ErrTooLong", err)
	}
}

func checkNames(t *testing.T, fn string, cs []cfsign.Cookie, want []string) {
	t.Helper()
	if len(cs) != len(want) {
		t.Fatalf("%s gave %d cookies %v, want %v", fn, len(cs), cs, want)
	}
	for i := range want {
		if cs[i].Name != want[i] {
			t.Errorf("%s cookie %d = %q, want %q", fn, i, cs[i].Name, want[i])
		}
	}
}

func mustDecode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := cfsign.Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
