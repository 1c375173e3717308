package grant_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/edgepass/edgepass/pkg/grant"
)

// rules is the grants: section of DESIGN.md, with an exact path added.
var rules = []grant.Rule{
	{Paths: []string{"/private/users/{sub}/*"}},
	{Paths: []string{"/private/premium/*"}, Claims: map[string]string{"plan": "premium"}},
	{Paths: []string{"/private/teams/{org}/*"}, Scope: "media:read"},
	{Paths: []string{"/private/terms.pdf"}},
}

func compile(t *testing.T, rules []grant.Rule) *grant.Set {
	t.Helper()
	set, err := grant.Compile(rules)
	if err != nil {
		t.Fatalf("Compile(%+v) = %v", rules, err)
	}
	return set
}

func wild(prefix string) grant.Grant {
	return grant.Grant{Pattern: prefix + "*", Prefix: prefix, Wildcard: true}
}

func exact(path string) grant.Grant {
	return grant.Grant{Pattern: path, Prefix: path}
}

func TestFor(t *testing.T) {
	set := compile(t, rules)
	tests := []struct {
		name   string
		claims map[string]any
		scopes []string
		want   []grant.Grant
	}{
		{"sub_only", map[string]any{"sub": "alice"}, nil,
			[]grant.Grant{wild("/private/users/alice/"), exact("/private/terms.pdf")}},
		{"no_sub", map[string]any{}, nil,
			[]grant.Grant{exact("/private/terms.pdf")}},
		{"premium", map[string]any{"sub": "bob", "plan": "premium"}, nil, []grant.Grant{
			wild("/private/users/bob/"), wild("/private/premium/"),
			exact("/private/terms.pdf"),
		}},
		{"plan_case_differs", map[string]any{"sub": "bob", "plan": "Premium"}, nil,
			[]grant.Grant{wild("/private/users/bob/"), exact("/private/terms.pdf")}},
		{"plan_not_string", map[string]any{"plan": []any{"premium"}}, nil,
			[]grant.Grant{exact("/private/terms.pdf")}},
		{"scope", map[string]any{"org": "acme"}, []string{"openid", "media:read"},
			[]grant.Grant{wild("/private/teams/acme/"), exact("/private/terms.pdf")}},
		{"scope_missing", map[string]any{"org": "acme"}, []string{"media:write"},
			[]grant.Grant{exact("/private/terms.pdf")}},
		{"scope_without_org", map[string]any{}, []string{"media:read"},
			[]grant.Grant{exact("/private/terms.pdf")}},
		{"non_ascii_sub", map[string]any{"sub": "zoë"}, nil, []grant.Grant{
			wild("/private/users/zo%C3%AB/"), exact("/private/terms.pdf"),
		}},
		{"sub_encoded_ascii", map[string]any{"sub": "a b{c}"}, nil, []grant.Grant{
			wild("/private/users/a%20b%7Bc%7D/"), exact("/private/terms.pdf"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := set.For(tt.claims, tt.scopes)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("For(%v, %q) mismatch (-want +got):\n%s", tt.claims, tt.scopes, diff)
			}
		})
	}
}

func TestForDeduplicates(t *testing.T) {
	set := compile(t, []grant.Rule{
		{Paths: []string{"/u/{sub}/*", "/u/alice/*"}},
		{Paths: []string{"/u/{name}/*"}},
	})
	got := set.For(map[string]any{"sub": "alice", "name": "alice"}, nil)
	if diff := cmp.Diff([]grant.Grant{wild("/u/alice/")}, got); diff != "" {
		t.Errorf("For mismatch (-want +got):\n%s", diff)
	}
}

// TestForClaimInjection checks that no claim value, however crafted, opens a
// path outside the caller's own prefix.
func TestForClaimInjection(t *testing.T) {
	set := compile(t, []grant.Rule{
		{Paths: []string{"/private/users/{sub}/*", "/private/avatars/{sub}"}},
	})
	others := []string{
		"/private/users/bob/a.jpg",
		"/private/users/alice/a.jpg",
		"/private/users/a/b/c.jpg",
		"/private/avatars/bob",
		"/private/secret.jpg",
		"/private/users/*/a.jpg",
	}
	tests := []struct {
		name string
		sub  any
	}{
		{"star", "*"},
		{"slash", "a/b"},
		{"dot_dot", ".."},
		{"dot", "."},
		{"prefix_wildcard", "alice/*"},
		{"traversal", "../bob"},
		{"dots_inside", "x..y"},
		{"encoded_dot_dot", "%2e%2e"},
		{"encoded_slash", "alice%2Fbob"},
		{"empty", ""},
		{"number", 42},
		{"float", 4.2},
		{"bool", true},
		{"null", nil},
		{"array", []any{"alice"}},
		{"object", map[string]any{"sub": "alice"}},
		{"right_to_left_override", "\u202ebob"},
		{"zero_width_joiner", "bo\u200db"},
		{"newline", "bob\n"},
		{"nul", "bob\x00"},
		{"backslash", `..\bob`},
		{"question_mark", "bob?"},
		{"hash", "bob#"},
		{"semicolon", "bob;Path=/"},
		{"line_separator", "bob\u2028"},
		{"invalid_utf8", "bob\xff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims := map[string]any{"sub": tt.sub}
			got := set.For(claims, nil)
			if len(got) != 0 {
				t.Errorf("For(sub=%#v) = %v, want no grants", tt.sub, got)
			}
			for _, p := range others {
				if clean, err := grant.CleanPath(p); err == nil && grant.Allows(got, clean) {
					t.Errorf("Allows(For(sub=%#v), %q) = true, want false", tt.sub, p)
				}
			}
		})
	}
}

