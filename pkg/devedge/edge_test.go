package devedge_test

import (
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/devedge"
)

const (
	alicePath   = "/private/users/alice/cat.jpg"
	bobPath     = "/private/users/bob/dog.jpg"
	alicePrefix = origin + "/private/users/alice/*"
)

// ruleCase is one request and what the edge must answer.
type ruleCase struct {
	name    string
	target  string // path and query as sent
	cookies []cfsign.Cookie
	status  int
	reason  string // X-Edgepass-Denied, for a 403
	body    string // for a 200
}

func TestVerificationRules(t *testing.T) {
	ec := signerFor(t, ecID, cfsign.SHA256)
	validURL := canned(t, ec, alicePath, inAnHour)
	aliceCookies := cookies(t, ec, alicePrefix, inAnHour)
	expiredCookies := cookies(t, ec, alicePrefix, testNow)
	cannedCookies, err := ec.CannedCookies(origin+alicePath, inAnHour)
	if err != nil {
		t.Fatal(err)
	}

	tests := []ruleCase{
		{"public_unsigned", "/public/logo.svg", nil, 200, "", "<svg></svg>"},
		{"root_object_unsigned", "/", nil, 200, "", "<h1>demo</h1>"},
		{"private_unsigned", alicePath, nil, 403, "not_signed", ""},
		{"canned_url", validURL, nil, 200, "", aliceBody},
		{"canned_url_own_query", canned(t, ec, alicePath+"?v=2", inAnHour), nil,
			200, "", aliceBody},
		{"custom_url_wildcard", custom(t, ec, alicePath, alicePrefix, inAnHour), nil,
			200, "", aliceBody},
		{"custom_url_one_char_wildcard", custom(t, ec, alicePath,
			origin+"/private/users/alice/ca?.jpg", inAnHour), nil, 200, "", aliceBody},
		{"custom_cookies_prefix", alicePath, aliceCookies, 200, "", aliceBody},
		{"custom_cookies_deeper_object", "/private/users/alice/v2/cat.jpg",
			aliceCookies, 200, "", aliceBody + " v2"},
		{"canned_cookies", alicePath, cannedCookies, 200, "", aliceBody},

		{"expired_url", canned(t, ec, alicePath, testNow), nil, 403, "expired", ""},
		{"expired_custom_url", custom(t, ec, alicePath, alicePrefix,
			testNow.Add(-time.Minute)), nil, 403, "expired", ""},
		{"expired_cookies", alicePath, expiredCookies, 403, "expired", ""},

		{"tampered_signature_url", tamper(t, validURL, "Signature"), nil,
			403, "bad_signature", ""},
		{"tampered_expires_url", replaceParam(t, validURL, "Expires",
			epoch(inAnHour.Add(time.Hour))), nil, 403, "bad_signature", ""},
		{"tampered_policy_url", widenPolicy(t, ec), nil, 403, "bad_signature", ""},
		{"tampered_signature_cookies", alicePath, tamperCookie(aliceCookies),
			403, "bad_signature", ""},
		{"canned_url_moved_to_other_object",
			strings.Replace(validURL, "alice/cat.jpg", "bob/dog.jpg", 1), nil,
			403, "bad_signature", ""},

		{"wrong_prefix_cookies", bobPath, aliceCookies, 403, "resource_mismatch", ""},
		{"wrong_prefix_url", custom(t, ec, bobPath, alicePrefix, inAnHour), nil,
			403, "resource_mismatch", ""},
		{"wrong_host_cookies", alicePath, cookies(t, ec,
			"http://localhost:8787/private/users/alice/*", inAnHour),
			403, "resource_mismatch", ""},

		{"url_wins_over_valid_cookies", tamper(t, validURL, "Signature"),
			aliceCookies, 403, "bad_signature", ""},
		{"url_wins_over_expired_cookies", validURL, expiredCookies, 200, "", aliceBody},
		{"url_wins_over_other_users_cookies", canned(t, ec, bobPath, inAnHour),
			aliceCookies, 200, "", bobBody},

		{"first_of_two_cookie_sets_wins", alicePath,
			append(slices.Clone(aliceCookies), expiredCookies...), 200, "", aliceBody},
		{"first_of_two_cookie_sets_loses", alicePath,
			append(slices.Clone(expiredCookies), aliceCookies...), 403, "expired", ""},

		{"unknown_key", canned(t, signerFor(t, "KNOTTRUSTED001", cfsign.SHA256),
			alicePath, inAnHour), nil, 403, "unknown_key", ""},
		{"hash_flag_missing", strings.Replace(validURL, "&Hash-Algorithm=SHA256", "", 1),
			nil, 403, "hash_algorithm", ""},
		{"malformed_expires", replaceParam(t, validURL, "Expires", "soon"), nil,
			403, "malformed", ""},
		{"not_yet_valid", policyURL(t, ec, cfsign.Policy{Resource: alicePrefix,
			Expires: inAnHour, NotBefore: testNow.Add(time.Minute)}), nil,
			403, "not_yet_valid", ""},
		{"ip_allowed", policyURL(t, ec, cfsign.Policy{Resource: alicePrefix,
			Expires: inAnHour, IPRange: netip.MustParsePrefix("127.0.0.0/8")}), nil,
			200, "", aliceBody},
		{"ip_not_allowed", policyURL(t, ec, cfsign.Policy{Resource: alicePrefix,
			Expires: inAnHour, IPRange: netip.MustParsePrefix("192.0.2.0/24")}), nil,
			403, "ip_not_allowed", ""},

		{"signed_missing_object", canned(t, ec, "/private/users/alice/gone.jpg",
			inAnHour), nil, 404, "", ""},
		{"unsigned_missing_private_object", "/private/users/alice/gone.jpg", nil,
			403, "not_signed", ""},
		{"unsigned_missing_public_object", "/public/gone.svg", nil, 404, "", ""},
	}
	e, _ := newEdge(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkResponse(t, e, tc)
		})
	}
}

