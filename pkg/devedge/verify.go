package devedge

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

// DeniedHeader is the response header that carries the [Reason] of a 403.
const DeniedHeader = "X-Edgepass-Denied"

// reasons maps each refusal of package cfverify to the short word the
// edge reports for it.
var reasons = []struct {
	err    error
	reason string
}{
	{cfverify.ErrNotSigned, "not_signed"},
	{cfverify.ErrMalformed, "malformed"},
	{cfverify.ErrMalformedPolicy, "malformed_policy"},
	{cfverify.ErrUnknownKey, "unknown_key"},
	{cfverify.ErrUnsupportedKey, "unsupported_key"},
	{cfverify.ErrHashAlgorithm, "hash_algorithm"},
	{cfverify.ErrBadSignature, "bad_signature"},
	{cfverify.ErrExpired, "expired"},
	{cfverify.ErrNotYetValid, "not_yet_valid"},
	{cfverify.ErrResourceMismatch, "resource_mismatch"},
	{cfverify.ErrIPNotAllowed, "ip_not_allowed"},
}

// Reason returns the snake_case word for why err, an error from a
// cfverify.Verifier, refused a request: "not_signed", "malformed",
// "malformed_policy", "unknown_key", "unsupported_key", "hash_algorithm",
// "bad_signature", "expired", "not_yet_valid", "resource_mismatch" or
// "ip_not_allowed"; "denied" for any other error and "" for nil.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.reason
		}
	}
	return "denied"
}

// deny answers 403 with the reason in a header and a short body. The
// refusal must not be cached: the next request may carry a signature.
func deny(w http.ResponseWriter, reason string) {
	h := w.Header()
	h.Set(DeniedHeader, reason)
	h.Set("Cache-Control", "no-store")
	http.Error(w, "403 forbidden: "+reason, http.StatusForbidden)
}

// verify applies CloudFront's checks to r.
func (e *Edge) verify(r *http.Request) (*cfverify.Result, error) {
	return e.verifier.Verify(cfverify.Request{
		URL:      requestURL(r),
		Cookies:  signingCookies(r),
		ClientIP: clientIP(r),
	})
}

// requestURL is the absolute URL of r as CloudFront would see it: the
// scheme of the connection, the Host header, and the path and query as
// sent. The path is the one the edge serves (r.URL), so what is verified
// is always what is sent, even behind a handler that rewrites paths; for
// every validly encoded request it is the path exactly as sent.
func requestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := scheme + "://" + r.Host + r.URL.EscapedPath()
	if r.URL.RawQuery != "" || r.URL.ForceQuery {
		u += "?" + r.URL.RawQuery
	}
	return u
}

// signingCookies returns the request's CloudFront-* cookies. When a name
// comes twice, the first wins: browsers send the cookie with the longest
// Path first, the set scoped most closely to the object.
func signingCookies(r *http.Request) map[string]string {
	var m map[string]string
	for _, c := range r.Cookies() {
		if !strings.HasPrefix(c.Name, "CloudFront-") {
			continue
		}
		if m == nil {
			m = make(map[string]string)
		}
		if _, dup := m[c.Name]; !dup {
			m[c.Name] = c.Value
		}
	}
	return m
}

// clientIP is the address of the connection, invalid if unknown.
func clientIP(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}