func TestAllows(t *testing.T) {
	grants := []grant.Grant{
		wild("/private/users/alice/"),
		wild("/private/caf%C3%A9/"),
		exact("/private/terms.pdf"),
		exact("/private/docs/"),
	}
	tests := []struct {
		path string
		want bool
	}{
		{"/private/users/alice/a.jpg", true},
		{"/private/users/alice/2026/a.jpg", true},
		{"/private/users/alice/", false},
		{"/private/users/alice", false},
		{"/private/users/alice2/a.jpg", false},
		{"/private/users/bob/a.jpg", false},
		{"/private/caf%C3%A9/a.jpg", true},
		{"/private/caf%c3%a9/a.jpg", false},
		{"/private/café/a.jpg", false},
		{"/private/terms.pdf", true},
		{"/private/terms.pdf/x", false},
		{"/private/terms.pdfx", false},
		{"/private/docs/", true},
		{"/private/docs", false},
		{"/private/users/alice/../bob/a.jpg", false},
		{"/private/users/alice/%2E%2E/bob/a.jpg", false},
		{"/private/users/alice/%2F../bob/a.jpg", false},
		{"/private/users/alice//a.jpg", false},
		{"/private/users/alice/a.jpg?x", false},
		{"/private/users/alice/a%", false},
		{"/private/users/alice/%41.jpg", false},
		{"/private/users/alice/a b.jpg", false},
		{"/private/users/alice/a%20b.jpg", true},
	}
	for _, tt := range tests {
		if got := grant.Allows(grants, tt.path); got != tt.want {
			t.Errorf("Allows(%q) = %t, want %t", tt.path, got, tt.want)
		}
	}
	if grant.Allows(nil, "/private/terms.pdf") {
		t.Errorf("Allows(nil, %q) = true, want false", "/private/terms.pdf")
	}
}

func TestCovering(t *testing.T) {
	tests := []struct {
		name   string
		grants []grant.Grant
		want   []grant.Grant
	}{
		{"none", nil, []grant.Grant{}},
		{"siblings",
			[]grant.Grant{wild("/a/"), wild("/b/"), wild("/ab/")},
			[]grant.Grant{wild("/a/"), wild("/b/"), wild("/ab/")}},
		{"nested_wider_later",
			[]grant.Grant{wild("/a/b/"), wild("/x/"), wild("/a/")},
			[]grant.Grant{wild("/x/"), wild("/a/")}},
		{"nested_three_levels",
			[]grant.Grant{wild("/a/b/c/"), wild("/a/b/"), wild("/a/")},
			[]grant.Grant{wild("/a/")}},
		{"root_covers_all",
			[]grant.Grant{wild("/a/"), exact("/t.pdf"), wild("/")},
			[]grant.Grant{wild("/")}},
		{"equal",
			[]grant.Grant{wild("/a/"), wild("/a/")},
			[]grant.Grant{wild("/a/")}},
		{"exact_inside_wildcard",
			[]grant.Grant{exact("/a/t.pdf"), wild("/a/")},
			[]grant.Grant{wild("/a/")}},
		{"exact_beside_wildcard",
			[]grant.Grant{exact("/a.pdf"), wild("/a/"), exact("/ab")},
			[]grant.Grant{exact("/a.pdf"), wild("/a/"), exact("/ab")}},
		{"exact_parent_of_wildcard",
			[]grant.Grant{exact("/a"), wild("/a/b/")},
			[]grant.Grant{wild("/a/b/")}},
		{"exact_parent_of_exact",
			[]grant.Grant{exact("/a/b"), exact("/a")},
			[]grant.Grant{exact("/a")}},
		{"exact_trailing_slash_and_wildcard",
			[]grant.Grant{exact("/a/"), wild("/a/")},
			[]grant.Grant{wild("/a/")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := grant.Covering(tt.grants)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Covering(%v) mismatch (-want +got):\n%s", tt.grants, diff)
			}
		})
	}
}