// checkResponse sends tc's request and compares the answer.
func checkResponse(t *testing.T, h http.Handler, tc ruleCase) {
	t.Helper()
	w := get(h, tc.target, tc.cookies)
	body := w.Body.String()
	if w.Code != tc.status {
		t.Fatalf("GET %s: status %d (%s), want %d", tc.target, w.Code,
			strings.TrimSpace(body), tc.status)
	}
	if got := w.Header().Get(devedge.DeniedHeader); got != tc.reason {
		t.Errorf("GET %s: %s = %q, want %q", tc.target, devedge.DeniedHeader,
			got, tc.reason)
	}
	switch tc.status {
	case http.StatusOK:
		if body != tc.body {
			t.Errorf("GET %s: body %q, want %q", tc.target, body, tc.body)
		}
	case http.StatusForbidden:
		if !strings.Contains(body, tc.reason) {
			t.Errorf("GET %s: body %q does not name %q", tc.target, body, tc.reason)
		}
		if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s: 403 with Cache-Control %q, want no-store", tc.target, cc)
		}
	}
}

func TestKeysAndHashes(t *testing.T) {
	e, _ := newEdge(t)
	for _, id := range []string{ecID, rsaID} {
		for _, h := range []cfsign.Hash{cfsign.SHA1, cfsign.SHA256} {
			s := signerFor(t, id, h)
			cannedCookies, err := s.CannedCookies(origin+alicePath, inAnHour)
			if err != nil {
				t.Fatal(err)
			}
			prefix := id + "_" + h.String() + "_"
			for _, tc := range []ruleCase{
				{prefix + "canned_url", canned(t, s, alicePath, inAnHour), nil,
					200, "", aliceBody},
				{prefix + "custom_url", custom(t, s, alicePath, alicePrefix, inAnHour),
					nil, 200, "", aliceBody},
				{prefix + "custom_cookies", alicePath, cookies(t, s, alicePrefix, inAnHour),
					200, "", aliceBody},
				{prefix + "canned_cookies", alicePath, cannedCookies, 200, "", aliceBody},
				{prefix + "other_key_id", canned(t, s, alicePath, inAnHour), nil,
					403, "bad_signature", ""},
			} {
				if strings.HasSuffix(tc.name, "other_key_id") {
					tc.target = replaceParam(t, tc.target, "Key-Pair-Id", otherID(id))
				}
				t.Run(tc.name, func(t *testing.T) { checkResponse(t, e, tc) })
			}
		}
	}
}

func otherID(id string) string {
	if id == ecID {
		return rsaID
	}
	return ecID
}

