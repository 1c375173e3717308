package cfverify_test

import (
	"crypto"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

func TestVerifyAccepts(t *testing.T) {
	obj := host + "/private/a.jpg"
	withQuery := host + "/private/a.jpg?size=large&color=red"
	prefix := host + "/private/*"
	tests := []struct {
		name     string
		s        signer
		h        crypto.Hash
		req      func(t *testing.T, s signer, h crypto.Hash) cfverify.Request
		source   string
		canned   bool
		resource string
	}{
		{"canned_url", rsaSigner(), crypto.SHA1, func(t *testing.T, s signer, h crypto.Hash) cfverify.Request {
			return cfverify.Request{URL: s.cannedURL(t, h, obj, expires)}
		}, "url", true, obj},
		{"canned_url_with_query", rsaSigner(), crypto.SHA256, func(t *testing.T, s signer, h crypto.Hash) cfverify.Request {
			return cfverify.Request{URL: s.cannedURL(t, h, withQuery, expires)}
		}, "url", true, withQuery},
		{"canned_url_ecdsa_sha1", ecSigner(), crypto.SHA1, func(t *testing.T, s signer, h crypto.Hash) cfverify.Request {
			return cfverify.Request{URL: s.cannedURL(t, h, withQuery, expires)}
		}, "url", true, withQuery},
		{"canned_url_ecdsa_sha256", ecSigner(), crypto.SHA256, func(t *testing.T, s signer, h crypto.Hash) cfverify.Request {
			return cfverify.Request{URL: s.cannedURL(t, h, obj, expires)}
		}, "url", true, obj},
		{"custom_url_wildcard", rsaSigner(), crypto.SHA256, func(t *testing.T, s signer, h crypto.Hash) cfverify.Request {
			return cfverify.Request{URL: s.customURL(t, h, withQuery, policyJSON(prefix, expires, ""))}
		}, "url", false, prefix},
		{"custom_url_ecdsa_sha1", ecSigner(), crypto.SHA1, func(t *testing.T, s signer, h crypto.Hash) cfverify.Request {
			return cfverify.Request{URL: s.customURL(t, h, obj, policyJSON(obj, expires, ""))}
		}, "url", false, obj},
		{"canned_cookies", ecSigner(), crypto.SHA256, func(t *testing.T, s signer, h crypto.Hash) cfverify.Request {
			return cfverify.Request{URL: withQuery, Cookies: s.cannedCookies(t, h, withQuery, expires)}
		}, "cookies", true, withQuery},
		{"custom_cookies", rsaSigner(), crypto.SHA1, func(t *testing.T, s signer, h crypto.Hash) cfverify.Request {
			return cfverify.Request{URL: obj, Cookies: s.customCookies(t, h, policyJSON(prefix, expires, ""))}
		}, "cookies", false, prefix},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req(t, tt.s, tt.h)
			res, err := newVerifier().Verify(req)
			if err != nil {
				t.Fatalf("Verify(%q) error = %v", req.URL, err)
			}
			want := cfverify.Result{
				Source: tt.source, KeyID: tt.s.id, Hash: hashName(tt.h),
				Canned: tt.canned, Resource: tt.resource,
				Expires: time.Unix(expires, 0).UTC(),
			}
			if diff := cmp.Diff(want, *res, ignorePolicy); diff != "" {
				t.Errorf("Verify(%q) mismatch (-want +got):\n%s", req.URL, diff)
			}
		})
	}
}

// ignorePolicy compares Results without their policy bytes.
var ignorePolicy = cmp.Options{
	cmpopts.IgnoreFields(cfverify.Result{}, "Policy"),
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
}

func hashName(h crypto.Hash) string {
	if h == crypto.SHA256 {
		return "sha256"
	}
	return "sha1"
}