// TestCoveringNoTwoSets checks the promise behind Covering: for every path,
// at most one kept grant's cookie path matches it.
func TestCoveringNoTwoSets(t *testing.T) {
	all := []grant.Grant{
		wild("/"), wild("/a/"), wild("/a/b/"), wild("/ab/"), exact("/a"),
		exact("/a/"), exact("/a/b"), exact("/a/b/c"), exact("/ab"), exact("/c"),
	}
	paths := []string{"/", "/a", "/a/", "/a/b", "/a/b/", "/a/b/c", "/ab", "/ab/x", "/c"}
	// Try every subset of all, in order.
	for mask := range 1 << len(all) {
		var in []grant.Grant
		for i, g := range all {
			if mask&(1<<i) != 0 {
				in = append(in, g)
			}
		}
		kept := grant.Covering(in)
		for _, p := range paths {
			if n := cookieSets(kept, p); n > 1 {
				t.Fatalf("Covering(%v) = %v: %d cookie sets for %q", in, kept, n, p)
			}
		}
	}
}

// cookieSets counts the grants whose cookies, with Path set to the grant's
// prefix, a browser sends with a request for path (RFC 6265, 5.1.4).
func cookieSets(grants []grant.Grant, path string) int {
	n := 0
	for _, g := range grants {
		c := g.Prefix
		if path == c || len(path) > len(c) && path[:len(c)] == c &&
			(c[len(c)-1] == '/' || path[len(c)] == '/') {
			n++
		}
	}
	return n
}

func TestScopes(t *testing.T) {
	tests := []struct {
		name   string
		claims map[string]any
		want   []string
	}{
		{"none", map[string]any{}, nil},
		{"scope_string", map[string]any{"scope": "openid  media:read\tprofile"},
			[]string{"openid", "media:read", "profile"}},
		{"scp_array", map[string]any{"scp": []any{"media:read", 7, "", "profile"}},
			[]string{"media:read", "profile"}},
		{"scp_strings", map[string]any{"scp": []string{"media:read"}},
			[]string{"media:read"}},
		{"scp_string", map[string]any{"scp": "a b"}, []string{"a", "b"}},
		{"both_deduplicated", map[string]any{"scope": "a b", "scp": []any{"b", "c"}},
			[]string{"a", "b", "c"}},
		{"wrong_types", map[string]any{"scope": 42, "scp": map[string]any{}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := grant.Scopes(tt.claims)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Scopes(%v) mismatch (-want +got):\n%s", tt.claims, diff)
			}
		})
	}
}

func TestForNilSet(t *testing.T) {
	var set *grant.Set
	if got := set.For(map[string]any{"sub": "a"}, nil); got != nil {
		t.Errorf("nil Set For = %v, want nil", got)
	}
}

func ExampleSet_For() {
	set, err := grant.Compile([]grant.Rule{
		{Paths: []string{"/private/users/{sub}/*"}},
		{Paths: []string{"/private/premium/*"}, Claims: map[string]string{"plan": "premium"}},
		{Paths: []string{"/private/teams/{org}/*"}, Scope: "media:read"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	claims := map[string]any{"sub": "zoë", "org": "acme", "scope": "openid media:read"}
	grants := set.For(claims, grant.Scopes(claims))
	for _, g := range grants {
		fmt.Println(g.Pattern)
	}

	for _, p := range []string{"/private/users/zoë/café.jpg", "/private/premium/a.mp4"} {
		clean, err := grant.CleanPath(p)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(clean, grant.Allows(grants, clean))
	}
	// Output:
	// /private/users/zo%C3%AB/*
	// /private/teams/acme/*
	// /private/users/zo%C3%AB/caf%C3%A9.jpg true
	// /private/premium/a.mp4 false
}

func ExampleCleanPath() {
	for _, p := range []string{"/private/a b/ü.jpg", "/private/../etc/passwd"} {
		clean, err := grant.CleanPath(p)
		fmt.Printf("%q %v\n", clean, err)
	}
	// Output:
	// "/private/a%20b/%C3%BC.jpg" <nil>
	// "" invalid path: ".." segment
}

func ExampleCovering() {
	grants := []grant.Grant{
		{Pattern: "/private/users/alice/*", Prefix: "/private/users/alice/", Wildcard: true},
		{Pattern: "/private/*", Prefix: "/private/", Wildcard: true},
		{Pattern: "/public/terms.pdf", Prefix: "/public/terms.pdf"},
	}
	for _, g := range grant.Covering(grants) {
		fmt.Println(g.Prefix)
	}
	// Output:
	// /private/
	// /public/terms.pdf
}
