package grant_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/grant"
)

func TestCompileRefuses(t *testing.T) {
	tests := []struct {
		name string
		rule grant.Rule
		msg  string // a part of the error message
	}{
		{"no_paths", grant.Rule{}, "grants[1].paths: "},
		{"relative", paths("private/*"), `grants[1].paths[0] "private/*": `},
		{"empty", paths(""), `must start with "/"`},
		{"star_inside", paths("/p/*/a.jpg"), `'*'`},
		{"star_in_segment", paths("/p/a*"), `"*" only as a trailing "/*"`},
		{"double_star", paths("/p/**"), `"*" only as a trailing "/*"`},
		{"star_only", paths("*"), `must start with "/"`},
		{"dot_dot", paths("/p/../*"), `".." segment`},
		{"dot", paths("/p/./a"), `"." segment`},
		{"empty_segment", paths("/p//*"), "empty segment"},
		{"percent", paths("/p/%7Bsub%7D/*"), `'%'`},
		{"question_mark", paths("/p/a?b"), `'?'`},
		{"hash", paths("/p/#/*"), `'#'`},
		{"backslash", paths(`/p\x/*`), `'\\'`},
		{"semicolon", paths("/p;x/*"), `";"`},
		{"control", paths("/p/\x01/*"), "U+0001"},
		{"format", paths("/p/\u200d/*"), "U+200D"},
		{"placeholder_in_segment", paths("/p/user-{sub}/*"), "whole segment"},
		{"placeholder_with_suffix", paths("/p/{sub}.jpg"), "whole segment"},
		{"placeholder_empty", paths("/p/{}/*"), "whole segment"},
		{"placeholder_bad_name", paths("/p/{a b}/*"), "whole segment"},
		{"placeholder_digit_first", paths("/p/{1x}/*"), "whole segment"},
		{"placeholder_nested", paths("/p/{{sub}}/*"), "whole segment"},
		{"brace", paths("/p/}/*"), "whole segment"},
		{"too_long", paths("/" + strings.Repeat("a", 1100) + "/*"), "longer than"},
		{"bad_second_path", paths("/ok/*", "/p/../*"), `grants[1].paths[1] "/p/../*"`},
		{"scope_with_space", grant.Rule{Paths: []string{"/p/*"}, Scope: "a b"},
			"grants[1].scope: "},
		{"claim_bad_name", grant.Rule{Paths: []string{"/p/*"},
			Claims: map[string]string{"a/b": "x"}}, `invalid claim name "a/b"`},
		{"claim_empty_value", grant.Rule{Paths: []string{"/p/*"},
			Claims: map[string]string{"plan": ""}}, "grants[1].claims.plan: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := []grant.Rule{paths("/fine/{sub}/*"), tt.rule}
			set, err := grant.Compile(rules)
			if !errors.Is(err, grant.ErrInvalidRule) {
				t.Fatalf("Compile(%+v) = %v, %v, want ErrInvalidRule", rules, set, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Compile(%+v) error %q, want it to hold %q", rules, err, tt.msg)
			}
		})
	}
}

func TestCompileAccepts(t *testing.T) {
	for _, p := range []string{
		"/*",
		"/private/terms.pdf",
		"/private/docs/",
		"/private/users/{sub}/*",
		"/private/{org}/users/{sub}/*",
		"/private/{cognito:username}/*",
		"/private/{https.example_claim-1}/avatar.png",
		"/private/café/*",
		"/private/a b/!$&'()+,=:@[]|^~/*",
	} {
		if _, err := grant.Compile([]grant.Rule{paths(p)}); err != nil {
			t.Errorf("Compile(%q) = %v, want no error", p, err)
		}
	}
}

func TestCompileEmpty(t *testing.T) {
	set, err := grant.Compile(nil)
	if err != nil {
		t.Fatalf("Compile(nil) = %v", err)
	}
	if got := set.For(map[string]any{"sub": "alice"}, nil); len(got) != 0 {
		t.Errorf("For on an empty set = %v, want none", got)
	}
}

// paths returns a rule without conditions.
func paths(p ...string) grant.Rule {
	return grant.Rule{Paths: p}
}
