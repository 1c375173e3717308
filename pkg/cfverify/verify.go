package cfverify

import (
	"crypto"
	"fmt"
	"net/netip"
	"time"
)

// Where a request's signature came from, as reported in [Result.Source].
const (
	SourceURL     = "url"
	SourceCookies = "cookies"
)

// Verifier applies CloudFront's checks. It only reads its fields, so one
// Verifier may serve many goroutines as long as Keys is not changed.
type Verifier struct {
	// Keys holds the trusted public keys by CloudFront public key ID, the
	// value of Key-Pair-Id. Only RSA-2048 and ECDSA P-256 keys are used.
	Keys map[string]crypto.PublicKey
	// Now tells the time of the request; nil means time.Now.
	Now func() time.Time
}

// Request is what a viewer sent.
type Request struct {
	// URL is the absolute URL as requested, scheme://host/path?query, the
	// path and query as sent (percent-encoded).
	URL string
	// Cookies maps cookie names to their values as sent.
	Cookies map[string]string
	// ClientIP is the viewer's address; the zero value means unknown.
	ClientIP netip.Addr
}

// Result describes an accepted request.
type Result struct {
	Source    string    // SourceURL or SourceCookies
	KeyID     string    // the Key-Pair-Id that verified
	Hash      string    // "sha1" or "sha256"
	Canned    bool      // reports whether the policy was canned
	Resource  string    // the policy resource that matched
	Expires   time.Time // DateLessThan: valid strictly before this instant
	NotBefore time.Time // DateGreaterThan; zero if none
	// SourceIP is the policy's IpAddress range; invalid if none.
	SourceIP netip.Prefix
	// Policy holds the policy bytes whose signature verified: the decoded
	// custom policy, or the canned policy as CloudFront rebuilds it.
	Policy []byte
}

// Verify checks a request as CloudFront would. Signing parameters in the
// URL take precedence over signed cookies: when a request carries both,
// CloudFront decides on the URL alone (signed URLs and signed cookies
// overview), so cookies are read only when the URL has no Expires,
// Policy, Signature, Key-Pair-Id or Hash-Algorithm parameter.
func (v *Verifier) Verify(r Request) (*Result, error) {
	u, err := parseURL(r.URL)
	if err != nil {
		return nil, err
	}
	vals, err := u.signingValues()
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", SourceURL, err)
	}
	if len(vals) > 0 {
		c := credential{source: SourceURL, vals: vals, target: u.withoutSigning()}
		return v.check(c, r.ClientIP)
	}
	if vals := cookieValues(r.Cookies); len(vals) > 0 {
		c := credential{source: SourceCookies, vals: vals, target: u.raw}
		return v.check(c, r.ClientIP)
	}
	return nil, ErrNotSigned
}

// VerifyURL checks a signed URL, with no cookies.
func (v *Verifier) VerifyURL(rawURL string, ip netip.Addr) (*Result, error) {
	return v.Verify(Request{URL: rawURL, ClientIP: ip})
}

// VerifyCookies checks the CloudFront-* cookies of a request for rawURL,
// ignoring any signing parameters in the URL. A canned cookie policy's
// resource is the request URL itself, query string included.
func (v *Verifier) VerifyCookies(rawURL string, cookies map[string]string,
	ip netip.Addr,
) (*Result, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	vals := cookieValues(cookies)
	if len(vals) == 0 {
		return nil, ErrNotSigned
	}
	return v.check(credential{source: SourceCookies, vals: vals, target: u.raw}, ip)
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) key(id string) (crypto.PublicKey, error) {
	key, ok := v.Keys[id]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownKey, id)
	}
	if err := checkKey(key); err != nil {
		return nil, fmt.Errorf("key %q: %w", id, err)
	}
	return key, nil
}
