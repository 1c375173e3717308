package httpapi_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/cfverify"
)

type signedURLs struct {
	URLs []struct {
		Path      string    `json:"path"`
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expires_at"`
	} `json:"urls"`
}

type signedCookies struct {
	ExpiresAt time.Time `json:"expires_at"`
	Cookies   []struct {
		Name      string    `json:"name"`
		Value     string    `json:"value"`
		Domain    string    `json:"domain"`
		Path      string    `json:"path"`
		ExpiresAt time.Time `json:"expires_at"`
		Secure    bool      `json:"secure"`
		HTTPOnly  bool      `json:"http_only"`
		SameSite  string    `json:"same_site"`
	} `json:"cookies"`
}

// every key type and hash the service can sign with.
var variants = []struct {
	name string
	kt   cfsign.KeyType
	h    cfsign.Hash
}{
	{"ecdsa_sha256", cfsign.ECDSA, cfsign.SHA256},
	{"ecdsa_sha1", cfsign.ECDSA, cfsign.SHA1},
	{"rsa_sha256", cfsign.RSA, cfsign.SHA256},
	{"rsa_sha1", cfsign.RSA, cfsign.SHA1},
}

func TestPostSignedURLs(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			s := newServer(t, serverOpts{keyType: v.kt, hash: v.h})
			tok := token(t, claims("alice", map[string]any{"plan": "premium"}))
			res := s.do(t, "POST", "/v1/signed-urls", tok,
				`{"paths":["/private/users/alice/a.jpg","/private/premium/é.mp4"],"ttl":"30m"}`)
			if res.StatusCode != http.StatusOK {
				b, _ := io.ReadAll(res.Body)
				t.Fatalf("status %d: %s", res.StatusCode, b)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", cc)
			}
			var body signedURLs
			decodeBody(t, res, &body)
			if len(body.URLs) != 2 || body.URLs[1].Path != "/private/premium/é.mp4" {
				t.Fatalf("urls = %+v, want both paths in request order", body.URLs)
			}
			for _, u := range body.URLs {
				r, err := s.verifier.VerifyURL(u.URL, netip.Addr{})
				if err != nil {
					t.Errorf("VerifyURL(%q): %v", u.URL, err)
					continue
				}
				if r.Hash != v.h.String() || !r.Expires.Equal(u.ExpiresAt) {
					t.Errorf("verified %+v, want hash %s and expiry %s", r, v.h, u.ExpiresAt)
				}
				if u.ExpiresAt.Unix()%(15*60) != 0 {
					t.Errorf("expires_at %s is not on a 15m window", u.ExpiresAt)
				}
			}
		})
	}
}

func TestGetSignedURLRedirects(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			s := newServer(t, serverOpts{keyType: v.kt, hash: v.h, basePath: "/edgepass"})
			tok := token(t, claims("alice", nil))
			target := "/edgepass/v1/signed-url?path=" +
				url.QueryEscape("/private/users/alice/a b.jpg")
			res := s.do(t, "GET", target, tok, "")
			if res.StatusCode != http.StatusFound {
				t.Fatalf("status = %d, want 302", res.StatusCode)
			}
			loc := res.Header.Get("Location")
			if !strings.HasPrefix(loc, cdn+"/private/users/alice/a%20b.jpg?Expires=") {
				t.Errorf("Location = %q", loc)
			}
			if _, err := s.verifier.VerifyURL(loc, netip.Addr{}); err != nil {
				t.Errorf("VerifyURL(%q): %v", loc, err)
			}
			// 20:07:12 is 7m48s before the 20:15 window boundary.
			if cc := res.Header.Get("Cache-Control"); cc != "private, max-age=468" {
				t.Errorf("Cache-Control = %q, want private, max-age=468", cc)
			}
			// Without the base path the route does not exist.
			expectProblem(t, s.do(t, "GET",
				"/v1/signed-url?path=/private/users/alice/a.jpg", tok, ""), 404)
		})
	}
}