func TestObjectPaths(t *testing.T) {
	tests := []struct {
		name   string
		target string
		status int
	}{
		{"dot_dot", "/../private/users/alice/cat.jpg", 400},
		{"encoded_dot_dot", "/public/%2e%2e/private/users/alice/cat.jpg", 400},
		{"encoded_slashes", "/public/..%2f..%2fetc%2fpasswd", 400},
		{"dot_segment", "/public/./logo.svg", 400},
		{"empty_segment", "/public//logo.svg", 400},
		{"backslash", "/public/..%5c..%5clogo.svg", 400},
		{"nul", "/public/logo.svg%00", 400},
		{"control", "/public/logo%0a.svg", 400},
		{"invalid_utf8", "/public/%ff.svg", 400},
		{"trailing_dot", "/private./users/alice/cat.jpg", 400},
		{"trailing_space", "/private%20/users/alice/cat.jpg", 400},
		{"upper_case_private", "/PRIVATE/users/alice/cat.jpg", 403},
		{"mixed_case_private", "/Private/users/alice/cat.jpg", 403},
		{"encoded_private", "/%70rivate/users/alice/cat.jpg", 403},
		{"long_s_private", "/%C5%BFecret/a.txt", 403},
		{"kelvin_sign_private", "/%E2%84%AAids/a.txt", 403},
		{"private_folder", "/private/users/", 403},
		{"public_folder", "/public/", 404},
		{"public_folder_no_slash", "/public", 404},
		{"file_as_folder", "/public/logo.svg/x", 404},
		{"edge_endpoint_unknown", "/_edge/nothing", 404},
		{"query_ignored_on_public", "/public/logo.svg?Signature=x&v=1", 200},
	}
	e, _ := newEdge(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := get(e, tc.target, nil)
			if w.Code != tc.status {
				t.Errorf("GET %s: status %d (%s), want %d", tc.target, w.Code,
					strings.TrimSpace(w.Body.String()), tc.status)
			}
			if strings.Contains(w.Body.String(), aliceBody) {
				t.Errorf("GET %s served alice's private object", tc.target)
			}
		})
	}
}

func TestMethods(t *testing.T) {
	e, _ := newEdge(t)
	ec := signerFor(t, ecID, cfsign.SHA256)
	signed := canned(t, ec, alicePath, inAnHour)

	w := do(e, http.MethodHead, signed, nil)
	if w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD %s: status %d, %d body bytes, want 200 and none",
			signed, w.Code, w.Body.Len())
	}
	if got := w.Header().Get("Content-Length"); got != "11" {
		t.Errorf("HEAD %s: Content-Length %q, want %q", signed, got, "11")
	}
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		w := do(e, m, signed, nil)
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("%s %s: status %d, Allow %q, want 405 and %q", m, signed,
				w.Code, w.Header().Get("Allow"), "GET, HEAD")
		}
	}
}

// epoch is t in Unix seconds, as Expires carries it.
func epoch(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// policyURL signs alicePath with the custom policy p.
func policyURL(t *testing.T, s *cfsign.Signer, p cfsign.Policy) string {
	t.Helper()
	u, err := s.CustomURL(origin+alicePath, p)
	if err != nil {
		t.Fatalf("CustomURL(%q) error: %v", origin+alicePath, err)
	}
	return pathOf(t, u)
}

// widenPolicy signs a URL for alice's prefix, then swaps in a policy for
// every private object, keeping the signature.
func widenPolicy(t *testing.T, s *cfsign.Signer) string {
	t.Helper()
	signed := custom(t, s, alicePath, alicePrefix, inAnHour)
	wide, err := cfsign.Policy{Resource: origin + "/private/*", Expires: inAnHour}.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return replaceParam(t, signed, "Policy", cfsign.Encode(wide))
}

// tamperCookie returns cs with one character of the signature changed.
func tamperCookie(cs []cfsign.Cookie) []cfsign.Cookie {
	out := make([]cfsign.Cookie, len(cs))
	copy(out, cs)
	for i, c := range out {
		if c.Name == cfsign.CookieSignature {
			b := []byte(c.Value)
			if b[8] == 'A' {
				b[8] = 'B'
			} else {
				b[8] = 'A'
			}
			out[i].Value = string(b)
		}
	}
	return out
}
