package playground

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The playground's development endpoints, beside the edge's own.
const (
	// TokenPath answers POST {"sub": "alice", "claims": {"plan":
	// "premium"}} with a development JWT as plain text, valid for
	// DefaultTokenTTL: the stand-in for an identity provider.
	TokenPath = "/_dev/token" // #nosec G101 -- a URL path, not a credential
	// FreshURLPath answers GET ?path=/private/shared/... with a redirect
	// to a URL signed at that moment, its expiry an hour away and not
	// rounded to a window: the control that shows what minting a new URL
	// per view does to the browser cache. It signs only under FreshPrefix
	// and asks for no token.
	FreshURLPath = "/_dev/fresh-url"
	// FreshPrefix is where FreshURLPath signs.
	FreshPrefix = PrivatePrefix + "shared/"
)

// freshTTL is the lifetime of a fresh URL.
const freshTTL = time.Hour

// maxTokenBody bounds the body of a token request.
const maxTokenBody = 4 << 10

// tokenBody is what TokenPath reads.
type tokenBody struct {
	Sub    string            `json:"sub"`
	Claims map[string]string `json:"claims"`
}

func (p *Playground) serveToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var body tokenBody
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxTokenBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		http.Error(w, `400 bad request: want {"sub": "alice", "claims": {...}}`,
			http.StatusBadRequest)
		return
	}
	tok, _, err := MintToken(p.keys.Secret,
		TokenRequest{Subject: body.Sub, Claims: body.Claims}, p.now())
	if err != nil {
		http.Error(w, "400 bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	p.log.Info("dev token minted", "sub", body.Sub)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, tok)
}

func (p *Playground) serveFreshURL(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	signed, err := p.freshURL(r.URL.Query().Get("path"))
	if err != nil {
		http.Error(w, "400 bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	// #nosec G710 -- not an open redirect: freshURL builds the target on
	// the playground's own origin from a path it checked lies under
	// FreshPrefix.
	http.Redirect(w, r, signed, http.StatusFound)
}

// errFreshPath reports a path the fresh-URL control does not sign.
var errFreshPath = errors.New("path must be an object under " + FreshPrefix)

// freshURL signs a canned URL for the object path with an expiry of now
// plus an hour, to the second and at least a second after the previous
// one, so that no two views ever share a URL.
func (p *Playground) freshURL(path string) (string, error) {
	if !strings.HasPrefix(path, FreshPrefix) || strings.HasSuffix(path, "/") ||
		strings.Contains(path, "/.") || strings.Contains(path, "//") {
		return "", fmt.Errorf("%w: %q", errFreshPath, path)
	}
	p.freshMu.Lock()
	exp := p.now().Add(freshTTL).Truncate(time.Second)
	if !exp.After(p.lastFresh) {
		exp = p.lastFresh.Add(time.Second)
	}
	p.lastFresh = exp
	p.freshMu.Unlock()

	object := p.origin + (&url.URL{Path: path}).EscapedPath()
	signed, err := p.server.Issuer().Signer().CannedURL(object, exp)
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	return signed, nil
}
