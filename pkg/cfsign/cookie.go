package cfsign

import (
	"fmt"
	"time"
)

// Cookie is one signed cookie's name and value. Where it is sent (domain,
// path) and how (Secure, HttpOnly, SameSite) is the caller's choice.
type Cookie struct {
	Name  string
	Value string
}

// Names of CloudFront's signed cookies.
const (
	CookieExpires       = "CloudFront-Expires"
	CookiePolicy        = "CloudFront-Policy"
	CookieSignature     = "CloudFront-Signature"
	CookieKeyPairID     = "CloudFront-Key-Pair-Id"
	CookieHashAlgorithm = "CloudFront-Hash-Algorithm"
)

// CookieNames lists every cookie name a signed cookie set may use, for
// clearing them all.
var CookieNames = []string{
	CookieExpires, CookiePolicy, CookieSignature, CookieKeyPairID,
	CookieHashAlgorithm,
}

// CannedCookies returns signed cookies with a canned policy for one exact
// URL. CloudFront rebuilds the policy from the requested URL, so the
// resource cannot hold wildcards; use [Signer.CustomCookies] for a prefix.
func (s *Signer) CannedCookies(resource string, expires time.Time) ([]Cookie, error) {
	if err := CheckURL(resource); err != nil {
		return nil, err
	}
	policy, err := CannedPolicy(resource, expires)
	if err != nil {
		return nil, err
	}
	sig, err := s.Sign(policy)
	if err != nil {
		return nil, err
	}
	return s.cookies(Cookie{CookieExpires, epoch(expires)}, sig), nil
}

// CustomCookies returns signed cookies carrying the custom policy p, the
// usual way to grant a whole prefix such as "https://cdn/users/alice/*".
func (s *Signer) CustomCookies(p Policy) ([]Cookie, error) {
	policy, err := p.JSON()
	if err != nil {
		return nil, err
	}
	if len(policy) > maxPolicyBytes {
		return nil, fmt.Errorf("%w: policy of %d bytes", ErrTooLong, len(policy))
	}
	sig, err := s.Sign(policy)
	if err != nil {
		return nil, err
	}
	return s.cookies(Cookie{CookiePolicy, Encode(policy)}, sig), nil
}

// maxPolicyBytes keeps a custom policy cookie well inside the 4,096 bytes
// browsers allow a cookie, after base64 has grown it by a third.
const maxPolicyBytes = 2048

func (s *Signer) cookies(policy Cookie, sig string) []Cookie {
	cs := []Cookie{
		policy,
		{CookieSignature, sig},
		{CookieKeyPairID, s.key.ID},
	}
	if f := s.hash.flag(); f != "" {
		cs = append(cs, Cookie{CookieHashAlgorithm, f})
	}
	return cs
}