func TestPostSignedCookies(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			s := newServer(t, serverOpts{keyType: v.kt, hash: v.h})
			tok := token(t, claims("alice", map[string]any{
				"org": "acme", "scope": "openid media:read",
			}))
			res := s.do(t, "POST", "/v1/signed-cookies", tok, "")
			if res.StatusCode != http.StatusOK {
				b, _ := io.ReadAll(res.Body)
				t.Fatalf("status %d: %s", res.StatusCode, b)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", cc)
			}
			headers := res.Cookies()
			var body signedCookies
			decodeBody(t, res, &body)
			if len(headers) != len(body.Cookies) {
				t.Fatalf("%d Set-Cookie headers, %d cookies in the body", len(headers), len(body.Cookies))
			}
			sets := map[string]map[string]string{}
			for i, c := range headers {
				b := body.Cookies[i]
				if c.Name != b.Name || c.Value != b.Value || c.Path != b.Path ||
					!c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
					t.Errorf("Set-Cookie %+v does not match body %+v", c, b)
				}
				if !c.Expires.IsZero() || c.MaxAge != 0 {
					t.Errorf("cookie %s is persistent, want a session cookie", c.Name)
				}
				if sets[c.Path] == nil {
					sets[c.Path] = map[string]string{}
				}
				sets[c.Path][c.Name] = c.Value
			}
			for path, object := range map[string]string{
				"/private/users/alice/": "/private/users/alice/x.jpg",
				"/private/teams/acme/":  "/private/teams/acme/y.jpg",
			} {
				if _, err := s.verifier.VerifyCookies(cdn+object, sets[path], netip.Addr{}); err != nil {
					t.Errorf("cookies at %s do not open %s: %v", path, object, err)
				}
			}
			if len(sets) != 2 {
				t.Errorf("cookie paths = %v, want alice's and acme's only", sets)
			}
		})
	}
}

// A set for a narrower path than a grant, or for one object, takes the
// grant's cookie Path, so that it replaces the grant's set in the browser
// rather than carried beside it.
func TestPostSignedCookiesForPath(t *testing.T) {
	s := newServer(t, serverOpts{keyType: cfsign.ECDSA})
	tok := token(t, claims("alice", nil))
	for _, tt := range []struct {
		name   string
		path   string
		opens  string
		closed string
	}{
		{"narrower_prefix", "/private/users/alice/albums/*",
			"/private/users/alice/albums/a.jpg", "/private/users/alice/b.jpg"},
		{"object", "/private/users/alice/a b.jpg",
			"/private/users/alice/a%20b.jpg", "/private/users/alice/b.jpg"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			set := postCookies(t, s, tok, `{"path":"`+tt.path+`"}`)
			if len(set) != 1 || set["/private/users/alice/"] == nil {
				t.Fatalf("cookie paths = %v, want one set at alice's prefix", set)
			}
			cookies := set["/private/users/alice/"]
			_, err := s.verifier.VerifyCookies(cdn+tt.opens, cookies, netip.Addr{})
			if err != nil {
				t.Errorf("cookies for %s do not open %s: %v", tt.path, tt.opens, err)
			}
			_, err = s.verifier.VerifyCookies(cdn+tt.closed, cookies, netip.Addr{})
			if !errors.Is(err, cfverify.ErrResourceMismatch) {
				t.Errorf("cookies for %s on %s: err = %v, want ErrResourceMismatch",
					tt.path, tt.closed, err)
			}
		})
	}
	p := expectProblem(t, s.do(t, "POST", "/v1/signed-cookies", tok, `{"path":"/private/users/bob/*"}`), 403)
	if !strings.Contains(p.Detail, "/private/users/bob/*") {
		t.Errorf("403 detail %q does not name the path", p.Detail)
	}
}

// postCookies asks for signed cookies and returns them by cookie Path,
// name and value, after checking that the body lists each Set-Cookie
// header with the same name, value and Path.
func postCookies(t *testing.T, s server, tok, body string) map[string]map[string]string {
	t.Helper()
	res := s.do(t, "POST", "/v1/signed-cookies", tok, body)
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("POST /v1/signed-cookies %s: status %d: %s", body, res.StatusCode, b)
	}
	headers := res.Cookies()
	var got signedCookies
	decodeBody(t, res, &got)
	if len(headers) != len(got.Cookies) {
		t.Fatalf("%d Set-Cookie headers, %d cookies in the body",
			len(headers), len(got.Cookies))
	}
	sets := map[string]map[string]string{}
	for i, c := range headers {
		b := got.Cookies[i]
		if c.Name != b.Name || c.Value != b.Value || c.Path != b.Path {
			t.Errorf("Set-Cookie %s at %q, body %s at %q", c.Name, c.Path, b.Name, b.Path)
		}
		if sets[c.Path] == nil {
			sets[c.Path] = map[string]string{}
		}
		sets[c.Path][c.Name] = c.Value
	}
	return sets
}