// TestVerifyReasons has one case, at least, for every named reason.
func TestVerifyReasons(t *testing.T) {
	rs, es := rsaSigner(), ecSigner()
	obj := host + "/private/a.jpg"
	good := rs.cannedURL(t, crypto.SHA256, obj, expires)
	sig := param(good, "Signature")
	custom := func(policy string) string {
		return es.customURL(t, crypto.SHA256, obj, policy)
	}
	ip := netip.MustParseAddr("192.0.2.10")
	tests := []struct {
		name string
		req  cfverify.Request
		want error
	}{
		{"not_signed", cfverify.Request{URL: obj}, cfverify.ErrNotSigned},
		{"not_signed_other_cookies", cfverify.Request{URL: obj,
			Cookies: map[string]string{"session": "x"}}, cfverify.ErrNotSigned},
		{"not_http", cfverify.Request{URL: "ftp://h/a?Expires=1"}, cfverify.ErrMalformed},
		{"no_host", cfverify.Request{URL: "https:///a?Expires=1"}, cfverify.ErrMalformed},
		{"fragment", cfverify.Request{URL: good + "#t=1"}, cfverify.ErrMalformed},
		{"space_in_url", cfverify.Request{URL: host + "/a b?Expires=1"}, cfverify.ErrMalformed},
		{"missing_signature", req(drop(good, "Signature")), cfverify.ErrMalformed},
		{"missing_key_pair_id", req(drop(good, "Key-Pair-Id")), cfverify.ErrMalformed},
		{"missing_expires", req(drop(good, "Expires")), cfverify.ErrMalformed},
		{"expires_and_policy", req(good + "&Policy=e30_"), cfverify.ErrMalformed},
		{"duplicate_signature", req(good + "&Signature=" + sig), cfverify.ErrMalformed},
		{"expires_not_number", req(set(good, "Expires", "17672904OO")), cfverify.ErrMalformed},
		{"expires_leading_zero", req(set(good, "Expires", "01767290400")), cfverify.ErrMalformed},
		{"expires_negative", req(set(good, "Expires", "-1")), cfverify.ErrMalformed},
		{"signature_std_base64", req(set(good, "Signature",
			strings.NewReplacer("-", "+", "~", "/").Replace(sig))), cfverify.ErrMalformed},
		{"signature_not_base64", req(set(good, "Signature", "!!!!")), cfverify.ErrMalformed},
		{"signature_bad_escape", req(set(good, "Signature", "%zz")), cfverify.ErrMalformed},
		{"policy_not_base64", req(set(custom(policyJSON(obj, expires, "")), "Policy", "e30")),
			cfverify.ErrMalformed},
		{"cookie_missing_signature", cfverify.Request{URL: obj, Cookies: without(
			rs.cannedCookies(t, crypto.SHA1, obj, expires), "CloudFront-Signature")},
			cfverify.ErrMalformed},

		{"policy_not_json", req(custom(`{"Statement":`)), cfverify.ErrMalformedPolicy},
		{"policy_unknown_top_key", req(custom(`{"Statement":[{"Resource":"` + obj +
			`","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}],"Id":"x"}`)),
			cfverify.ErrMalformedPolicy},
		{"policy_two_statements", req(custom(`{"Statement":[` +
			statementJSON(obj) + `,` + statementJSON(obj) + `]}`)), cfverify.ErrMalformedPolicy},
		{"policy_no_statement", req(custom(`{"Statement":[]}`)), cfverify.ErrMalformedPolicy},
		{"policy_missing_resource", req(custom(`{"Statement":[{"Condition":` +
			`{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`)), cfverify.ErrMalformedPolicy},
		{"policy_missing_date_less_than", req(custom(`{"Statement":[{"Resource":"` + obj +
			`","Condition":{"DateGreaterThan":{"AWS:EpochTime":1}}}]}`)), cfverify.ErrMalformedPolicy},
		{"policy_lowercase_key", req(custom(strings.Replace(policyJSON(obj, expires, ""),
			"Resource", "resource", 1))), cfverify.ErrMalformedPolicy},
		{"policy_duplicate_resource", req(custom(strings.Replace(policyJSON("x", expires, ""),
			`"Resource":"x"`, `"Resource":"x","Resource":"`+obj+`"`, 1))), cfverify.ErrMalformedPolicy},
		{"policy_quoted_epoch", req(custom(strings.Replace(policyJSON(obj, expires, ""),
			"1767290400", `"1767290400"`, 1))), cfverify.ErrMalformedPolicy},
		{"policy_fractional_epoch", req(custom(strings.Replace(policyJSON(obj, expires, ""),
			"1767290400", `1767290400.5`, 1))), cfverify.ErrMalformedPolicy},
		{"policy_unknown_condition", req(custom(policyJSON(obj, expires,
			`,"StringLike":{"AWS:Referer":"x"}`))), cfverify.ErrMalformedPolicy},
		{"policy_ipv6_range", req(custom(policyJSON(obj, expires,
			`,"IpAddress":{"AWS:SourceIp":"2001:db8::/32"}`))), cfverify.ErrMalformedPolicy},
		{"policy_bare_ip", req(custom(policyJSON(obj, expires,
			`,"IpAddress":{"AWS:SourceIp":"192.0.2.10"}`))), cfverify.ErrMalformedPolicy},
		{"policy_trailing_data", req(custom(policyJSON(obj, expires, "") + `{}`)),
			cfverify.ErrMalformedPolicy},

		{"unknown_key", req(set(good, "Key-Pair-Id", "KNOTTRUSTED")), cfverify.ErrUnknownKey},
		{"unsupported_key", cfverify.Request{URL: good}, cfverify.ErrUnsupportedKey},

		{"sha256_signature_without_flag", req(drop(good, "Hash-Algorithm")),
			cfverify.ErrHashAlgorithm},
		{"sha1_signature_with_sha256_flag", req(rs.cannedURL(t, crypto.SHA1, obj, expires) +
			"&Hash-Algorithm=SHA256"), cfverify.ErrHashAlgorithm},
		// Signed with SHA-1, so only a refused value explains the error.
		{"hash_lowercase", req(rs.cannedURL(t, crypto.SHA1, obj, expires) +
			"&Hash-Algorithm=sha256"), cfverify.ErrHashAlgorithm},
		{"hash_sha512", req(rs.cannedURL(t, crypto.SHA1, obj, expires) +
			"&Hash-Algorithm=SHA512"), cfverify.ErrHashAlgorithm},
		{"hash_empty", req(rs.cannedURL(t, crypto.SHA1, obj, expires) +
			"&Hash-Algorithm="), cfverify.ErrHashAlgorithm},
		{"cookie_hash_flag_missing", cfverify.Request{URL: obj, Cookies: without(
			es.cannedCookies(t, crypto.SHA256, obj, expires), "CloudFront-Hash-Algorithm")},
			cfverify.ErrHashAlgorithm},

		{"other_key_same_id", req(ecSigner().withID(rsaID).cannedURL(t, crypto.SHA256, obj, expires)),
			cfverify.ErrBadSignature},
		{"canned_extra_param", req(good + "&size=large"), cfverify.ErrBadSignature},
		{"canned_other_path", req(strings.Replace(good, "a.jpg", "b.jpg", 1)), cfverify.ErrBadSignature},
		{"canned_later_expires", req(set(good, "Expires", "1767290401")), cfverify.ErrBadSignature},
		{"cookie_expires_changed", cfverify.Request{URL: obj, Cookies: with(
			rs.cannedCookies(t, crypto.SHA256, obj, expires), "CloudFront-Expires", "1767290399")},
			cfverify.ErrBadSignature},

		{"expired", req(rs.cannedURL(t, crypto.SHA1, obj, testNow.Unix())), cfverify.ErrExpired},
		{"not_yet_valid", req(custom(policyJSON(obj, expires,
			`,"DateGreaterThan":{"AWS:EpochTime":1767290000}`))), cfverify.ErrNotYetValid},

		{"resource_other_object", req(custom(policyJSON(host+"/private/b.jpg", expires, ""))),
			cfverify.ErrResourceMismatch},
		{"resource_needs_query", req(custom(policyJSON(obj+"?v=1", expires, ""))),
			cfverify.ErrResourceMismatch},
		{"cookie_resource_other_dir", cfverify.Request{URL: obj, Cookies: es.customCookies(t,
			crypto.SHA1, policyJSON(host+"/public/*", expires, ""))}, cfverify.ErrResourceMismatch},

		{"ip_outside", cfverify.Request{URL: custom(policyJSON(obj, expires,
			`,"IpAddress":{"AWS:SourceIp":"198.51.100.0/24"}`)), ClientIP: ip}, cfverify.ErrIPNotAllowed},
		{"ip_unknown", req(custom(policyJSON(obj, expires,
			`,"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"}`))), cfverify.ErrIPNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerifier()
			if tt.name == "unsupported_key" {
				v.Keys[rsaID] = "not a key"
			}
			res, err := v.Verify(tt.req)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify(%q) = %+v, %v; want %v", tt.req.URL, res, err, tt.want)
			}
		})
	}
}

