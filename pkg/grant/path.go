package grant

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxPathLen is the longest request path [CleanPath] accepts, counted in
// bytes before percent-encoding.
const MaxPathLen = 1024

// ErrInvalidPath is wrapped by every error [CleanPath] returns; the rest of
// the message gives the reason, never the path itself.
var ErrInvalidPath = errors.New("invalid path")

// PathError is the error [CleanPath] returns: the rule a path breaks. It
// wraps [ErrInvalidPath].
type PathError struct {
	Reason string // such as `".." segment`; never the path itself
}

func (e *PathError) Error() string { return ErrInvalidPath.Error() + ": " + e.Reason }

// Unwrap returns [ErrInvalidPath].
func (e *PathError) Unwrap() error { return ErrInvalidPath }

// Classes of ASCII bytes in a path, looked up in asciiClass.
const (
	refused = 1 << iota // never in a path: "%", "*", "?", "#", "\\", controls
	encoded             // percent-encoded: the WHATWG path percent-encode set
)

// asciiClass classifies each ASCII byte. Controls, "#" and "?" are in both
// classes: refused in CleanPath, encoded should a caller of encodePath
// ever pass them.
var asciiClass = func() (c [utf8.RuneSelf]uint8) {
	for b := range c {
		if b < ' ' || b == 0x7f {
			c[b] = refused | encoded
		}
	}
	for _, b := range []byte(`%*?#\`) {
		c[b] |= refused
	}
	for _, b := range []byte(" \"#<>?^`{}") {
		c[b] |= encoded
	}
	return c
}()

// CleanPath checks an unencoded object path from a request and returns it
// percent-encoded exactly as a browser requests it, so that it can be
// signed and matched against grants.
//
// A path must start with "/" and hold at most [MaxPathLen] bytes of valid
// UTF-8. It is refused, with a [*PathError], when it
// holds "%" (paths are given unencoded), "*" or "?" (wildcards come only
// from grants), "#", a backslash, a Unicode control or format character
// (categories Cc and Cf), a line or paragraph separator (Zl, Zp), an empty
// segment ("//") or a "." or ".." segment. A trailing slash is allowed.
//
// Encoding follows the WHATWG URL Standard's path percent-encode set, which
// is what a browser applies to an <img src> or a link: every non-ASCII
// character becomes its UTF-8 bytes as "%XX" with upper-case hex digits,
// and of the printable ASCII characters only space, `"`, "<", ">", "^",
// "`", "{" and "}" are encoded. All others, such as !$&'()+,;=:@[]|~, stay
// literal. For example "/private/café/a b.jpg" becomes
// "/private/caf%C3%A9/a%20b.jpg".
func CleanPath(p string) (string, error) {
	if err := checkPath(p); err != nil {
		return "", err
	}
	return encodePath(p), nil
}

// invalid returns a [PathError] with a reason.
func invalid(format string, args ...any) error {
	return &PathError{Reason: fmt.Sprintf(format, args...)}
}

// checkPath applies CleanPath's rules to an unencoded path.
func checkPath(p string) error {
	switch {
	case p == "" || p[0] != '/':
		return invalid(`must start with "/"`)
	case len(p) > MaxPathLen:
		return invalid("longer than %d bytes", MaxPathLen)
	case !utf8.ValidString(p):
		return invalid("not valid UTF-8")
	}
	for _, r := range p {
		if err := checkRune(r); err != nil {
			return err
		}
	}
	return checkSegments(p[1:])
}

// checkRune refuses a character that may not appear in an object path.
func checkRune(r rune) error {
	switch {
	case r < utf8.RuneSelf && asciiClass[r]&refused == 0:
		return nil
	case unicode.In(r, unicode.Cc, unicode.Cf):
		return invalid("control or format character %U", r)
	case unicode.In(r, unicode.Zl, unicode.Zp):
		return invalid("line or paragraph separator %U", r)
	case r < utf8.RuneSelf:
		return invalid("contains %q", r)
	}
	return nil
}

// checkSegments refuses empty, "." and ".." segments in the part of a path
// after its leading slash; only the last segment may be empty.
func checkSegments(rest string) error {
	for {
		seg, after, more := strings.Cut(rest, "/")
		switch {
		case seg == "" && more:
			return invalid("empty segment")
		case seg == "." || seg == "..":
			return invalid("%q segment", seg)
		case !more:
			return nil
		}
		rest = after
	}
}

// needsEncoding reports whether byte b is percent-encoded in a path.
func needsEncoding(b byte) bool {
	return b >= utf8.RuneSelf || asciiClass[b]&encoded != 0
}

// encodePath percent-encodes p with the path percent-encode set.
func encodePath(p string) string {
	n := 0
	for i := 0; i < len(p); i++ {
		if needsEncoding(p[i]) {
			n++
		}
	}
	if n == 0 {
		return p
	}

	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(p) + 2*n)
	for i := 0; i < len(p); i++ {
		c := p[i]
		if needsEncoding(c) {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0x0f])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// canonical reports whether p is exactly what CleanPath returns for some
// path, so that no decoding along the way can turn it into another one.
func canonical(p string) bool {
	raw, err := url.PathUnescape(p)
	if err != nil {
		return false
	}
	clean, err := CleanPath(raw)
	return err == nil && clean == p
}
