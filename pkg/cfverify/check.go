package cfverify

import (
	"crypto"
	"fmt"
	"net/netip"
	"time"
)

// credential is one set of signing values, from a URL or from cookies.
type credential struct {
	source string            // SourceURL or SourceCookies
	vals   map[string]string // signing values by URL parameter name
	target string            // the URL the policy's resource must match
}

// name is how param is spelled in this credential's source.
func (c credential) name(param string) string {
	if c.source == SourceCookies {
		return cookiePrefix + param
	}
	return param
}

// check verifies c the way the "How signed URLs work" overview orders it:
// the signature first, over the policy as sent or as rebuilt, and only
// then the policy's conditions.
func (v *Verifier) check(c credential, ip netip.Addr) (*Result, error) {
	res, err := v.verifySigned(c)
	if err == nil {
		err = v.allow(res, c.target, ip)
	}
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", c.source, err)
	}
	return res, nil
}

// verifySigned checks the signature and reads the policy it covers.
func (v *Verifier) verifySigned(c credential) (*Result, error) {
	if err := c.complete(); err != nil {
		return nil, err
	}
	keyID := c.vals[paramKeyID]
	key, err := v.key(keyID)
	if err != nil {
		return nil, err
	}
	hashValue, hasHash := c.vals[paramHash]
	h, err := parseHash(hashValue, hasHash)
	if err != nil {
		return nil, err
	}
	sig, err := decodeCF(c.name(paramSignature), c.vals[paramSignature])
	if err != nil {
		return nil, err
	}
	policy, canned, err := c.policy()
	if err != nil {
		return nil, err
	}
	if err := verifySignature(key, h, policy, sig); err != nil {
		return nil, fmt.Errorf("key %q: %w", keyID, err)
	}
	if canned != nil {
		return newResult(c, *canned, keyID, h, true, policy), nil
	}
	st, err := parsePolicy(policy)
	if err != nil {
		return nil, err
	}
	return newResult(c, st, keyID, h, false, policy), nil
}

// complete checks that the values CloudFront requires are there: a
// signature, a key pair ID, and either Expires (canned) or Policy
// (custom), never both.
func (c credential) complete() error {
	for _, p := range []string{paramSignature, paramKeyID} {
		if c.vals[p] == "" {
			return fmt.Errorf("%w: missing %s", ErrMalformed, c.name(p))
		}
	}
	_, canned := c.vals[paramExpires]
	_, custom := c.vals[paramPolicy]
	switch {
	case canned && custom:
		return fmt.Errorf("%w: both %s and %s", ErrMalformed,
			c.name(paramExpires), c.name(paramPolicy))
	case !canned && !custom:
		return fmt.Errorf("%w: missing %s or %s", ErrMalformed,
			c.name(paramExpires), c.name(paramPolicy))
	}
	return nil
}

// policy returns the signed policy bytes: for a canned policy, the ones
// CloudFront rebuilds from the request URL and Expires, with the statement
// they hold; for a custom one, the decoded Policy value, still unread.
func (c credential) policy() (policy []byte, canned *statement, err error) {
	if raw, ok := c.vals[paramExpires]; ok {
		expires, ok := parseEpoch(raw)
		if !ok {
			return nil, nil, fmt.Errorf("%w: %s %q is not whole seconds",
				ErrMalformed, c.name(paramExpires), raw)
		}
		st := statement{resource: c.target, notAfter: expires}
		return cannedPolicy(c.target, expires), &st, nil
	}
	policy, err = decodeCF(c.name(paramPolicy), c.vals[paramPolicy])
	return policy, nil, err
}

func newResult(c credential, st statement, keyID string, h crypto.Hash,
	canned bool, policy []byte,
) *Result {
	res := &Result{
		Source:   c.source,
		KeyID:    keyID,
		Hash:     hashName(h),
		Canned:   canned,
		Resource: st.resource,
		Expires:  time.Unix(st.notAfter, 0).UTC(),
		SourceIP: st.sourceIP,
		Policy:   policy,
	}
	if st.hasStart {
		res.NotBefore = time.Unix(st.notBefore, 0).UTC()
	}
	return res
}

// allow checks a verified policy's conditions against the request, at the
// time the request arrives (CloudFront checks expiry "at the time of the
// HTTP request", not while a response streams).
func (v *Verifier) allow(res *Result, target string, ip netip.Addr) error {
	now := v.now()
	// DateLessThan is an upper bound the request time must be less than:
	// a request in the very second it names is already refused.
	if !now.Before(res.Expires) {
		return fmt.Errorf("%w: at %s, policy ends %s", ErrExpired,
			now.UTC().Format(time.RFC3339), res.Expires.Format(time.RFC3339))
	}
	// DateGreaterThan: users may not access the content before it; the
	// instant itself is allowed (custom policy page, DateGreaterThan).
	if !res.NotBefore.IsZero() && now.Before(res.NotBefore) {
		return fmt.Errorf("%w: at %s, policy starts %s", ErrNotYetValid,
			now.UTC().Format(time.RFC3339), res.NotBefore.Format(time.RFC3339))
	}
	if !MatchResource(res.Resource, target) {
		return fmt.Errorf("%w: policy resource %q, request %q",
			ErrResourceMismatch, res.Resource, target)
	}
	if res.SourceIP.IsValid() {
		return allowIP(res.SourceIP, ip)
	}
	return nil
}

// allowIP checks the client against the policy's IPv4 range. An unknown
// client, or an IPv6 one, is refused: IPv6 is not supported in IpAddress
// (custom policy page), so it can never fall inside the range.
func allowIP(p netip.Prefix, ip netip.Addr) error {
	if !ip.IsValid() {
		return fmt.Errorf("%w: client address unknown, policy allows %s",
			ErrIPNotAllowed, p)
	}
	if a := ip.Unmap(); !a.Is4() || !p.Contains(a) {
		return fmt.Errorf("%w: %s is outside %s", ErrIPNotAllowed, ip, p)
	}
	return nil
}
