// Package grant decides which private paths a principal may read.
//
// Operators configure [Rule] values: path patterns with optional claim and
// scope conditions, where a {claim} placeholder is filled from the token.
// [Compile] checks them once at start-up; [Set.For] resolves the grants of
// one principal; [CleanPath] turns a requested object path into the
// percent-encoded form a browser requests; [Allows] matches it against the
// grants; [Covering] picks the grants that can each carry a cookie set.
//
// A claim value that could widen a grant never does: when a placeholder's
// value is not a string, is empty, or holds "/", "..", ";" or anything
// [CleanPath] refuses ("*", "?", "%", "#", a backslash, a control or format
// character, ...), or is ".", the pattern holding it does not apply.
package grant

import (
	"slices"
	"strings"
)

// Grant is one pattern resolved for a principal.
type Grant struct {
	// Pattern is the resolved pattern, percent-encoded like a request
	// path, such as "/private/users/alice/*" or "/private/terms.pdf".
	Pattern string

	// Prefix is Pattern without its trailing "*" for a wildcard grant, and
	// equal to Pattern for an exact one. It is the cookie Path to use.
	Prefix string

	// Wildcard reports whether the grant opens every path strictly under
	// Prefix rather than one exact path.
	Wildcard bool
}

// For returns the grants that apply to a principal with the given claims
// and scopes, in rule order, without duplicates. A pattern whose
// placeholder cannot be filled safely is left out (see the package doc).
func (s *Set) For(claims map[string]any, scopes []string) []Grant {
	if s == nil {
		return nil
	}
	var grants []Grant
	for _, r := range s.rules {
		if !r.applies(claims, scopes) {
			continue
		}
		for _, p := range r.patterns {
			g, ok := p.resolve(claims)
			if ok && !slices.Contains(grants, g) {
				grants = append(grants, g)
			}
		}
	}
	return grants
}

// applies reports whether a principal meets the rule's conditions.
func (r rule) applies(claims map[string]any, scopes []string) bool {
	for name, want := range r.claims {
		if got, ok := claims[name].(string); !ok || got != want {
			return false
		}
	}
	return r.scope == "" || slices.Contains(scopes, r.scope)
}

// resolve fills the pattern's placeholders from claims. It reports false
// when a placeholder's claim is missing or not a safe segment.
func (p pattern) resolve(claims map[string]any) (Grant, bool) {
	ok := true
	raw := p.fill(func(name string) string {
		v, safe := segment(claims[name])
		ok = ok && safe
		return v
	})
	if !ok || checkPath(raw) != nil {
		return Grant{}, false
	}

	prefix := encodePath(raw)
	if !p.wildcard {
		return Grant{Pattern: prefix, Prefix: prefix}, true
	}
	return Grant{Pattern: prefix + "*", Prefix: prefix, Wildcard: true}, true
}

// segment returns claim value v as an unencoded path segment. It reports
// false when v is not a safe one: not a string, empty, holding "/", "..",
// ";" or anything CleanPath refuses.
func segment(v any) (string, bool) {
	s, ok := v.(string)
	if !ok || s == "" || strings.Contains(s, "..") || strings.ContainsAny(s, "/;") {
		return "", false
	}
	return s, checkPath("/"+s) == nil
}

// Allows reports whether the grants cover path, which must be in the form
// [CleanPath] returns: a path in any other form is never allowed. A
// wildcard grant covers the paths strictly under its prefix; an exact grant
// covers its own path only.
func Allows(grants []Grant, path string) bool {
	for _, g := range grants {
		if g.covers(path) {
			return canonical(path)
		}
	}
	return false
}

// covers reports whether the grant covers the encoded path.
func (g Grant) covers(path string) bool {
	if g.Wildcard {
		return len(path) > len(g.Prefix) && strings.HasPrefix(path, g.Prefix)
	}
	return path == g.Pattern
}

// Covering returns the grants that can each be given a cookie set scoped
// by the cookie Path attribute to its Prefix, such that a browser never
// sends two sets with one request. A grant goes when its prefix lies
// inside another's cookie path: a nested wildcard gives way to the wider
// one, an exact grant to a wildcard and a deeper exact grant to a shallower
// one. When an exact grant's path is a parent of a wildcard prefix (both
// "/a" and "/a/*"), the exact one goes too; that object stays reachable
// with a signed URL. The result keeps the input order.
func Covering(grants []Grant) []Grant {
	// Visit wildcards first, then shorter prefixes, so the wider grant
	// of any conflicting pair is the one kept.
	order := make([]int, len(grants))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ga, gb := grants[a], grants[b]
		if ga.Wildcard != gb.Wildcard {
			if ga.Wildcard {
				return -1
			}
			return 1
		}
		return len(ga.Prefix) - len(gb.Prefix)
	})

	keep := make([]bool, len(grants))
	var kept []Grant
	for _, i := range order {
		if !slices.ContainsFunc(kept, grants[i].overlaps) {
			keep[i] = true
			kept = append(kept, grants[i])
		}
	}

	out := make([]Grant, 0, len(kept))
	for i, g := range grants {
		if keep[i] {
			out = append(out, g)
		}
	}
	return out
}

// overlaps reports whether a browser could send the cookies of both
// grants, scoped by Path to their prefixes, with one request.
func (g Grant) overlaps(h Grant) bool {
	return pathMatch(g.Prefix, h.Prefix) || pathMatch(h.Prefix, g.Prefix)
}

// pathMatch reports whether a cookie with Path cookiePath is sent with a
// request for path, following RFC 6265 section 5.1.4.
func pathMatch(cookiePath, path string) bool {
	rest, ok := strings.CutPrefix(path, cookiePath)
	return ok && (rest == "" || strings.HasSuffix(cookiePath, "/") ||
		rest[0] == '/')
}

// Scopes returns the scopes a token grants: the entries of a
// space-separated "scope" string and of an "scp" array of strings (a
// space-separated "scp" string, as some providers send, counts too), in
// order and without duplicates.
func Scopes(claims map[string]any) []string {
	var scopes []string
	for _, name := range []string{"scope", "scp"} {
		for _, s := range scopeList(claims[name]) {
			if s != "" && !slices.Contains(scopes, s) {
				scopes = append(scopes, s)
			}
		}
	}
	return scopes
}

// scopeList returns the entries of one scope claim value.
func scopeList(v any) []string {
	switch v := v.(type) {
	case string:
		return strings.Fields(v)
	case []string:
		return v
	case []any:
		var list []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				list = append(list, s)
			}
		}
		return list
	}
	return nil
}
