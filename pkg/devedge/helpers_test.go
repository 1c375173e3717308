package devedge_test

import (
	"bytes"
	"context"
	"crypto"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/devedge"
)

// Fixed facts shared by the tests.
const (
	host   = "127.0.0.1:8787"
	origin = "http://" + host
	ecID   = "KECDEVEDGE0001"
	rsaID  = "KRSADEVEDGE001"
)

var (
	testNow   = time.Date(2026, 12, 3, 20, 7, 12, 0, time.UTC)
	inAnHour  = testNow.Add(time.Hour)
	modTime   = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	aliceBody = "alice's cat"
	bobBody   = "bob's dog"
)

// testFiles is a small site: a root page, a public asset and private
// images for two users.
func testFiles() fstest.MapFS {
	file := func(s string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(s), ModTime: modTime}
	}
	return fstest.MapFS{
		"index.html":                        file("<h1>demo</h1>"),
		"public/logo.svg":                   file("<svg></svg>"),
		"private/users/alice/cat.jpg":       file(aliceBody),
		"private/users/alice/v2/cat.jpg":    file(aliceBody + " v2"),
		"private/users/bob/dog.jpg":         file(bobBody),
		"private/shared/notes.txt":          file("shared notes"),
		"private/users/alice/no-mtime.json": {Data: []byte(`{}`)},
	}
}

// fixtureKeys are made once per test binary: RSA-2048 is slow to make.
var fixtureKeys = sync.OnceValues(func() (crypto.Signer, crypto.Signer) {
	ec, err := cfsign.GenerateKey(cfsign.ECDSA)
	if err != nil {
		panic(err)
	}
	rsa, err := cfsign.GenerateKey(cfsign.RSA)
	if err != nil {
		panic(err)
	}
	return ec, rsa
})

// keyRing trusts both fixture keys.
func keyRing(t testing.TB) *cfsign.KeyRing {
	t.Helper()
	ec, rsa := fixtureKeys()
	ring, err := cfsign.NewKeyRing(
		cfsign.Key{ID: ecID, Signer: ec}, cfsign.Key{ID: rsaID, Signer: rsa})
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

// signerFor signs with the key id and hash h.
func signerFor(t testing.TB, id string, h cfsign.Hash) *cfsign.Signer {
	t.Helper()
	ec, rsa := fixtureKeys()
	key := cfsign.Key{ID: id, Signer: ec}
	if id == rsaID {
		key.Signer = rsa
	}
	ring, err := cfsign.NewKeyRing(key)
	if err != nil {
		t.Fatal(err)
	}
	return cfsign.NewSigner(ring, cfsign.Options{Hash: h})
}

// testConfig is an edge over testFiles that trusts both fixture keys,
// stands at testNow and logs into logs.
func testConfig(t testing.TB, logs io.Writer) devedge.Config {
	t.Helper()
	return devedge.Config{
		Files:   testFiles(),
		Private: []string{"/private/", "/secret/", "/kids/"},
		Keys:    keyRing(t).PublicKeys(),
		CacheControl: map[string]string{
			"/":                  "no-cache",
			"/private/":          "private, max-age=3600",
			"/private/users/":    "private, max-age=600",
			"/public/":           "public, max-age=86400",
			"/private/users/bo/": "never matches a whole segment here",
		},
		Now:    func() time.Time { return testNow },
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	}
}

// newEdge builds an edge from testConfig.
func newEdge(t testing.TB) (*devedge.Edge, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	e, err := devedge.New(testConfig(t, &logs))
	if err != nil {
		t.Fatal(err)
	}
	return e, &logs
}

// get sends a GET for target, a path with its query as sent, with the
// cookies.
func get(h http.Handler, target string,
	cookies []cfsign.Cookie,
) *httptest.ResponseRecorder {
	return do(h, http.MethodGet, target, cookies)
}

func do(h http.Handler, method, target string,
	cookies []cfsign.Cookie,
) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, request(method, target, cookies))
	return w
}

// request is a request from a browser on 127.0.0.1 for target, a path
// with its query as sent, with the cookies.
func request(method, target string, cookies []cfsign.Cookie) *http.Request {
	r := httptest.NewRequestWithContext(context.Background(), method, origin+target, nil)
	r.RemoteAddr = "127.0.0.1:50000"
	pairs := make([]string, len(cookies))
	for i, c := range cookies {
		pairs[i] = c.Name + "=" + c.Value
	}
	if len(pairs) > 0 {
		r.Header.Set("Cookie", strings.Join(pairs, "; "))
	}
	return r
}

// pathOf cuts the origin off a signed URL, leaving what a browser sends
// in its request line.
func pathOf(t testing.TB, signedURL string) string {
	t.Helper()
	target, ok := strings.CutPrefix(signedURL, origin)
	if !ok {
		t.Fatalf("signed URL %q is not on %s", signedURL, origin)
	}
	return target
}

// canned signs the object path p with a canned policy.
func canned(t testing.TB, s *cfsign.Signer, p string, expires time.Time) string {
	t.Helper()
	u, err := s.CannedURL(origin+p, expires)
	if err != nil {
		t.Fatalf("CannedURL(%q) error: %v", origin+p, err)
	}
	return pathOf(t, u)
}

// custom signs the object path p with a custom policy for resource.
func custom(t testing.TB, s *cfsign.Signer, p, resource string,
	expires time.Time,
) string {
	t.Helper()
	u, err := s.CustomURL(origin+p, cfsign.Policy{Resource: resource, Expires: expires})
	if err != nil {
		t.Fatalf("CustomURL(%q) error: %v", origin+p, err)
	}
	return pathOf(t, u)
}

// cookies signs a custom policy for resource, carried in cookies.
func cookies(t testing.TB, s *cfsign.Signer, resource string,
	expires time.Time,
) []cfsign.Cookie {
	t.Helper()
	cs, err := s.CustomCookies(cfsign.Policy{Resource: resource, Expires: expires})
	if err != nil {
		t.Fatalf("CustomCookies(%q) error: %v", resource, err)
	}
	return cs
}

// tamper changes one character in the middle of the value of the query
// parameter name in target, keeping it CloudFront base64.
func tamper(t testing.TB, target, name string) string {
	t.Helper()
	i := strings.Index(target, name+"=")
	if i < 0 {
		t.Fatalf("no %s in %q", name, target)
	}
	i += len(name) + 1 + 8
	c := byte('A')
	if target[i] == 'A' {
		c = 'B'
	}
	return target[:i] + string(c) + target[i+1:]
}

// replaceParam sets the value of the query parameter name in target.
func replaceParam(t testing.TB, target, name, value string) string {
	t.Helper()
	i := strings.Index(target, name+"=")
	if i < 0 {
		t.Fatalf("no %s in %q", name, target)
	}
	start := i + len(name) + 1
	end := strings.IndexByte(target[start:], '&')
	if end < 0 {
		return target[:start] + value
	}
	return target[:start] + value + target[start+end:]
}
