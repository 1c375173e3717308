package cfsign_test

import (
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden pins whole signed URLs and cookies for the fixture keys, so
// any change to what goes on the wire shows up as a diff.
func TestGolden(t *testing.T) {
	var b strings.Builder
	p := cfsign.Policy{
		Resource:  "https://d111111abcdef8.cloudfront.net/private/users/alice/*",
		Expires:   expires,
		NotBefore: expires.Add(-24 * time.Hour),
		IPRange:   netip.MustParsePrefix("192.0.2.0/24"),
	}
	for _, h := range []cfsign.Hash{cfsign.SHA1, cfsign.SHA256} {
		for _, kind := range []string{"rsa", "ecdsa"} {
			s := rsaSigner(t, h)
			if kind == "ecdsa" {
				s = ecSigner(t, h)
			}
			canned, err := s.CannedURL(
				"https://d111111abcdef8.cloudfront.net/private/a%20b.jpg?v=1", expires)
			if err != nil {
				t.Fatal(err)
			}
			custom, err := s.CustomURL(
				"https://d111111abcdef8.cloudfront.net/private/users/alice/a.jpg", p)
			if err != nil {
				t.Fatal(err)
			}
			cookies, err := s.CustomCookies(p)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "# %s %s\ncanned %s\ncustom %s\n", kind, h, canned, custom)
			for _, c := range cookies {
				fmt.Fprintf(&b, "cookie %s=%s\n", c.Name, c.Value)
			}
		}
	}
	compareGolden(t, "signed.golden", b.String())
}

func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("%s line %d:\n got %s\nwant %s", name, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s: %d lines, want %d", name, len(gl), len(wl))
	}
}