func TestVerifyExpiryBoundaries(t *testing.T) {
	s := rsaSigner()
	obj := host + "/private/a.jpg"
	const start = expires - 600
	u := s.customURL(t, crypto.SHA256, obj, policyJSON(obj, expires,
		`,"DateGreaterThan":{"AWS:EpochTime":1767289800}`))
	end := time.Unix(expires, 0)
	tests := []struct {
		name string
		now  time.Time
		want error
	}{
		{"before_start", time.Unix(start, 0).Add(-time.Nanosecond), cfverify.ErrNotYetValid},
		{"at_start", time.Unix(start, 0), nil},
		{"last_second", end.Add(-time.Second), nil},
		{"last_instant", end.Add(-time.Nanosecond), nil},
		{"at_date_less_than", end, cfverify.ErrExpired},
		{"after", end.Add(time.Hour), cfverify.ErrExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerifier()
			v.Now = func() time.Time { return tt.now }
			_, err := v.VerifyURL(u, netip.Addr{})
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("VerifyURL at %s = %v, want %v", tt.now, err, tt.want)
			}
		})
	}
}

// TestVerifyPrecedence: when a request carries signing parameters,
// CloudFront decides on them alone, whatever the cookies say.
func TestVerifyPrecedence(t *testing.T) {
	s := ecSigner()
	obj := host + "/private/a.jpg"
	goodURL := s.cannedURL(t, crypto.SHA256, obj, expires)
	expiredURL := s.cannedURL(t, crypto.SHA256, obj, testNow.Unix()-1)
	goodCookies := s.cannedCookies(t, crypto.SHA256, obj, expires)
	badCookies := with(goodCookies, "CloudFront-Key-Pair-Id", "KNOTTRUSTED")
	tests := []struct {
		name       string
		req        cfverify.Request
		wantSource string
		wantErr    error
	}{
		{"url_only", cfverify.Request{URL: goodURL}, "url", nil},
		{"cookies_only", cfverify.Request{URL: obj, Cookies: goodCookies}, "cookies", nil},
		{"good_url_bad_cookies", cfverify.Request{URL: goodURL, Cookies: badCookies}, "url", nil},
		{"expired_url_good_cookies", cfverify.Request{URL: expiredURL, Cookies: goodCookies},
			"", cfverify.ErrExpired},
		{"lone_hash_param_good_cookies", cfverify.Request{URL: obj + "?Hash-Algorithm=SHA256",
			Cookies: goodCookies}, "", cfverify.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := newVerifier().Verify(tt.req)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Verify(%q) = %v, want %v", tt.req.URL, err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "verify url: ") {
					t.Errorf("Verify(%q) error %q does not name the URL", tt.req.URL, err)
				}
				return
			}
			if err != nil || res.Source != tt.wantSource {
				t.Fatalf("Verify(%q) = %+v, %v; want source %q", tt.req.URL, res, err, tt.wantSource)
			}
		})
	}
}

