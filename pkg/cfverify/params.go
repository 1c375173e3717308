package cfverify

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The signing parameter names of a signed URL. A signed cookie carries the
// same values under the same names prefixed with "CloudFront-".
const (
	paramExpires   = "Expires"
	paramPolicy    = "Policy"
	paramSignature = "Signature"
	paramKeyID     = "Key-Pair-Id"
	paramHash      = "Hash-Algorithm"

	cookiePrefix = "CloudFront-"
)

var signingParams = []string{
	paramExpires, paramPolicy, paramSignature, paramKeyID, paramHash,
}

func isSigningParam(name string) bool {
	return slices.Contains(signingParams, name)
}

// requestURL is a request URL split where CloudFront splits it.
type requestURL struct {
	raw   string
	base  string   // scheme://host/path, as sent
	query []string // the &-separated query pieces, as sent, in order
}

// parseURL splits an absolute http or https URL as a viewer sends it:
// printable ASCII (anything else arrives percent-encoded) and no fragment,
// which a browser never sends.
func parseURL(raw string) (requestURL, error) {
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c <= ' ' || c >= 0x7f || c == '#' {
			return requestURL{}, fmt.Errorf("%w: url has byte %q at %d",
				ErrMalformed, c, i)
		}
	}
	rest, ok := strings.CutPrefix(raw, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(raw, "http://")
	}
	if !ok || rest == "" || rest[0] == '/' || rest[0] == '?' {
		return requestURL{}, fmt.Errorf("%w: url is not absolute http(s)",
			ErrMalformed)
	}
	u := requestURL{raw: raw, base: raw}
	if base, query, found := strings.Cut(raw, "?"); found {
		u.base, u.query = base, strings.Split(query, "&")
	}
	return u, nil
}

// paramName is the name of a query piece: what comes before its "=".
func paramName(piece string) string {
	name, _, _ := strings.Cut(piece, "=")
	return name
}

// withoutSigning is the URL without the signing parameters, the other
// pieces kept as sent and in order. This is the base URL the canned
// policy page describes ("including your own query string parameters"),
// with no "?" when nothing is left ("omit the question mark").
func (u requestURL) withoutSigning() string {
	kept := make([]string, 0, len(u.query))
	for _, piece := range u.query {
		if !isSigningParam(paramName(piece)) {
			kept = append(kept, piece)
		}
	}
	if q := strings.Join(kept, "&"); q != "" {
		return u.base + "?" + q
	}
	return u.base
}

// signingValues collects the signing parameters of u, percent-decoded.
// A repeated one is malformed: CloudFront's pages allow each once.
func (u requestURL) signingValues() (map[string]string, error) {
	vals := make(map[string]string)
	for _, piece := range u.query {
		name, value, _ := strings.Cut(piece, "=")
		if !isSigningParam(name) {
			continue
		}
		if _, dup := vals[name]; dup {
			return nil, fmt.Errorf("%w: %s appears twice", ErrMalformed, name)
		}
		decoded, err := url.PathUnescape(value)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, name, err)
		}
		vals[name] = decoded
	}
	return vals, nil
}

// cookieValues collects the CloudFront-* signing cookies under their URL
// parameter names (CloudFront-Expires becomes Expires, and so on).
func cookieValues(cookies map[string]string) map[string]string {
	vals := make(map[string]string)
	for _, name := range signingParams {
		if v, ok := cookies[cookiePrefix+name]; ok {
			vals[name] = v
		}
	}
	return vals
}

// StripSigningParams returns rawURL without its Expires, Policy,
// Signature, Key-Pair-Id and Hash-Algorithm query parameters, the others
// kept as sent and in order, and without "?" when no parameter is left.
// CloudFront compares this URL with the policy's resource, and rebuilds a
// canned policy from it.
func StripSigningParams(rawURL string) (string, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return "", err
	}
	return u.withoutSigning(), nil
}

// cfEncoding is CloudFront's base64: standard, padded, with "+", "=" and
// "/" replaced by "-", "_" and "~" so the value is safe in a query string
// (the character tables on the canned and custom policy pages). Decoding
// is strict so that no two spellings stand for the same bytes.
var (
	cfEncoding = base64.StdEncoding.Strict()
	fromCF     = strings.NewReplacer("-", "+", "_", "=", "~", "/")
)

func decodeCF(name, s string) ([]byte, error) {
	if strings.ContainsAny(s, "+=/") {
		return nil, fmt.Errorf("%w: %s is not CloudFront base64", ErrMalformed, name)
	}
	b, err := cfEncoding.DecodeString(fromCF.Replace(s))
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("%w: %s is not CloudFront base64", ErrMalformed, name)
	}
	return b, nil
}

// parseEpoch reads a Unix time in seconds written as plain decimal digits,
// without sign, quotes or leading zeros (the documented form of Expires
// and AWS:EpochTime: "Unix time format (in seconds)", unquoted). The
// canonical form matters: CloudFront rebuilds a canned policy from it.
func parseEpoch(s string) (int64, bool) {
	if s == "" || len(s) > 12 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
