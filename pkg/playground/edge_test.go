package playground_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/devedge"
	"github.com/edgepass/edgepass/pkg/playground"
)

// TestEdgeRules sends the signed URL and the cookies the playground's
// issuer makes for alice to its edge, as they are and changed, and
// checks CloudFront's rules: signatures, expiry, the resource, and URL
// parameters taking precedence over cookies.
func TestEdgeRules(t *testing.T) {
	// The edge's clock runs ahead by skew; the issuer keeps real time.
	var skew atomic.Int64
	p := startWith(t, playground.Options{Now: func() time.Time {
		return time.Now().Add(time.Duration(skew.Load()))
	}})
	token := mintToken(t, p, "alice")
	signedURL := signURL(t, p, token, aliceCat)
	cookies := signCookies(t, p, token, "/private/users/alice/")
	otherCookies := signCookies(t, p, token, "/private/shared/")

	tests := []struct {
		name    string
		url     string
		cookies []*http.Cookie
		status  int
		reason  string
	}{
		{"valid_url", signedURL, nil, 200, ""},
		{"valid_cookies", p.Origin() + aliceCat, cookies, 200, ""},
		{"valid_cookies_other_query", p.Origin() + aliceCat + "?after-sign-out=1",
			cookies, 200, ""},
		{"unsigned", p.Origin() + aliceCat, nil, 403, "not_signed"},
		{"tampered_url", tamperParam(t, signedURL, "Signature"), nil,
			403, "bad_signature"},
		{"tampered_cookies", p.Origin() + aliceCat, tamperCookies(cookies),
			403, "bad_signature"},
		{"url_moved_to_bob", strings.Replace(signedURL, aliceCat, bobBoat, 1), nil,
			403, "bad_signature"},
		{"wrong_prefix_cookies", p.Origin() + bobBoat, cookies, 403, "resource_mismatch"},
		{"other_grants_cookies", p.Origin() + aliceCat, otherCookies,
			403, "resource_mismatch"},
		{"tampered_url_wins_over_cookies", tamperParam(t, signedURL, "Signature"),
			cookies, 403, "bad_signature"},
		{"url_wins_over_wrong_cookies", signedURL, otherCookies, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkEdge(t, tt.url, tt.cookies, tt.status, tt.reason)
		})
	}

	// A day later, past the longest lifetime the issuer signs for.
	skew.Store(int64(25 * time.Hour))
	t.Run("expired_url", func(t *testing.T) {
		checkEdge(t, signedURL, nil, 403, "expired")
	})
	t.Run("expired_cookies", func(t *testing.T) {
		checkEdge(t, p.Origin()+aliceCat, cookies, 403, "expired")
	})
}

// checkEdge requests url with the cookies and checks the status and the
// reason the edge gives for a refusal.
func checkEdge(t *testing.T, url string, cookies []*http.Cookie,
	status int, reason string,
) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	got := resp.Header.Get(devedge.DeniedHeader)
	if resp.StatusCode != status || got != reason {
		t.Errorf("GET %s with %d cookies: %d %s=%q (%s), want %d %q", url, len(cookies),
			resp.StatusCode, devedge.DeniedHeader, got, strings.TrimSpace(string(body)),
			status, reason)
	}
}

