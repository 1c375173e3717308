package cfverify_test

import (
	"crypto"
	"net/netip"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

var allReasons = []error{
	cfverify.ErrNotSigned, cfverify.ErrMalformed, cfverify.ErrMalformedPolicy,
	cfverify.ErrUnknownKey, cfverify.ErrUnsupportedKey, cfverify.ErrHashAlgorithm,
	cfverify.ErrBadSignature, cfverify.ErrExpired, cfverify.ErrNotYetValid,
	cfverify.ErrResourceMismatch, cfverify.ErrIPNotAllowed,
}

// parseCookieHeader splits "a=1; b=2" the simple way; enough for fuzzing.
func parseCookieHeader(h string) map[string]string {
	cookies := map[string]string{}
	for _, pair := range strings.Split(h, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(pair), "=")
		cookies[name] = value
	}
	return cookies
}

// FuzzVerify feeds arbitrary URLs, cookies and client addresses. Verify
// must never panic, every refusal must carry one named reason, and an
// acceptance must be consistent with the policy it reports.
func FuzzVerify(f *testing.F) {
	rs, es := rsaSigner(), ecSigner()
	obj := host + "/private/a.jpg?v=1"
	policy := policyJSON(host+"/private/*", expires,
		`,"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"}`)
	cookies := es.customCookies(f, crypto.SHA256, policy)
	var header []string
	for k, v := range cookies {
		header = append(header, k+"="+v)
	}
	f.Add(rs.cannedURL(f, crypto.SHA1, obj, expires), "", "192.0.2.1")
	f.Add(es.cannedURL(f, crypto.SHA256, obj, expires), "CloudFront-Expires=1", "")
	f.Add(rs.customURL(f, crypto.SHA256, obj, policy), "", "192.0.2.9")
	f.Add(obj, strings.Join(header, "; "), "192.0.2.200")
	f.Add(host+"/a?Policy=e30_&Signature=AA__&Key-Pair-Id="+ecID, "", "::1")
	f.Add("https://h/?Expires=99999999999999999999", "CloudFront-Policy=~~~", "")
	f.Add("http://x/*?*", "CloudFront-Key-Pair-Id=", "10.0.0.1")

	v := newVerifier()
	f.Fuzz(func(t *testing.T, rawURL, cookieHeader, client string) {
		ip, _ := netip.ParseAddr(client)
		req := cfverify.Request{URL: rawURL, Cookies: parseCookieHeader(cookieHeader), ClientIP: ip}
		res, err := v.Verify(req)
		if err != nil {
			if res != nil || !isOneOf(err, allReasons) {
				t.Fatalf("Verify(%q) = %v, %v; want nil and a named reason", rawURL, res, err)
			}
			return
		}
		if !testNow.Before(res.Expires) || !cfverify.MatchResource(res.Resource,
			mustStrip(t, rawURL, res.Source)) {
			t.Fatalf("Verify(%q) accepted an inconsistent result %+v", rawURL, res)
		}
	})
}

func mustStrip(t *testing.T, rawURL, source string) string {
	t.Helper()
	if source == cfverify.SourceCookies {
		return rawURL
	}
	u, err := cfverify.StripSigningParams(rawURL)
	if err != nil {
		t.Fatalf("StripSigningParams(%q) error = %v after acceptance", rawURL, err)
	}
	return u
}

// FuzzMatchResource: a resource always matches itself, and "*" matches
// everything.
func FuzzMatchResource(f *testing.F) {
	f.Add("https://h/a/*", "https://h/a/b")
	f.Add("*?*", "")
	f.Fuzz(func(t *testing.T, resource, url string) {
		_ = cfverify.MatchResource(resource, url)
		if !cfverify.MatchResource(url, url) || !cfverify.MatchResource("*", url) {
			t.Fatalf("MatchResource(%q, %q) broke a law", resource, url)
		}
	})
}