// Sign-out expires every cookie name at the Path of any set POST gave,
// narrower requests included, so that no set outlives it.
func TestDeleteClearsEverySet(t *testing.T) {
	s := newServer(t, serverOpts{keyType: cfsign.ECDSA})
	tok := token(t, claims("alice", map[string]any{"org": "acme", "scope": "media:read"}))
	for _, body := range []string{
		"",
		`{"path":"/private/users/alice/album/*"}`,
		`{"path":"/private/users/alice/album/a.jpg"}`,
		`{"path":"/private/teams/acme/q3/*"}`,
	} {
		t.Run(fmt.Sprintf("%q", body), func(t *testing.T) {
			sets := postCookies(t, s, tok, body)
			res := s.do(t, "DELETE", "/v1/signed-cookies", tok, "")
			if res.StatusCode != http.StatusNoContent {
				t.Fatalf("DELETE status = %d, want 204", res.StatusCode)
			}
			cleared := map[string]bool{}
			for _, c := range res.Cookies() {
				if c.MaxAge < 0 && c.Value == "" {
					cleared[c.Name+" "+c.Path] = true
				}
			}
			for path := range sets {
				for _, name := range cfsign.CookieNames {
					if !cleared[name+" "+path] {
						t.Errorf("POST set cookies at %q; DELETE does not expire %s there",
							path, name)
					}
				}
			}
		})
	}
}

func TestDeleteSignedCookies(t *testing.T) {
	s := newServer(t, serverOpts{keyType: cfsign.ECDSA})
	// An expired token still signs out.
	tok := token(t, claims("alice", map[string]any{
		"exp": now.Add(-2 * time.Hour).Unix(), "iat": now.Add(-3 * time.Hour).Unix(),
	}))
	res := s.do(t, "DELETE", "/v1/signed-cookies", tok, "")
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("status = %d, want 204", res.StatusCode)
	}
	got := map[string]bool{}
	for _, c := range res.Cookies() {
		if c.MaxAge >= 0 || c.Value != "" {
			t.Errorf("cookie %s at %s is not expired: %+v", c.Name, c.Path, c)
		}
		got[c.Name+" "+c.Path] = true
	}
	for _, name := range cfsign.CookieNames {
		if !got[name+" /private/users/alice/"] {
			t.Errorf("no expired %s at alice's prefix", name)
		}
	}
	// A forged token does not.
	forged := tok[:len(tok)-4] + "AAAA"
	expectProblem(t, s.do(t, "DELETE", "/v1/signed-cookies", forged, ""), 401)
}

