package grant_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/grant"
)

func TestCleanPath(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "/private/a.jpg", "/private/a.jpg"},
		{"root", "/", "/"},
		{"trailing_slash", "/private/users/", "/private/users/"},
		{"non_ascii", "/private/café/ü.jpg", "/private/caf%C3%A9/%C3%BC.jpg"},
		{"space", "/private/a b.jpg", "/private/a%20b.jpg"},
		{"cjk", "/写真/猫.png", "/%E5%86%99%E7%9C%9F/%E7%8C%AB.png"},
		{"emoji", "/p/😀", "/p/%F0%9F%98%80"},
		{"no_break_space", "/p/a\u00a0b", "/p/a%C2%A0b"},
		{"encoded_ascii", "/p/\"<>^`{}", "/p/%22%3C%3E%5E%60%7B%7D"},
		{"literal_ascii", "/p/!$&'()+,;=:@[]|~-_", "/p/!$&'()+,;=:@[]|~-_"},
		{"three_dots", "/p/.../.a/a.", "/p/.../.a/a."},
		{"dots_inside", "/p/a..b", "/p/a..b"},
		{"max_len", "/" + strings.Repeat("a", grant.MaxPathLen-1),
			"/" + strings.Repeat("a", grant.MaxPathLen-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := grant.CleanPath(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("CleanPath(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCleanPathRefuses(t *testing.T) {
	tests := []struct {
		name, in, reason string
	}{
		{"empty", "", `must start with "/"`},
		{"relative", "private/a.jpg", `must start with "/"`},
		{"too_long", "/" + strings.Repeat("a", grant.MaxPathLen), "longer than"},
		{"invalid_utf8", "/p/\xff.jpg", "UTF-8"},
		{"overlong_utf8_dot", "/p/\xc0\xae\xc0\xae/x", "UTF-8"},
		{"percent", "/p/a%20b.jpg", `'%'`},
		{"percent_dot_dot", "/p/%2e%2e/x", `'%'`},
		{"star", "/p/*", `'*'`},
		{"question_mark", "/p/a.jpg?x=1", `'?'`},
		{"hash", "/p/a.jpg#x", `'#'`},
		{"backslash", `/p/..\x`, `'\\'`},
		{"dot_dot_segment", "/p/../q/a.jpg", `".." segment`},
		{"dot_dot_last", "/p/..", `".." segment`},
		{"dot_segment", "/p/./a.jpg", `"." segment`},
		{"dot_last", "/p/.", `"." segment`},
		{"empty_segment", "/p//a.jpg", "empty segment"},
		{"leading_double_slash", "//evil.example/a.jpg", "empty segment"},
		{"nul", "/p/a\x00.jpg", "control or format character U+0000"},
		{"newline", "/p/a\n.jpg", "control or format character U+000A"},
		{"tab", "/p/a\t.jpg", "control or format character U+0009"},
		{"delete", "/p/a\x7f.jpg", "control or format character U+007F"},
		{"c1_control", "/p/a\u0085.jpg", "control or format character U+0085"},
		{"right_to_left_override", "/p/gpj.\u202eexe", "U+202E"},
		{"zero_width_space", "/p/a\u200bb", "U+200B"},
		{"byte_order_mark", "/p/\ufeffa", "U+FEFF"},
		{"line_separator", "/p/a\u2028b", "line or paragraph separator U+2028"},
		{"paragraph_separator", "/p/a\u2029b", "U+2029"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := grant.CleanPath(tt.in)
			if !errors.Is(err, grant.ErrInvalidPath) {
				t.Fatalf("CleanPath(%q) = %q, %v, want ErrInvalidPath", tt.in, got, err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("CleanPath(%q) error %q, want it to hold %q",
					tt.in, err, tt.reason)
			}
		})
	}
}

func BenchmarkCleanPathAllows(b *testing.B) {
	set, err := grant.Compile([]grant.Rule{
		{Paths: []string{"/private/users/{sub}/*"}},
		{Paths: []string{"/private/premium/*"}, Claims: map[string]string{"plan": "gold"}},
		{Paths: []string{"/private/teams/{org}/*"}, Scope: "media:read"},
	})
	if err != nil {
		b.Fatal(err)
	}
	claims := map[string]any{"sub": "alice", "plan": "gold", "org": "acme"}
	grants := set.For(claims, []string{"media:read"})

	paths := []struct{ name, path string }{
		{"ascii", "/private/teams/acme/2026/holiday/beach.jpg"},
		{"non_ascii", "/private/teams/acme/2026/café/plage ensoleillée.jpg"},
	}
	for _, p := range paths {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				clean, err := grant.CleanPath(p.path)
				if err != nil || !grant.Allows(grants, clean) {
					b.Fatalf("CleanPath(%q) = %q, %v; not allowed", p.path, clean, err)
				}
			}
		})
	}
}
