package issuer_test

import (
	"errors"
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

func TestCookiesForPath(t *testing.T) {
	f := newFixture(t, cfsign.RSA, cfsign.SHA1)
	tests := []struct {
		path     string
		wantPath string
		want     error
	}{
		{"/private/users/alice/*", "/private/users/alice/", nil},
		{"/private/users/alice/albums/*", "/private/users/alice/albums/", nil},
		{"/private/terms.pdf", "/private/terms.pdf", nil},
		{"/private/users/*", "", issuer.ErrForbidden},
		{"/private/users/bob/*", "", issuer.ErrForbidden},
		{"/private/users/alice*", "", issuer.ErrInvalidPath},
		{"/private/users/alice/a;b/*", "", issuer.ErrInvalidPath},
		{"/private/users/alice/../bob/*", "", issuer.ErrInvalidPath},
	}
	for _, tt := range tests {
		cookies, _, err := f.iss.Cookies(aliceGrants(t), tt.path)
		if !errors.Is(err, tt.want) {
			t.Errorf("Cookies(%q) error = %v, want %v", tt.path, err, tt.want)
			continue
		}
		if err == nil && cookies[0].Path != tt.wantPath {
			t.Errorf("Cookies(%q) path = %q, want %q", tt.path, cookies[0].Path, tt.wantPath)
		}
	}
	if _, _, err := f.iss.Cookies(nil, ""); !errors.Is(err, issuer.ErrNoGrants) {
		t.Errorf("Cookies(no grants) error = %v, want ErrNoGrants", err)
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