func TestBadTokens(t *testing.T) {
	s := newServer(t, serverOpts{keyType: cfsign.ECDSA})
	rsaPub := pemOf(t, idp.rsa.Public())
	good := token(t, claims("alice", nil))
	parts := strings.Split(good, ".")
	tampered := parts[0] + "." + b64(`{"sub":"bob","iss":"`+issuerID+`","aud":"edgepass","exp":`+
		strconv.FormatInt(now.Add(time.Hour).Unix(), 10)+`}`) + "." + parts[2]
	hsWithPub := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims("alice", nil))
		tok.Header["kid"] = "rsa-1"
		s, _ := tok.SignedString(rsaPub)
		return s
	}()
	none := b64(`{"alg":"none","typ":"JWT"}`) + "." + b64(`{"sub":"alice","exp":9999999999}`) + "."
	unknownKid := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims("alice", nil))
		tok.Header["kid"] = "nope"
		s, _ := tok.SignedString(idp.ec)
		return s
	}()
	tests := []struct {
		name  string
		token string
		auth  string // raw Authorization header, when set
	}{
		{"missing", "", ""},
		{"garbage", "not-a-jwt", ""},
		{"alg_none", none, ""},
		{"hs256_with_rsa_public_key", hsWithPub, ""},
		{"expired", token(t, claims("alice", map[string]any{"exp": now.Add(-time.Hour).Unix()})), ""},
		{"future_nbf", token(t, claims("alice", map[string]any{"nbf": now.Add(time.Hour).Unix()})), ""},
		{"wrong_issuer", token(t, claims("alice", map[string]any{"iss": "https://evil/"})), ""},
		{"wrong_audience", token(t, claims("alice", map[string]any{"aud": "other"})), ""},
		{"no_exp", token(t, claims("alice", map[string]any{"exp": nil})), ""},
		{"tampered_payload", tampered, ""},
		{"oversized", token(t, claims("alice", map[string]any{"pad": strings.Repeat("x", 9000)})), ""},
		{"unknown_kid", unknownKid, ""},
		{"basic_scheme", "", "Basic YWxpY2U6cHc="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := strings.NewReader(`{"paths":["/private/users/alice/a.jpg"]}`)
			r, _ := http.NewRequest(http.MethodPost, "/v1/signed-urls", req)
			switch {
			case tt.auth != "":
				r.Header.Set("Authorization", tt.auth)
			case tt.token != "":
				r.Header.Set("Authorization", "Bearer "+tt.token)
			}
			w := newRecorder()
			s.handler.ServeHTTP(w, r)
			res := w.Result()
			want := `Bearer error="invalid_token"`
			if tt.name == "missing" || tt.name == "basic_scheme" {
				want = "Bearer" // RFC 6750 3.1: no bearer token, no error code
			}
			if got := res.Header.Get("WWW-Authenticate"); got != want {
				t.Errorf("WWW-Authenticate = %q, want %q", got, want)
			}
			p := expectProblem(t, res, 401)
			if tt.token != "" && strings.Contains(p.Detail, tt.token) {
				t.Error("problem detail echoes the token")
			}
		})
	}
	// RS256 from the same provider is fine.
	if res := s.do(t, "POST", "/v1/signed-urls", rsToken(t, claims("alice", nil)),
		`{"paths":["/private/users/alice/a.jpg"]}`); res.StatusCode != http.StatusOK {
		t.Errorf("RS256 token: status %d, want 200", res.StatusCode)
	}
}

func TestBadRequests(t *testing.T) {
	s := newServer(t, serverOpts{keyType: cfsign.ECDSA})
	tok := token(t, claims("alice", nil))
	big := `{"paths":[` + strings.Repeat(`"/private/users/alice/a.jpg",`, 101) + `"/x"]}`
	tests := []struct {
		name   string
		body   string
		status int
	}{
		{"other_user", `{"paths":["/private/users/bob/a.jpg"]}`, 403},
		{"outside_grants", `{"paths":["/public/a.jpg"]}`, 403},
		{"premium_without_claim", `{"paths":["/private/premium/a.jpg"]}`, 403},
		{"dot_dot", `{"paths":["/private/users/alice/../bob/a.jpg"]}`, 400},
		{"dot_segment", `{"paths":["/private/users/alice/./a.jpg"]}`, 400},
		{"encoded_dot_dot", `{"paths":["/private/users/alice/%2e%2e/bob/a.jpg"]}`, 400},
		{"double_slash", `{"paths":["/private/users/alice//a.jpg"]}`, 400},
		{"backslash", `{"paths":["/private/users/alice/a\\b.jpg"]}`, 400},
		{"star", `{"paths":["/private/users/alice/*"]}`, 400},
		{"question", `{"paths":["/private/users/alice/a?.jpg"]}`, 400},
		{"hash", `{"paths":["/private/users/alice/a#b"]}`, 400},
		{"control", `{"paths":["/private/users/alice/a\u0001.jpg"]}`, 400},
		{"format_char", `{"paths":["/private/users/alice/a\u202e.jpg"]}`, 400},
		{"relative", `{"paths":["private/users/alice/a.jpg"]}`, 400},
		{"too_long", `{"paths":["/private/users/alice/` + strings.Repeat("a", 1100) + `"]}`, 400},
		{"ttl_above_max", `{"paths":["/private/users/alice/a.jpg"],"ttl":"25h"}`, 400},
		{"ttl_below_second", `{"paths":["/private/users/alice/a.jpg"],"ttl":"500ms"}`, 400},
		{"ttl_not_duration", `{"paths":["/private/users/alice/a.jpg"],"ttl":"soon"}`, 400},
		{"batch_too_big", big, 400},
		{"empty_batch", `{"paths":[]}`, 400},
		{"no_paths", `{}`, 400},
		{"unknown_field", `{"paths":["/private/users/alice/a.jpg"],"admin":true}`, 400},
		{"not_json", `paths=/a`, 400},
		{"trailing_data", `{"paths":["/private/users/alice/a.jpg"]} {}`, 400},
		{"not_object", `["/private/users/alice/a.jpg"]`, 400},
		{"duplicate_field", `{"paths":["/private/users/bob/a.jpg"],` +
			`"paths":["/private/users/alice/a.jpg"]}`, 400},
		{"duplicate_field_case", `{"paths":["/private/users/alice/a.jpg"],` +
			`"PATHS":["/private/users/alice/b.jpg"]}`, 400},
		{"duplicate_field_fold", `{"paths":["/private/users/alice/a.jpg"],` +
			`"path\u017f":["/private/users/alice/b.jpg"]}`, 400},
		{"invalid_utf8", "{\"paths\":[\"/private/users/alice/\xff.jpg\"]}", 400},
		{"wrong_type", `{"paths":"/private/users/alice/a.jpg"}`, 400},
		{"empty_body", ``, 400},
		{"huge_body", `{"paths":["` + strings.Repeat("a", 70<<10) + `"]}`, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := s.do(t, "POST", "/v1/signed-urls", tok, tt.body)
			expectProblem(t, res, tt.status)
		})
	}
}

