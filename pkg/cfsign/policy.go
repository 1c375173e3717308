package cfsign

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign"
)

// Policy is a custom policy: who may read what, and when.
type Policy struct {
	// Resource is the URL the policy covers. It may hold '*' (any run of
	// characters) and '?' (one character).
	Resource string
	// Expires is the time from which requests are refused
	// (DateLessThan). Required.
	Expires time.Time
	// NotBefore, when set, is the time before which requests are refused
	// (DateGreaterThan).
	NotBefore time.Time
	// IPRange, when valid, limits viewers to an IPv4 address range
	// (IpAddress). CloudFront does not match IPv6 viewers against it.
	IPRange netip.Prefix
}

// JSON returns the policy as CloudFront reads it: compact JSON with no
// HTML escaping and the resource's quotes and backslashes escaped.
func (p Policy) JSON() ([]byte, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	cond := sign.Condition{DateLessThan: sign.NewAWSEpochTime(p.Expires)}
	if !p.NotBefore.IsZero() {
		cond.DateGreaterThan = sign.NewAWSEpochTime(p.NotBefore)
	}
	if p.IPRange.IsValid() {
		cond.IPAddress = &sign.IPAddress{SourceIP: p.IPRange.String()}
	}
	return marshal(p.Resource, cond)
}

// CannedPolicy returns the canned policy CloudFront rebuilds for a request
// of resource before the given expiry: the exact bytes a canned signature
// covers.
func CannedPolicy(resource string, expires time.Time) ([]byte, error) {
	p := Policy{Resource: resource, Expires: expires}
	if err := p.validate(); err != nil {
		return nil, err
	}
	if strings.ContainsAny(resource, "*") {
		return nil, fmt.Errorf("%w: %q", ErrWildcard, resource)
	}
	cond := sign.Condition{DateLessThan: sign.NewAWSEpochTime(expires)}
	return marshal(resource, cond)
}

func marshal(resource string, cond sign.Condition) ([]byte, error) {
	doc := sign.Policy{Statements: []sign.Statement{
		{Resource: resource, Condition: cond},
	}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode policy: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func (p Policy) validate() error {
	switch {
	case p.Resource == "":
		return fmt.Errorf("%w: no resource", ErrInvalidPolicy)
	case p.Expires.Unix() <= 0:
		return fmt.Errorf("%w: no expiry", ErrInvalidPolicy)
	case !p.NotBefore.IsZero() && p.Expires.Unix() <= p.NotBefore.Unix():
		return fmt.Errorf("%w: expiry %s is not after start %s", ErrInvalidPolicy,
			p.Expires.UTC().Format(time.RFC3339), p.NotBefore.UTC().Format(time.RFC3339))
	}
	if err := checkChars(p.Resource); err != nil {
		return err
	}
	if err := checkResource(p.Resource); err != nil {
		return err
	}
	if p.IPRange.IsValid() {
		if _, err := ParseIPRange(p.IPRange.String()); err != nil {
			return err
		}
	}
	return nil
}

// checkResource refuses a resource that names no distribution: one
// without an http, https or "http*" scheme, or whose host is empty or only
// wildcards, or that holds a fragment. CloudFront would accept "*" and match every distribution
// that trusts the key, which is never what a caller means.
func checkResource(r string) error {
	var rest string
	var ok bool
	for _, scheme := range []string{"https://", "http://", "http*://"} {
		if rest, ok = strings.CutPrefix(r, scheme); ok {
			break
		}
	}
	if !ok {
		return fmt.Errorf("%w: resource %q: want an http, https or http* URL",
			ErrInvalidPolicy, r)
	}
	if strings.ContainsRune(rest, '#') {
		// Browsers never send a fragment: such a resource matches nothing.
		return fmt.Errorf("%w: resource %q holds '#'", ErrInvalidPolicy, r)
	}
	host, _, _ := strings.Cut(rest, "/")
	if strings.Trim(host, "*?") == "" {
		return fmt.Errorf("%w: resource %q names no host", ErrInvalidPolicy, r)
	}
	return nil
}

// checkChars refuses what a browser would never send unencoded: bytes
// outside ASCII, controls and spaces.
func checkChars(s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return fmt.Errorf("%w: %q", ErrNonASCII, s)
		case c <= ' ' || c == 0x7f:
			return fmt.Errorf("%w: control character or space in %q",
				ErrInvalidPolicy, s)
		}
	}
	return nil
}

// ParseIPRange parses an IPv4 address ("192.0.2.7", taken as /32) or an
// IPv4 CIDR block in canonical form ("192.0.2.0/24") for [Policy.IPRange].
// IPv6 is refused: CloudFront's IpAddress condition only matches IPv4.
func ParseIPRange(s string) (netip.Prefix, error) {
	var p netip.Prefix
	var err error
	if strings.Contains(s, "/") {
		p, err = netip.ParsePrefix(s)
	} else {
		var a netip.Addr
		a, err = netip.ParseAddr(s)
		if err == nil {
			p = netip.PrefixFrom(a, a.BitLen())
		}
	}
	switch {
	case err != nil:
		return netip.Prefix{}, fmt.Errorf("%w: %q: %w", ErrInvalidIPRange, s, err)
	case !p.Addr().Is4():
		return netip.Prefix{}, fmt.Errorf("%w: %q is not IPv4", ErrInvalidIPRange, s)
	case p.Masked() != p:
		return netip.Prefix{}, fmt.Errorf("%w: %q has host bits set, want %s",
			ErrInvalidIPRange, s, p.Masked())
	}
	return p, nil
}
