package devedge

import (
	"crypto"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

// ErrConfig reports a [Config] that [New] cannot build an edge from.
var ErrConfig = errors.New("invalid edge config")

// DefaultRootObject is the object served for "/" when
// [Config.RootObject] is empty.
const DefaultRootObject = "index.html"

// Config describes an edge. The zero value of every field but Files is
// usable.
type Config struct {
	// Files holds the objects, named by their path without the leading
	// slash: "/private/a.jpg" is the file "private/a.jpg". Typically an
	// embedded site, or a folder opened with os.OpenRoot and its FS
	// method, which unlike os.DirFS keeps symbolic links inside it.
	Files fs.FS

	// Private lists the path prefixes whose objects need a signed URL or
	// signed cookies, like the CloudFront cache behaviors that trust a key
	// group; every prefix starts with "/" (e.g. "/private/"). Any other
	// path is public. A prefix matches regardless of case, which is
	// stricter than CloudFront, so that on a case-insensitive file system
	// "/PRIVATE/a.jpg" cannot fetch the private "/private/a.jpg" unsigned.
	Private []string

	// Keys holds the trusted public keys by CloudFront public key ID, the
	// Key-Pair-Id of signed URLs and cookies. Required when Private is not
	// empty.
	Keys map[string]crypto.PublicKey

	// CacheControl maps path prefixes to the Cache-Control header of the
	// objects under them, standing in for the Cache-Control metadata of
	// S3 objects. The longest matching prefix wins; "/" covers every
	// object. An object under no prefix is sent without Cache-Control,
	// leaving caching to the browser's heuristics, as S3 does. Prefixes
	// start with "/"; values are not blank and hold no control
	// characters ([CheckCacheControl]).
	CacheControl map[string]string

	// RootObject is the object served for "/", like CloudFront's default
	// root object; empty means DefaultRootObject. Only "/" maps to it:
	// other paths ending in "/" name no object.
	RootObject string

	// Issuer, when set, receives every request whose path is IssuerPrefix
	// or lies under it, untouched and with its full path. It is neither
	// verified nor counted.
	Issuer http.Handler
	// IssuerPrefix is where Issuer is mounted, e.g. "/edgepass/"; it
	// starts and ends with "/". Required with Issuer.
	IssuerPrefix string

	// Now tells the time for expiry checks; nil means time.Now.
	Now func() time.Time
	// Logger receives one line per object request; nil discards them.
	// Lines never hold a signature or a cookie value.
	Logger *slog.Logger
}

// Edge serves objects as a CloudFront distribution with signed URLs and
// cookies would. It is an [http.Handler] and safe for concurrent use.
type Edge struct {
	files        fs.FS
	private      []string
	verifier     *cfverify.Verifier
	cacheControl map[string]string
	rootObject   string
	issuer       http.Handler
	issuerPrefix string
	log          *slog.Logger

	statsMu  sync.Mutex
	requests map[string]int64 // by object path

	etagMu sync.Mutex
	etags  map[string]etag // by file name
}

// New checks c and returns an edge serving c.Files.
func New(c Config) (*Edge, error) {
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	e := &Edge{
		files:        c.Files,
		private:      c.Private,
		verifier:     &cfverify.Verifier{Keys: maps.Clone(c.Keys), Now: c.Now},
		cacheControl: maps.Clone(c.CacheControl),
		rootObject:   c.RootObject,
		issuer:       c.Issuer,
		issuerPrefix: c.IssuerPrefix,
		log:          c.Logger,
		requests:     make(map[string]int64),
		etags:        make(map[string]etag),
	}
	if e.rootObject == "" {
		e.rootObject = DefaultRootObject
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	return e, nil
}

func (c Config) validate() error {
	if c.Files == nil {
		return errors.New("no files")
	}
	for _, p := range c.Private {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("private prefix %q does not start with /", p)
		}
	}
	if len(c.Private) > 0 && len(c.Keys) == 0 {
		return errors.New("private prefixes but no public keys")
	}
	for p, v := range c.CacheControl {
		if err := CheckCacheControl(p, v); err != nil {
			return err
		}
	}
	if c.RootObject != "" && !fs.ValidPath(c.RootObject) {
		return fmt.Errorf("root object %q is not a file name", c.RootObject)
	}
	return c.validateIssuer()
}

// CheckCacheControl reports, with an error, whether prefix and value
// cannot be an entry of [Config.CacheControl]: the prefix must start
// with "/", and the value must be a header value that is not blank and
// holds no control characters, which could end the header early or
// smuggle another in.
func CheckCacheControl(prefix, value string) error {
	switch {
	case !strings.HasPrefix(prefix, "/"):
		return fmt.Errorf("cache control prefix %q does not start with /", prefix)
	case strings.ContainsFunc(prefix, unicode.IsControl):
		return fmt.Errorf("cache control prefix %q holds a control character", prefix)
	case strings.TrimSpace(value) == "":
		return fmt.Errorf("cache control for %q is empty", prefix)
	case strings.ContainsFunc(value, unicode.IsControl):
		return fmt.Errorf("cache control for %q holds a control character: %q",
			prefix, value)
	}
	return nil
}

func (c Config) validateIssuer() error {
	switch {
	case c.Issuer == nil && c.IssuerPrefix == "":
		return nil
	case c.Issuer == nil:
		return fmt.Errorf("issuer prefix %q without an issuer", c.IssuerPrefix)
	case len(c.IssuerPrefix) < 3 || !strings.HasPrefix(c.IssuerPrefix, "/") ||
		!strings.HasSuffix(c.IssuerPrefix, "/"):
		return fmt.Errorf("issuer prefix %q is not of the form /name/", c.IssuerPrefix)
	case strings.HasPrefix(c.IssuerPrefix, adminPrefix):
		return fmt.Errorf("issuer prefix %q is under %s", c.IssuerPrefix, adminPrefix)
	}
	return nil
}

// ServeHTTP answers the edge's own endpoints under "/_edge/", passes
// requests under the issuer prefix to the issuer, and serves objects.
func (e *Edge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case strings.HasPrefix(p, adminPrefix):
		e.serveAdmin(w, r)
	case e.isIssuerPath(p):
		e.issuer.ServeHTTP(w, r)
	default:
		e.serveObject(w, r)
	}
}