// A body must be JSON: a form or text body is 415 even when it holds JSON,
// so that a cross-site form cannot post it; no Content-Type at all passes.
func TestBodyMediaType(t *testing.T) {
	s := newServer(t, serverOpts{keyType: cfsign.ECDSA})
	tok := token(t, claims("alice", nil))
	tests := []struct {
		name        string
		target      string
		contentType string
		body        string
		status      int
	}{
		{"text_plain", "/v1/signed-urls", "text/plain",
			`{"paths":["/private/users/alice/a"]}`, 415},
		{"form", "/v1/signed-urls", "application/x-www-form-urlencoded",
			`{"paths":["/private/users/alice/a"]}`, 415},
		{"malformed_type", "/v1/signed-urls", ";;", `{"paths":["/private/users/alice/a"]}`, 415},
		{"cookies_text_plain", "/v1/signed-cookies", "text/plain", `{}`, 415},
		{"json_charset", "/v1/signed-urls", "application/json; charset=utf-8",
			`{"paths":["/private/users/alice/a"]}`, 200},
		{"json_suffix", "/v1/signed-urls", "application/merge-patch+json",
			`{"paths":["/private/users/alice/a"]}`, 200},
		{"no_type", "/v1/signed-urls", "", `{"paths":["/private/users/alice/a"]}`, 200},
		{"cookies_empty_form", "/v1/signed-cookies", "application/x-www-form-urlencoded",
			"", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, tt.target, strings.NewReader(tt.body))
			r.Header.Set("Authorization", "Bearer "+tok)
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			w := newRecorder()
			s.handler.ServeHTTP(w, r)
			if tt.status != http.StatusOK {
				expectProblem(t, w.Result(), tt.status)
			} else if w.Code != http.StatusOK {
				t.Errorf("POST %s as %q = %d, want 200: %s", tt.target, tt.contentType,
					w.Code, w.Body)
			}
		})
	}
}

// A claim can fill a placeholder only with one plain segment: nothing a
// token carries opens another user's prefix.
func TestClaimInjection(t *testing.T) {
	s := newServer(t, serverOpts{keyType: cfsign.ECDSA})
	for _, sub := range []any{"*", "a/b", "..", "alice/*", "alice/../bob", "%2e%2e", "", 42,
		[]string{"bob"}, "bob\u0000", ".", "alice;bob"} {
		t.Run(fmt.Sprintf("%q", sub), func(t *testing.T) {
			tok := token(t, claims("x", map[string]any{"sub": sub}))
			for _, target := range []string{"/private/users/bob/a.jpg", "/private/users/alice/a.jpg"} {
				res := s.do(t, "POST", "/v1/signed-urls", tok, `{"paths":["`+target+`"]}`)
				if res.StatusCode == http.StatusOK {
					t.Errorf("sub %q opened %s", sub, target)
				}
			}
			res := s.do(t, "POST", "/v1/signed-cookies", tok, "")
			var body signedCookies
			if res.StatusCode == http.StatusOK {
				decodeBody(t, res, &body)
			}
			for _, c := range body.Cookies {
				if strings.HasPrefix(c.Path, "/private/users") {
					t.Errorf("sub %q got cookies for %s", sub, c.Path)
				}
			}
		})
	}
}

