package grant_test

import (
	"errors"
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/grant"
)

func FuzzCleanPath(f *testing.F) {
	for _, p := range []string{
		"/", "/private/a.jpg", "/private/café/ü.jpg", "/p/a b/", "/p/../x", "/p/./x",
		"//x", "/p/%2e%2e/", `/p\x`, "/p/*", "/p?x", "/p#x", "/p/\u202e", "/p/\xff",
		"/p/\"<>^`{}|[]", "/p/a..b/...", "p", "",
	} {
		f.Add(p)
	}
	root := []grant.Grant{{Pattern: "/*", Prefix: "/", Wildcard: true}}
	f.Fuzz(func(t *testing.T, p string) {
		clean, err := grant.CleanPath(p)
		if err != nil {
			if !errors.Is(err, grant.ErrInvalidPath) {
				t.Fatalf("CleanPath(%q) error %v, want ErrInvalidPath", p, err)
			}
			return
		}

		// The result is printable ASCII, starts with "/", and holds no
		// empty, "." or ".." segment and nothing that ends a path.
		for i := 0; i < len(clean); i++ {
			if c := clean[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`\*?#`, c) >= 0 {
				t.Fatalf("CleanPath(%q) = %q, holds byte %#x", p, clean, c)
			}
		}
		want := path.Clean(clean)
		if strings.HasSuffix(clean, "/") && clean != "/" {
			want += "/"
		}
		if clean != want {
			t.Fatalf("CleanPath(%q) = %q, not a clean path (%q)", p, clean, want)
		}

		// Decoding gives back the input, and cleaning is stable.
		raw, err := url.PathUnescape(clean)
		if err != nil || raw != p {
			t.Fatalf("PathUnescape(%q) = %q, %v, want %q", clean, raw, err, p)
		}
		if again, err := grant.CleanPath(raw); err != nil || again != clean {
			t.Fatalf("CleanPath(%q) = %q, %v, want %q", raw, again, err, clean)
		}
		if clean != "/" && !grant.Allows(root, clean) {
			t.Fatalf("Allows(/*, %q) = false, want true", clean)
		}
	})
}

func FuzzFor(f *testing.F) {
	for _, s := range []string{
		"alice", "zoë", "*", "a/b", "..", ".", "alice/*", "%2e%2e", "", "\u202e",
		"a b", "x..y", `a\b`, "a;b", "bob?", "{sub}",
	} {
		f.Add(s, "acme")
	}
	patterns := []string{"/private/users/{sub}/*", "/private/{org}/team/{sub}/x.jpg"}
	set, err := grant.Compile([]grant.Rule{{Paths: patterns}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sub, org string) {
		claims := map[string]any{"sub": sub, "org": org}
		grants := set.For(claims, nil)
		for _, g := range grants {
			checkGrant(t, g, patterns, claims)
		}

		// Another user's files stay closed, whatever the claims hold.
		others := []string{"/private/users/bob/a.jpg", "/private/acme/team/bob/x.jpg"}
		for _, other := range others {
			if sub != "bob" && grant.Allows(grants, other) {
				t.Fatalf("For(sub=%q, org=%q) = %v allows %q", sub, org, grants, other)
			}
		}
	})
}

// checkGrant fails unless g is one of patterns with every placeholder
// filled by exactly one whole segment, equal to the claim's value.
func checkGrant(t *testing.T, g grant.Grant, patterns []string, claims map[string]any) {
	t.Helper()
	raw, err := url.PathUnescape(g.Pattern)
	if err != nil {
		t.Fatalf("grant %+v: pattern does not decode: %v", g, err)
	}
	for _, p := range patterns {
		if strings.HasSuffix(p, "*") != g.Wildcard || !sameShape(p, raw, claims) {
			continue
		}
		want := strings.TrimSuffix(g.Pattern, "*")
		clean, err := grant.CleanPath(strings.TrimSuffix(raw, "*"))
		if g.Prefix != want || err != nil || clean != want {
			t.Fatalf("grant %+v: prefix not the clean pattern (%q, %v)", g, clean, err)
		}
		return
	}
	t.Fatalf("grant %+v matches none of %q for claims %q", g, patterns, claims)
}

// sameShape reports whether raw is pattern with each {claim} replaced by
// that claim's value.
func sameShape(pattern, raw string, claims map[string]any) bool {
	want, got := strings.Split(pattern, "/"), strings.Split(raw, "/")
	if len(want) != len(got) {
		return false
	}
	for i, w := range want {
		if name, ok := strings.CutPrefix(w, "{"); ok {
			w, _ = claims[strings.TrimSuffix(name, "}")].(string)
		}
		if w != got[i] {
			return false
		}
	}
	return true
}