func TestVerifyCookiesIgnoresURLParams(t *testing.T) {
	s := rsaSigner()
	u := host + "/private/a.jpg?Expires=1"
	res, err := newVerifier().VerifyCookies(u, s.cannedCookies(t, crypto.SHA1, u, expires),
		netip.Addr{})
	if err != nil || res.Source != "cookies" || res.Resource != u {
		t.Fatalf("VerifyCookies(%q) = %+v, %v; want cookies for %q", u, res, err, u)
	}
	if _, err := newVerifier().VerifyCookies(u, nil, netip.Addr{}); !errors.Is(err, cfverify.ErrNotSigned) {
		t.Errorf("VerifyCookies(%q, nil) = %v, want %v", u, err, cfverify.ErrNotSigned)
	}
}

func TestVerifyExplicitSHA1(t *testing.T) {
	s := ecSigner()
	u := s.cannedURL(t, crypto.SHA1, host+"/a.jpg", expires) + "&Hash-Algorithm=SHA1"
	res, err := newVerifier().VerifyURL(u, netip.Addr{})
	if err != nil || res.Hash != "sha1" {
		t.Fatalf("VerifyURL(%q) = %+v, %v; want sha1", u, res, err)
	}
}

// TestVerifyCannedPolicyBytes: CloudFront rebuilds a canned policy with
// the URL as a JSON string, so a quote in the URL is escaped in the bytes
// that were signed.
func TestVerifyCannedPolicyBytes(t *testing.T) {
	s := rsaSigner()
	u := host + `/a.jpg?q="x"`
	want := `{"Statement":[{"Resource":"` + host + `/a.jpg?q=\"x\"",` +
		`"Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`
	signed := join(u, "Expires=1767290400&Key-Pair-Id="+rsaID+
		"&Signature="+s.sign(t, crypto.SHA1, want))
	res, err := newVerifier().VerifyURL(signed, netip.Addr{})
	if err != nil {
		t.Fatalf("VerifyURL(%q) error = %v", signed, err)
	}
	if string(res.Policy) != want || res.Resource != u {
		t.Errorf("VerifyURL(%q) policy %s, resource %q; want %s, %q",
			signed, res.Policy, res.Resource, want, u)
	}
	raw := s.cannedURL(t, crypto.SHA1, u, expires) // quotes left unescaped
	if _, err := newVerifier().VerifyURL(raw, netip.Addr{}); !errors.Is(err, cfverify.ErrBadSignature) {
		t.Errorf("VerifyURL(%q) = %v, want %v", raw, err, cfverify.ErrBadSignature)
	}
}