// Two instances with the same key and config, as two replicas behind a
// load balancer, answer the same request with the same bytes.
func TestReplicasAgree(t *testing.T) {
	key, err := cfsign.GenerateKey(cfsign.ECDSA)
	if err != nil {
		t.Fatal(err)
	}
	a := newServer(t, serverOpts{key: key})
	b := newServer(t, serverOpts{key: key})
	tok := token(t, claims("alice", nil))
	body := `{"paths":["/private/users/alice/a.jpg","/private/users/alice/b.jpg"]}`
	ra := okBody(t, a.do(t, "POST", "/v1/signed-urls", tok, body))
	rb := okBody(t, b.do(t, "POST", "/v1/signed-urls", tok, body))
	if string(ra) != string(rb) {
		t.Errorf("replicas answered\n%s\n%s", ra, rb)
	}
	resA := a.do(t, "POST", "/v1/signed-cookies", tok, "")
	resB := b.do(t, "POST", "/v1/signed-cookies", tok, "")
	okBody(t, resA)
	okBody(t, resB)
	ca, cb := resA.Header.Values("Set-Cookie"), resB.Header.Values("Set-Cookie")
	if strings.Join(ca, "\n") != strings.Join(cb, "\n") || len(ca) == 0 {
		t.Errorf("replicas set different cookies:\n%s\n%s",
			strings.Join(ca, "\n"), strings.Join(cb, "\n"))
	}
}

// okBody requires a 200 answer and returns its body.
func okBody(t *testing.T, res *http.Response) []byte {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", res.StatusCode, b)
	}
	return b
}

func TestTokenCookie(t *testing.T) {
	s := newServer(t, serverOpts{keyType: cfsign.ECDSA, tokenCookie: "session"})
	r, _ := http.NewRequest(http.MethodGet, "/v1/signed-url?path=/private/users/alice/a.jpg", nil)
	r.AddCookie(&http.Cookie{Name: "session", Value: token(t, claims("alice", nil))})
	w := newRecorder()
	s.handler.ServeHTTP(w, r)
	if w.Code != http.StatusFound {
		t.Errorf("status = %d, want 302 with the token in a cookie", w.Code)
	}
}

func TestCORS(t *testing.T) {
	const allowed, other = "https://app.example.com", "https://evil.example.com"
	s := newServer(t, serverOpts{keyType: cfsign.ECDSA, origins: []string{allowed}})
	exposed := map[string][]string{
		"Access-Control-Allow-Origin":      {allowed},
		"Access-Control-Allow-Credentials": {"true"},
		"Access-Control-Expose-Headers":    {"X-Request-Id", "WWW-Authenticate"},
	}
	for _, tc := range []struct {
		name, method, path, origin string
		status                     int
		// want maps CORS headers to the names each must list; nil
		// wants no CORS header at all.
		want map[string][]string
	}{
		{"preflight_allowed_origin", "OPTIONS", "/v1/signed-urls", allowed, 204,
			map[string][]string{
				"Access-Control-Allow-Origin":      {allowed},
				"Access-Control-Allow-Credentials": {"true"},
				"Access-Control-Allow-Methods":     {"POST", "GET", "DELETE"},
				"Access-Control-Allow-Headers":     {"Authorization", "Content-Type"},
				"Access-Control-Max-Age":           {"600"},
				"Access-Control-Expose-Headers":    {"X-Request-Id"},
			}},
		{"error_allowed_origin", "POST", "/v1/signed-urls", allowed, 401, exposed},
		{"success_allowed_origin", "GET", "/healthz", allowed, 200, exposed},
		{"preflight_other_origin", "OPTIONS", "/v1/signed-urls", other, 204, nil},
		{"error_other_origin", "POST", "/v1/signed-urls", other, 401, nil},
		{"no_origin", "GET", "/healthz", "", 200, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.path, nil)
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			r.Header.Set("Access-Control-Request-Method", "POST")
			w := newRecorder()
			s.handler.ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Fatalf("%s %s = %d, want %d", tc.method, tc.path, w.Code, tc.status)
			}
			checkCORS(t, w.Header(), tc.want)
			if tc.status < 400 {
				return
			}
			// An error names the headers it exposes, under those names.
			for _, n := range tc.want["Access-Control-Expose-Headers"] {
				if w.Header().Get(n) == "" {
					t.Errorf("exposes %s, which the %d response lacks", n, w.Code)
				}
			}
			expectProblem(t, w.Result(), tc.status)
		})
	}
}