// isIssuerPath reports whether p is the issuer prefix, with or without
// its final slash, or lies under it.
func (e *Edge) isIssuerPath(p string) bool {
	if e.issuer == nil {
		return false
	}
	return strings.HasPrefix(p, e.issuerPrefix) ||
		p == strings.TrimSuffix(e.issuerPrefix, "/")
}

// isPrivate reports whether the object path p needs a signature.
func (e *Edge) isPrivate(p string) bool {
	for _, prefix := range e.private {
		if hasPrefixFold(p, prefix) {
			return true
		}
	}
	return false
}

// hasPrefixFold reports whether s begins with prefix under Unicode case
// folding, rune by rune, so that "/SECRET/" and "/ſecret/" (long s)
// both begin with "/secret/".
func hasPrefixFold(s, prefix string) bool {
	for _, want := range prefix {
		got, size := utf8.DecodeRuneInString(s)
		if size == 0 || !equalFold(got, want) {
			return false
		}
		s = s[size:]
	}
	return true
}

// equalFold reports whether a and b are the same rune up to case.
func equalFold(a, b rune) bool {
	for r := a; ; {
		if r == b {
			return true
		}
		if r = unicode.SimpleFold(r); r == a {
			return false
		}
	}
}

// cacheControlFor returns the Cache-Control of the object path p: the
// value of the longest matching prefix, or "".
func (e *Edge) cacheControlFor(p string) string {
	best, value := -1, ""
	for prefix, v := range e.cacheControl {
		if strings.HasPrefix(p, prefix) && len(prefix) > best {
			best, value = len(prefix), v
		}
	}
	return value
}