// call sends a request with an optional bearer token and JSON body and
// returns the response, its body read.
func call(t *testing.T, method, url, token, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// mintToken gets a development token for sub from the token endpoint.
func mintToken(t *testing.T, p *playground.Playground, sub string) string {
	t.Helper()
	resp, body := call(t, http.MethodPost, p.Origin()+playground.TokenPath, "",
		`{"sub":"`+sub+`"}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %s", playground.TokenPath, resp.StatusCode, body)
	}
	return string(body)
}

// signURL asks the issuer for a signed URL for the object path.
func signURL(t *testing.T, p *playground.Playground, token, path string) string {
	t.Helper()
	endpoint := p.Origin() + playground.BasePath + "/v1/signed-urls"
	resp, body := call(t, http.MethodPost, endpoint, token, `{"paths":["`+path+`"]}`)
	var out struct {
		URLs []struct {
			URL string `json:"url"`
		} `json:"urls"`
	}
	if err := json.Unmarshal(body, &out); err != nil || resp.StatusCode != http.StatusOK ||
		len(out.URLs) != 1 {
		t.Fatalf("POST %s: %d %s (%v)", endpoint, resp.StatusCode, body, err)
	}
	return out.URLs[0].URL
}

// signCookies asks the issuer for signed cookies and returns the set
// scoped to the cookie path.
func signCookies(t *testing.T, p *playground.Playground,
	token, path string,
) []*http.Cookie {
	t.Helper()
	endpoint := p.Origin() + playground.BasePath + "/v1/signed-cookies"
	resp, body := call(t, http.MethodPost, endpoint, token, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %s", endpoint, resp.StatusCode, body)
	}
	var set []*http.Cookie
	for _, c := range resp.Cookies() {
		if c.Path == path {
			set = append(set, c)
		}
	}
	if len(set) != 4 {
		t.Fatalf("POST %s: %d cookies with path %s, want 4", endpoint, len(set), path)
	}
	return set
}

// tamperParam changes one character in the middle of the value of the
// query parameter name in u, keeping it CloudFront base64.
func tamperParam(t *testing.T, u, name string) string {
	t.Helper()
	i := strings.Index(u, name+"=")
	if i < 0 {
		t.Fatalf("no %s in %q", name, u)
	}
	i += len(name) + 1 + 8
	return u[:i] + flip(u[i]) + u[i+1:]
}

// tamperCookies returns a copy of cs with one character of the signature
// changed.
func tamperCookies(cs []*http.Cookie) []*http.Cookie {
	out := make([]*http.Cookie, len(cs))
	for i, c := range cs {
		cp := *c
		if c.Name == "CloudFront-Signature" {
			cp.Value = c.Value[:8] + flip(c.Value[8]) + c.Value[9:]
		}
		out[i] = &cp
	}
	return out
}

// flip returns a base64 character other than c.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// TestPremiumGrant checks the grant gated by a claim through the
// playground's issuer and edge: only a token with plan=premium gets a
// signed URL or cookies for the premium prefix, and the edge refuses the
// premium object to every other token's cookies, however they are sent.
func TestPremiumGrant(t *testing.T) {
	p := start(t)
	tests := []struct {
		name    string
		claims  string // of the token, as JSON
		granted bool
	}{
		{"no_claims", `{}`, false},
		{"other_claim", `{"team":"premium"}`, false},
		{"other_plan", `{"plan":"basic"}`, false},
		{"plan_other_case", `{"plan":"Premium"}`, false},
		{"premium", `{"plan":"premium"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := mintTokenWith(t, p, `{"sub":"alice","claims":`+tt.claims+`}`)
			checkPremiumURL(t, p, token, tt.granted)
			checkPremiumCookies(t, p, token, tt.granted)
		})
	}
}

// checkPremiumURL asks the issuer for a signed URL of the premium
// object: refused with 403 unless granted, and else good at the edge.
func checkPremiumURL(t *testing.T, p *playground.Playground, token string, granted bool) {
	t.Helper()
	if granted {
		checkEdge(t, signURL(t, p, token, premiumGold), nil, 200, "")
		return
	}
	endpoint := p.Origin() + playground.BasePath + "/v1/signed-urls"
	resp, body := call(t, http.MethodPost, endpoint, token, `{"paths":["`+premiumGold+`"]}`)
	if resp.StatusCode != http.StatusForbidden || strings.Contains(string(body), "Signature=") {
		t.Errorf("POST %s for %s: %d %s, want 403 and no URL", endpoint, premiumGold,
			resp.StatusCode, body)
	}
}

// checkPremiumCookies gets the token's signed cookies and sends them for
// the premium object: as a browser would, by their Path, and each set
// whatever its Path. Only a granted token's set for the premium prefix
// passes.
func checkPremiumCookies(t *testing.T, p *playground.Playground, token string,
	granted bool,
) {
	t.Helper()
	endpoint := p.Origin() + playground.BasePath + "/v1/signed-cookies"
	resp, body := call(t, http.MethodPost, endpoint, token, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %s", endpoint, resp.StatusCode, body)
	}
	sets := map[string][]*http.Cookie{} // by cookie Path
	for _, c := range resp.Cookies() {
		sets[c.Path] = append(sets[c.Path], c)
	}
	const premium = playground.PrivatePrefix + "premium/"
	if _, ok := sets[premium]; ok != granted {
		t.Errorf("POST %s: cookies for %s: %t, want %t", endpoint, premium, ok, granted)
	}

	object := p.Origin() + premiumGold
	if granted {
		checkEdge(t, object, sets[premium], 200, "")
	} else {
		checkEdge(t, object, nil, 403, "not_signed") // none has its Path
	}
	for path, set := range sets {
		if path != premium {
			checkEdge(t, object, set, 403, "resource_mismatch")
		}
	}
}

// mintTokenWith gets a development token from the token endpoint for the
// JSON request body.
func mintTokenWith(t *testing.T, p *playground.Playground, body string) string {
	t.Helper()
	resp, token := call(t, http.MethodPost, p.Origin()+playground.TokenPath, "", body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s %s: %d %s", playground.TokenPath, body, resp.StatusCode, token)
	}
	return string(token)
}
