package grant

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
)

// ErrInvalidRule is wrapped by every error [Compile] returns.
var ErrInvalidRule = errors.New("invalid grant rule")

// Rule is one configured grant: the paths it opens, and the conditions a
// principal must meet for it to apply. A rule without conditions applies to
// every authenticated principal.
type Rule struct {
	// Paths are patterns of object paths, unencoded: an exact path such as
	// "/private/terms.pdf", or a prefix ending in "/*" such as
	// "/private/users/{sub}/*", which opens every path strictly under it.
	// A {claim} placeholder, always a whole segment, is filled from the
	// token's claim of that name.
	Paths []string

	// Claims are conditions: each named claim must be a string equal to
	// the given value. Empty means no condition.
	Claims map[string]string

	// Scope, when set, must be one of the principal's scopes (see
	// [Scopes]).
	Scope string
}

// Set is a compiled list of rules, safe for concurrent use.
type Set struct {
	rules []rule
}

// rule is a compiled Rule.
type rule struct {
	patterns []pattern
	claims   map[string]string
	scope    string
}

// pattern is a compiled path pattern.
type pattern struct {
	segments []part // the segments after the leading slash
	wildcard bool   // the pattern ended in "/*"
}

// part is one literal path segment or one {claim} placeholder.
type part struct {
	literal string
	claim   string
}

// Compile checks rules and prepares them for [Set.For]. It refuses a rule
// without paths, a pattern that does not start with "/", a "*" anywhere but
// in a trailing "/*", a placeholder that is not a whole segment or names no
// valid claim, a ";" (it would end a cookie's Path attribute), and anything
// [CleanPath] refuses in a request path. Errors name the rule and pattern
// as config keys, for example `grants[1].paths[0] "/a/*/b": ...`.
func Compile(rules []Rule) (*Set, error) {
	s := &Set{rules: make([]rule, 0, len(rules))}
	for i, r := range rules {
		c, err := compileRule(i, r)
		if err != nil {
			return nil, err
		}
		s.rules = append(s.rules, c)
	}
	return s, nil
}

// compileRule compiles rule number i.
func compileRule(i int, r Rule) (rule, error) {
	fail := func(key, reason string) error {
		return fmt.Errorf("grants[%d].%s: %w: %s", i, key, ErrInvalidRule, reason)
	}
	if len(r.Paths) == 0 {
		return rule{}, fail("paths", "at least one path is required")
	}
	if r.Scope != "" && strings.ContainsFunc(r.Scope, unicode.IsSpace) {
		return rule{}, fail("scope", "one scope, without spaces")
	}
	for _, name := range slices.Sorted(maps.Keys(r.Claims)) {
		if !validClaimName(name) {
			return rule{}, fail("claims", fmt.Sprintf("invalid claim name %q", name))
		}
		if r.Claims[name] == "" {
			return rule{}, fail("claims."+name, "empty value")
		}
	}

	c := rule{claims: maps.Clone(r.Claims), scope: r.Scope}
	for j, p := range r.Paths {
		pat, err := compilePattern(p)
		if err != nil {
			return rule{}, fmt.Errorf("grants[%d].paths[%d] %q: %w", i, j, p, err)
		}
		c.patterns = append(c.patterns, pat)
	}
	return c, nil
}

// compilePattern parses and checks one path pattern.
func compilePattern(p string) (pattern, error) {
	fail := func(reason string) (pattern, error) {
		return pattern{}, fmt.Errorf("%w: %s", ErrInvalidRule, reason)
	}
	if !strings.HasPrefix(p, "/") {
		return fail(`must start with "/"`)
	}
	body, wildcard := strings.CutSuffix(p, "*")
	if wildcard && !strings.HasSuffix(body, "/") {
		return fail(`"*" only as a trailing "/*"`)
	}
	if strings.Contains(body, ";") {
		return fail(`contains ";"`)
	}

	pat := pattern{wildcard: wildcard}
	for s := range strings.SplitSeq(body[1:], "/") {
		seg, err := compileSegment(s)
		if err != nil {
			return pattern{}, err
		}
		pat.segments = append(pat.segments, seg)
	}

	// The pattern with every placeholder filled by a plain value must be
	// a valid path; this catches the rest ("*", "..", "%", ...).
	if err := checkPath(pat.fill(func(string) string { return "x" })); err != nil {
		return pattern{}, fmt.Errorf("%w: %w", ErrInvalidRule, err)
	}
	return pat, nil
}

// compileSegment parses one segment of a pattern.
func compileSegment(s string) (part, error) {
	if name, ok := strings.CutPrefix(s, "{"); ok {
		if name, ok = strings.CutSuffix(name, "}"); ok && validClaimName(name) {
			return part{claim: name}, nil
		}
	}
	if strings.ContainsAny(s, "{}") {
		return part{}, fmt.Errorf("%w: placeholder %q must be a whole segment "+
			"naming a claim", ErrInvalidRule, s)
	}
	return part{literal: s}, nil
}

// validClaimName reports whether name may be used in a placeholder or a
// claims condition: ASCII letters, digits and "_", ".", ":", "-", starting
// with a letter or "_". So "cognito:username" is valid; a URL-style name
// holding "/" is not.
func validClaimName(name string) bool {
	for i, r := range name {
		switch {
		case r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
		case i > 0 && ('0' <= r && r <= '9' || strings.ContainsRune(".:-", r)):
		default:
			return false
		}
	}
	return name != ""
}

// fill returns the unencoded path of the pattern, without the trailing
// "*", with each placeholder replaced by value(claim name).
func (p pattern) fill(value func(claim string) string) string {
	var b strings.Builder
	for _, seg := range p.segments {
		b.WriteByte('/')
		if seg.claim != "" {
			b.WriteString(value(seg.claim))
			continue
		}
		b.WriteString(seg.literal)
	}
	return b.String()
}
