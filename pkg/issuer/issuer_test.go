package issuer_test

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/cfverify"
	"github.com/edgepass/edgepass/pkg/grant"
	"github.com/edgepass/edgepass/pkg/issuer"
)

const cdn = "https://d111111abcdef8.cloudfront.net"

var now = time.Date(2026, 12, 3, 20, 7, 12, 0, time.UTC)

type fixture struct {
	iss      *issuer.Issuer
	verifier *cfverify.Verifier
}

func newFixture(t *testing.T, kt cfsign.KeyType, h cfsign.Hash) fixture {
	t.Helper()
	key, err := cfsign.GenerateKey(kt)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := cfsign.NewKeyRing(cfsign.Key{ID: "KTEST", Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	iss, err := issuer.New(issuer.Config{
		CDNURL: cdn, Now: func() time.Time { return now },
	}, cfsign.NewSigner(ring, cfsign.Options{Hash: h}))
	if err != nil {
		t.Fatal(err)
	}
	v := &cfverify.Verifier{Keys: ring.PublicKeys(), Now: func() time.Time { return now }}
	return fixture{iss, v}
}

func aliceGrants(t *testing.T) []grant.Grant {
	t.Helper()
	set, err := grant.Compile([]grant.Rule{
		{Paths: []string{"/private/users/{sub}/*"}},
		{Paths: []string{"/private/shared/*", "/private/terms.pdf"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return set.For(map[string]any{"sub": "alice"}, nil)
}

func TestURLsVerify(t *testing.T) {
	for _, kt := range []cfsign.KeyType{cfsign.ECDSA, cfsign.RSA} {
		for _, h := range []cfsign.Hash{cfsign.SHA256, cfsign.SHA1} {
			t.Run(string(kt)+"_"+h.String(), func(t *testing.T) {
				f := newFixture(t, kt, h)
				paths := []string{"/private/users/alice/a.jpg", "/private/shared/é t.png",
					"/private/terms.pdf"}
				got, err := f.iss.URLs(aliceGrants(t), paths, 0)
				if err != nil {
					t.Fatal(err)
				}
				for n, u := range got {
					if u.Path != paths[n] {
						t.Errorf("URLs()[%d].Path = %q, want %q", n, u.Path, paths[n])
					}
					if _, err := f.verifier.VerifyURL(u.URL, netip.Addr{}); err != nil {
						t.Errorf("VerifyURL(%q): %v", u.URL, err)
					}
					if want := now.Add(time.Hour).Truncate(15 * time.Minute).Add(15 * time.Minute); !u.ExpiresAt.Equal(want) {
						t.Errorf("ExpiresAt = %s, want %s", u.ExpiresAt, want)
					}
				}
				if !strings.HasPrefix(got[1].URL, cdn+"/private/shared/%C3%A9%20t.png?Expires=") {
					t.Errorf("URL %q is not percent-encoded as a browser sends it", got[1].URL)
				}
			})
		}
	}
}

func TestURLsRefusals(t *testing.T) {
	f := newFixture(t, cfsign.ECDSA, cfsign.SHA256)
	tests := []struct {
		name  string
		paths []string
		ttl   time.Duration
		want  error
	}{
		{"other_user", []string{"/private/users/bob/a.jpg"}, 0, issuer.ErrForbidden},
		{"one_bad_of_two", []string{"/private/users/alice/a.jpg", "/private/x"}, 0,
			issuer.ErrForbidden},
		{"dot_dot", []string{"/private/users/alice/../bob/a.jpg"}, 0, issuer.ErrInvalidPath},
		{"wildcard", []string{"/private/users/alice/*"}, 0, issuer.ErrInvalidPath},
		{"invalid_before_forbidden", []string{"/private/x", "nope"}, 0, issuer.ErrInvalidPath},
		{"ttl_too_long", []string{"/private/users/alice/a.jpg"}, 25 * time.Hour,
			issuer.ErrInvalidTTL},
		{"ttl_too_short", []string{"/private/users/alice/a.jpg"}, time.Millisecond,
			issuer.ErrInvalidTTL},
		{"empty_batch", nil, 0, issuer.ErrBatch},
		{"batch_too_big", make([]string, 101), 0, issuer.ErrBatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.iss.URLs(aliceGrants(t), tt.paths, tt.ttl)
			if !errors.Is(err, tt.want) {
				t.Errorf("URLs(%q) = %v, %v; want error %v", tt.paths, got, err, tt.want)
			}
		})
	}
}

// The detail a client reads names the path and the reason, once each.
func TestURLsInvalidPathMessage(t *testing.T) {
	f := newFixture(t, cfsign.ECDSA, cfsign.SHA256)
	_, err := f.iss.URLs(aliceGrants(t), []string{"/private/users/alice/../b"}, 0)
	const want = `invalid path: "/private/users/alice/../b": ".." segment`
	if err == nil || err.Error() != want || !errors.Is(err, grant.ErrInvalidPath) {
		t.Errorf("URLs(..) error = %v, want %s wrapping grant.ErrInvalidPath", err, want)
	}
}

// Two issuers with the same key, as two replicas, give the same URL for
// the same request in the same window.
func TestURLsStableAcrossReplicasAndWindow(t *testing.T) {
	key, _ := cfsign.GenerateKey(cfsign.ECDSA)
	ring, _ := cfsign.NewKeyRing(cfsign.Key{ID: "K", Signer: key})
	mk := func(at time.Time) *issuer.Issuer {
		iss, err := issuer.New(issuer.Config{CDNURL: cdn, Now: func() time.Time { return at }},
			cfsign.NewSigner(ring, cfsign.Options{}))
		if err != nil {
			t.Fatal(err)
		}
		return iss
	}
	p := []string{"/private/users/alice/a.jpg"}
	a, _ := mk(now).URLs(aliceGrants(t), p, 0)
	b, _ := mk(now.Add(5*time.Minute)).URLs(aliceGrants(t), p, 0)
	c, _ := mk(now.Add(10*time.Minute)).URLs(aliceGrants(t), p, 0)
	if a[0].URL != b[0].URL {
		t.Errorf("same window gave %q and %q", a[0].URL, b[0].URL)
	}
	if a[0].URL == c[0].URL {
		t.Errorf("next window gave the same URL %q", c[0].URL)
	}
	if left := mk(now).URLWindowLeft(); left != 7*time.Minute+48*time.Second {
		t.Errorf("URLWindowLeft() = %s, want 7m48s", left)
	}
}

func TestCookiesPerGrant(t *testing.T) {
	f := newFixture(t, cfsign.ECDSA, cfsign.SHA256)
	cookies, exp, err := f.iss.Cookies(aliceGrants(t), "")
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string]map[string]string{}
	for _, c := range cookies {
		if !c.Secure || !c.HTTPOnly || c.SameSite != "lax" || !c.ExpiresAt.Equal(exp) {
			t.Errorf("cookie %s has attributes %+v", c.Name, c)
		}
		if c.HTTP().Expires != (time.Time{}) {
			t.Errorf("session cookie %s carries Expires", c.Name)
		}
		if sets[c.Path] == nil {
			sets[c.Path] = map[string]string{}
		}
		sets[c.Path][c.Name] = c.Value
	}
	want := map[string]string{
		"/private/users/alice/": "/private/users/alice/a.jpg",
		"/private/shared/":      "/private/shared/b.jpg",
		"/private/terms.pdf":    "/private/terms.pdf",
	}
	if len(sets) != len(want) {
		t.Fatalf("cookie paths %v, want %v", sets, want)
	}
	for path, object := range want {
		if _, err := f.verifier.VerifyCookies(cdn+object, sets[path], netip.Addr{}); err != nil {
			t.Errorf("cookies for %s do not open %s: %v", path, object, err)
		}
	}
	// Alice's set must not open someone else's prefix.
	_, err = f.verifier.VerifyCookies(cdn+"/private/users/bob/a.jpg",
		sets["/private/users/alice/"], netip.Addr{})
	if !errors.Is(err, cfverify.ErrResourceMismatch) {
		t.Errorf("alice's cookies on bob's object: err = %v, want ErrResourceMismatch", err)
	}
}

// A set for a requested path signs a policy for that path alone but is
// scoped by its cookie Path to the covering grant that holds it, so that
// it replaces the grant's set in the browser instead of joining it.
func TestCookiesForPath(t *testing.T) {
	f := newFixture(t, cfsign.RSA, cfsign.SHA1)
	tests := []struct {
		name         string
		path         string
		wantPath     string // cookie Path attribute
		wantResource string // policy resource, without the CDN URL
		opens        string // an object the set opens
		shut         string // an object in the same grant the set does not open
	}{
		{"grant_prefix", "/private/users/alice/*", "/private/users/alice/",
			"/private/users/alice/*", "/private/users/alice/a.jpg", ""},
		{"narrower_prefix", "/private/users/alice/albums/*", "/private/users/alice/",
			"/private/users/alice/albums/*", "/private/users/alice/albums/a.jpg",
			"/private/users/alice/b.jpg"},
		{"object_in_wildcard", "/private/users/alice/a b.jpg", "/private/users/alice/",
			"/private/users/alice/a%20b.jpg", "/private/users/alice/a%20b.jpg",
			"/private/users/alice/b.jpg"},
		{"semicolon_in_narrower_prefix", "/private/users/alice/a;b/*",
			"/private/users/alice/", "/private/users/alice/a;b/*",
			"/private/users/alice/a;b/c.jpg", "/private/users/alice/b.jpg"},
		{"exact_grant", "/private/terms.pdf", "/private/terms.pdf",
			"/private/terms.pdf", "/private/terms.pdf", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := cookiesAt(t, f.iss, aliceGrants(t), tt.path, tt.wantPath)
			r, err := f.verifier.VerifyCookies(cdn+tt.opens, set, netip.Addr{})
			if err != nil {
				t.Fatalf("cookies for %q do not open %s: %v", tt.path, tt.opens, err)
			}
			if r.Resource != cdn+tt.wantResource {
				t.Errorf("Cookies(%q) resource = %q, want %q",
					tt.path, r.Resource, cdn+tt.wantResource)
			}
			if tt.shut == "" {
				return
			}
			_, err = f.verifier.VerifyCookies(cdn+tt.shut, set, netip.Addr{})
			if !errors.Is(err, cfverify.ErrResourceMismatch) {
				t.Errorf("cookies for %q on %s: err = %v, want ErrResourceMismatch",
					tt.path, tt.shut, err)
			}
		})
	}
}

func TestCookiesForPathRefusals(t *testing.T) {
	f := newFixture(t, cfsign.ECDSA, cfsign.SHA256)
	tests := []struct {
		name string
		path string
		want error
	}{
		{"wider_than_grant", "/private/users/*", issuer.ErrForbidden},
		{"other_user", "/private/users/bob/*", issuer.ErrForbidden},
		{"other_user_object", "/private/users/bob/a.jpg", issuer.ErrForbidden},
		{"star_in_segment", "/private/users/alice*", issuer.ErrInvalidPath},
		{"dot_dot", "/private/users/alice/../bob/*", issuer.ErrInvalidPath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cookies, _, err := f.iss.Cookies(aliceGrants(t), tt.path)
			if !errors.Is(err, tt.want) {
				t.Errorf("Cookies(%q) = %v, %v; want error %v",
					tt.path, cookies, err, tt.want)
			}
		})
	}
	if _, _, err := f.iss.Cookies(nil, ""); !errors.Is(err, issuer.ErrNoGrants) {
		t.Errorf("Cookies(no grants) error = %v, want ErrNoGrants", err)
	}
}

// nestedGrants holds grants inside other grants, which grant.Covering
// drops in favor of the wider ones.
func nestedGrants(t *testing.T) []grant.Grant {
	t.Helper()
	set, err := grant.Compile([]grant.Rule{
		{Paths: []string{"/private/users/{sub}/albums/*", "/private/users/{sub}/*"}},
		{Paths: []string{"/private/docs/*", "/private/docs", "/private/docs/a.pdf"}},
		{Paths: []string{"/private/terms", "/private/terms/2026.pdf"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return set.For(map[string]any{"sub": "alice"}, nil)
}

// A path under a grant that is not itself a covering grant takes the
// Path of the covering grant around it.
func TestCookiesForPathInNestedGrant(t *testing.T) {
	f := newFixture(t, cfsign.ECDSA, cfsign.SHA256)
	tests := []struct {
		name     string
		path     string
		wantPath string
	}{
		{"nested_grant_itself", "/private/users/alice/albums/*", "/private/users/alice/"},
		{"inside_nested_grant", "/private/users/alice/albums/2026/*",
			"/private/users/alice/"},
		{"object_in_nested_grant", "/private/users/alice/albums/a.jpg",
			"/private/users/alice/"},
		{"exact_inside_wildcard", "/private/docs/a.pdf", "/private/docs/"},
		{"exact_under_exact", "/private/terms/2026.pdf", "/private/terms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := cookiesAt(t, f.iss, nestedGrants(t), tt.path, tt.wantPath)
			object := strings.TrimSuffix(tt.path, "*")
			if object != tt.path {
				object += "x.jpg"
			}
			if _, err := f.verifier.VerifyCookies(cdn+object, set, netip.Addr{}); err != nil {
				t.Errorf("cookies for %q do not open %s: %v", tt.path, object, err)
			}
		})
	}

	// "/private/docs" is granted, but no cookie Path can hold it beside
	// the "/private/docs/" set without a request carrying both sets.
	_, _, err := f.iss.Cookies(nestedGrants(t), "/private/docs")
	if !errors.Is(err, issuer.ErrForbidden) {
		t.Errorf("Cookies(%q) error = %v, want ErrForbidden", "/private/docs", err)
	}
}

func TestClearCookies(t *testing.T) {
	f := newFixture(t, cfsign.ECDSA, cfsign.SHA256)
	got := f.iss.ClearCookies(aliceGrants(t))
	if len(got) != 3*len(cfsign.CookieNames) {
		t.Fatalf("ClearCookies gave %d cookies, want %d", len(got), 3*len(cfsign.CookieNames))
	}
	for _, c := range got {
		if c.MaxAge >= 0 || !strings.Contains(c.String(), "Max-Age=0") {
			t.Errorf("cookie %q does not expire: %s", c.Name, c.String())
		}
	}
}

// Sign-out expires every name at the Path of every set Cookies can give,
// whether for every grant or for a narrower path.
func TestClearCookiesCoverEverySet(t *testing.T) {
	f := newFixture(t, cfsign.ECDSA, cfsign.SHA256)
	for _, tc := range []struct {
		name   string
		grants []grant.Grant
		paths  []string
	}{
		{"alice", aliceGrants(t), []string{"", "/private/users/alice/albums/*",
			"/private/users/alice/a.jpg", "/private/shared/x/*", "/private/terms.pdf"}},
		{"nested", nestedGrants(t), []string{"", "/private/users/alice/albums/*",
			"/private/docs/a.pdf", "/private/terms/2026.pdf"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cleared := map[string]bool{}
			for _, c := range f.iss.ClearCookies(tc.grants) {
				cleared[c.Name+" "+c.Path] = true
			}
			for _, p := range tc.paths {
				cookies, _, err := f.iss.Cookies(tc.grants, p)
				if err != nil {
					t.Fatalf("Cookies(%q): %v", p, err)
				}
				for _, c := range cookies {
					if !cleared[c.Name+" "+c.Path] {
						t.Errorf("Cookies(%q) sets %s at %q, which sign-out leaves",
							p, c.Name, c.Path)
					}
				}
			}
		})
	}
}

// TestCookieAttributesFromConfig checks that Domain, SameSite and
// persistence come from configuration, in the JSON fields and in the
// Set-Cookie form alike, while Secure and HttpOnly never change.
func TestCookieAttributesFromConfig(t *testing.T) {
	key, err := cfsign.GenerateKey(cfsign.ECDSA)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := cfsign.NewKeyRing(cfsign.Key{ID: "KTEST", Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		cfg        issuer.Config
		domain     string
		sameSite   string
		header     http.SameSite
		persistent bool
	}{
		{"defaults", issuer.Config{}, "", "lax", http.SameSiteLaxMode, false},
		{"strict_domain", issuer.Config{CookieDomain: "example.com", SameSite: http.SameSiteStrictMode},
			"example.com", "strict", http.SameSiteStrictMode, false},
		{"none_persistent", issuer.Config{SameSite: http.SameSiteNoneMode, Persistent: true},
			"", "none", http.SameSiteNoneMode, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.CDNURL, cfg.Now = cdn, func() time.Time { return now }
			iss, err := issuer.New(cfg, cfsign.NewSigner(ring, cfsign.Options{}))
			if err != nil {
				t.Fatal(err)
			}
			cookies, exp, err := iss.Cookies(aliceGrants(t), "")
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cookies {
				if c.Domain != tt.domain || c.SameSite != tt.sameSite || !c.Secure || !c.HTTPOnly {
					t.Errorf("cookie %s = %+v, want domain %q, same_site %q, secure, http_only",
						c.Name, c, tt.domain, tt.sameSite)
				}
				h := c.HTTP()
				if h.Domain != tt.domain || h.SameSite != tt.header || !h.Secure || !h.HttpOnly {
					t.Errorf("Set-Cookie %q, want domain %q and SameSite %v", h, tt.domain, tt.header)
				}
				if got := !h.Expires.IsZero(); got != tt.persistent || got && !h.Expires.Equal(exp) {
					t.Errorf("Set-Cookie %q: Expires %v, want persistent %v until %v",
						h, h.Expires, tt.persistent, exp)
				}
			}
		})
	}
}

// cookiesAt asks iss for the cookie set of path and returns it as a jar,
// failing the test for a cookie whose Path attribute is not wantPath.
func cookiesAt(t *testing.T, iss *issuer.Issuer, grants []grant.Grant,
	path, wantPath string) map[string]string {
	t.Helper()
	cookies, _, err := iss.Cookies(grants, path)
	if err != nil {
		t.Fatalf("Cookies(%q): %v", path, err)
	}
	set := map[string]string{}
	for _, c := range cookies {
		if c.Path != wantPath {
			t.Errorf("Cookies(%q) %s Path = %q, want %q", path, c.Name, c.Path, wantPath)
		}
		set[c.Name] = c.Value
	}
	return set
}