// req wraps a URL in a Request.
func req(u string) cfverify.Request { return cfverify.Request{URL: u} }

// param returns the value of the query parameter name in u.
func param(u, name string) string {
	_, q, _ := strings.Cut(u, "?")
	for _, piece := range strings.Split(q, "&") {
		if v, ok := strings.CutPrefix(piece, name+"="); ok {
			return v
		}
	}
	return ""
}

// set replaces the value of the query parameter name in u.
func set(u, name, value string) string {
	return strings.Replace(u, name+"="+param(u, name), name+"="+value, 1)
}

// drop removes the query parameter name from u.
func drop(u, name string) string {
	piece := name + "=" + param(u, name)
	if strings.Contains(u, "?"+piece+"&") {
		return strings.Replace(u, piece+"&", "", 1)
	}
	return strings.Replace(u, "&"+piece, "", 1)
}

func without(m map[string]string, name string) map[string]string {
	return with(m, name, "")
}

// with copies m with name set to value, or deleted when value is "".
func with(m map[string]string, name, value string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	if value == "" {
		delete(c, name)
	} else {
		c[name] = value
	}
	return c
}

func statementJSON(resource string) string {
	return `{"Resource":"` + resource +
		`","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}`
}

func (s signer) withID(id string) signer { return signer{id, s.key} }