// checkCORS checks that h carries exactly the wanted CORS headers, each
// listing the wanted names, and never the "*" origin.
func checkCORS(t *testing.T, h http.Header, want map[string][]string) {
	t.Helper()
	if got := h.Get("Access-Control-Allow-Origin"); got == "*" {
		t.Error("wildcard origin with credentials")
	}
	for name, values := range h {
		if strings.HasPrefix(name, "Access-Control-") && want[name] == nil {
			t.Errorf("%s = %q, want none", name, values)
		}
	}
	for name, names := range want {
		got := strings.Split(h.Get(name), ",")
		for i := range got {
			got[i] = strings.ToLower(strings.TrimSpace(got[i]))
		}
		for _, n := range names {
			if !slices.Contains(got, strings.ToLower(n)) {
				t.Errorf("%s = %q, want it to list %s", name, h.Get(name), n)
			}
		}
	}
}

// TestHealthHead checks that health checks answer HEAD as they answer
// GET, without a body, and that /metrics stays GET-only.
func TestHealthHead(t *testing.T) {
	for _, tc := range []struct {
		name, base, path string
		status           int
	}{
		{"healthz", "", "/healthz", http.StatusOK},
		{"readyz", "", "/readyz", http.StatusOK},
		{"healthz_base_path", "/edgepass", "/healthz", http.StatusOK},
		{"readyz_base_path", "/edgepass", "/readyz", http.StatusOK},
		{"metrics_get_only", "", "/metrics", http.StatusMethodNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, serverOpts{keyType: cfsign.ECDSA, basePath: tc.base})
			res := s.do(t, http.MethodHead, tc.base+tc.path, "", "")
			if res.StatusCode != tc.status {
				t.Fatalf("HEAD %s = %d, want %d", tc.path, res.StatusCode, tc.status)
			}
			if res.Header.Get("X-Request-Id") == "" {
				t.Errorf("HEAD %s has no X-Request-Id", tc.path)
			}
			if tc.status != http.StatusOK {
				return
			}
			if b, _ := io.ReadAll(res.Body); len(b) > 0 {
				t.Errorf("HEAD %s body = %q, want none", tc.path, b)
			}
			get := s.do(t, http.MethodGet, tc.base+tc.path, "", "")
			if got, want := res.Header.Get("Content-Type"),
				get.Header.Get("Content-Type"); got != want {
				t.Errorf("HEAD %s Content-Type = %q, want %q as GET", tc.path, got, want)
			}
		})
	}
}

func TestNotFoundAndMethod(t *testing.T) {
	s := newServer(t, serverOpts{keyType: cfsign.ECDSA})
	expectProblem(t, s.do(t, "GET", "/nope", "", ""), 404)
	res := s.do(t, "PUT", "/v1/signed-urls", "", "")
	if allow := res.Header.Get("Allow"); allow != "POST, OPTIONS" {
		t.Errorf("Allow = %q, want POST, OPTIONS", allow)
	}
	expectProblem(t, res, 405)
	allow := s.do(t, "POST", "/healthz", "", "").Header.Get("Allow")
	if allow != "GET, HEAD" {
		t.Errorf("Allow on /healthz = %q, want GET, HEAD", allow)
	}
	expectProblem(t, s.do(t, "OPTIONS", "/v1/nope", "", ""), 404)
	res = s.do(t, "GET", "/healthz", "", "")
	if res.Header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id on the response")
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func pemOf(t *testing.T, pub any) []byte {
	t.Helper()
	b, err := cfsign.MarshalPublicKeyPEM(pub)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
