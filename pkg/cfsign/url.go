package cfsign

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// MaxURLLength is the longest URL CloudFront accepts, in bytes.
const MaxURLLength = 8192

// signingParams are the query parameters CloudFront reads as its own.
var signingParams = []string{
	"Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm",
}

// CannedURL signs rawURL with a canned policy: the URL is valid exactly
// as given, until expires. Use [Expiry] to keep expiries, and so URLs,
// stable within a window.
func (s *Signer) CannedURL(rawURL string, expires time.Time) (string, error) {
	if err := CheckURL(rawURL); err != nil {
		return "", err
	}
	policy, err := CannedPolicy(rawURL, expires)
	if err != nil {
		return "", err
	}
	sig, err := s.Sign(policy)
	if err != nil {
		return "", err
	}
	return finish(rawURL, s.params(param{"Expires", epoch(expires)}, sig))
}

// CustomURL signs rawURL with the custom policy p, whose resource may
// differ from the URL and hold wildcards.
func (s *Signer) CustomURL(rawURL string, p Policy) (string, error) {
	if err := CheckURL(rawURL); err != nil {
		return "", err
	}
	policy, err := p.JSON()
	if err != nil {
		return "", err
	}
	sig, err := s.Sign(policy)
	if err != nil {
		return "", err
	}
	return finish(rawURL, s.params(param{"Policy", Encode(policy)}, sig))
}

func finish(rawURL string, ps []param) (string, error) {
	sep := "?"
	if strings.Contains(rawURL, "?") {
		sep = "&"
	}
	signed := rawURL + sep + query(ps)
	if len(signed) > MaxURLLength {
		return "", fmt.Errorf("%w: %d bytes", ErrTooLong, len(signed))
	}
	return signed, nil
}

// CheckURL reports, as an error, why rawURL cannot be signed: it must be
// an absolute http or https URL with a lower-case scheme and host, ASCII
// only (non-ASCII
// percent-encoded, as a browser sends it), with no fragment, no user
// information, no empty query and none of CloudFront's signing parameters.
func CheckURL(rawURL string) error {
	if err := checkChars(rawURL); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidURL, err)
	}
	if i := strings.IndexAny(rawURL, "\"\\<>`{}#"); i >= 0 {
		return fmt.Errorf("%w: %q must be percent-encoded in %q",
			ErrInvalidURL, rawURL[i], rawURL)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidURL, err)
	}
	switch {
	case !strings.HasPrefix(rawURL, "https://") && !strings.HasPrefix(rawURL, "http://"):
		return fmt.Errorf("%w: scheme of %q must be http or https", ErrInvalidURL, rawURL)
	case u.Host == "" || u.Opaque != "":
		return fmt.Errorf("%w: %q has no host", ErrInvalidURL, rawURL)
	case !validHost(u.Host):
		return fmt.Errorf("%w: host of %q must be a lower-case name or an IP address,"+
			" as browsers send it", ErrInvalidURL, rawURL)
	case u.User != nil:
		return fmt.Errorf("%w: %q holds user information", ErrInvalidURL, rawURL)
	case u.ForceQuery || strings.HasSuffix(rawURL, "&"):
		return fmt.Errorf("%w: %q ends its query with nothing", ErrInvalidURL, rawURL)
	}
	return checkQuery(u.RawQuery)
}

// validHost reports whether host (with an optional port) is a lower-case
// DNS name or an IP address literal.
func validHost(host string) bool {
	name, port, hasPort := strings.Cut(host, ":")
	if strings.HasPrefix(host, "[") {
		end := strings.Index(host, "]")
		if end < 0 {
			return false
		}
		if _, err := netip.ParseAddr(host[1:end]); err != nil {
			return false
		}
		name, port, hasPort = "ip", strings.TrimPrefix(host[end+1:], ":"), end+1 < len(host)
	}
	if name == "" || hasPort && port == "" {
		return false
	}
	for _, c := range name {
		ok := 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-'
		if !ok {
			return false
		}
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func checkQuery(q string) error {
	for q != "" {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		name, _, _ := strings.Cut(pair, "=")
		for _, p := range signingParams {
			if name == p {
				return fmt.Errorf("%w: %s", ErrSigningParam, p)
			}
		}
	}
	return nil
}
