package issuer

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/grant"
)

// Cookie is one issued cookie with the attributes it is set with; mobile
// clients replay these by hand.
type Cookie struct {
	Name      string    `json:"name"`
	Value     string    `json:"value"`
	Domain    string    `json:"domain"`
	Path      string    `json:"path"`
	ExpiresAt time.Time `json:"expires_at"`
	Secure    bool      `json:"secure"`
	HTTPOnly  bool      `json:"http_only"`
	SameSite  string    `json:"same_site"`

	persistent bool
	sameSite   http.SameSite
}

// HTTP returns the cookie as a Set-Cookie header value would carry it.
func (c Cookie) HTTP() *http.Cookie {
	// #nosec G124 -- Secure and HttpOnly are always set by Issuer.cookie,
	// SameSite comes from validated configuration.
	hc := &http.Cookie{
		Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
		Secure: c.Secure, HttpOnly: c.HTTPOnly, SameSite: c.sameSite,
	}
	if c.persistent {
		hc.Expires = c.ExpiresAt
	}
	return hc
}

// Cookies signs a cookie set for each grant that can carry one (see
// [grant.Covering]) or, when path is not empty, for that path alone: an
// object path, or a prefix ending in "/*" inside one of the grants.
func (i *Issuer) Cookies(grants []grant.Grant, path string) ([]Cookie, time.Time, error) {
	scopes := grant.Covering(grants)
	if path != "" {
		g, err := requested(grants, path)
		if err != nil {
			return nil, time.Time{}, err
		}
		scopes = []grant.Grant{g}
	}
	if len(scopes) == 0 {
		return nil, time.Time{}, ErrNoGrants
	}

	exp := cfsign.Expiry(i.cfg.Now(), i.cfg.CookieTTL, i.cfg.CookieWindow)
	s := i.Signer()
	var out []Cookie
	for _, g := range scopes {
		set, err := s.CustomCookies(cfsign.Policy{Resource: i.base + g.Pattern, Expires: exp})
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("sign cookies for %q: %w", g.Pattern, err)
		}
		for _, c := range set {
			out = append(out, i.cookie(c.Name, c.Value, g.Prefix, exp))
		}
	}
	return out, exp, nil
}

// requested resolves the path of a cookie request to the grant it asks
// for, refusing what lies outside the caller's grants.
func requested(grants []grant.Grant, path string) (grant.Grant, error) {
	prefix, wild := strings.CutSuffix(path, "*")
	if strings.ContainsRune(prefix, ';') {
		// A ';' would end the cookie's Path attribute early.
		return grant.Grant{}, fmt.Errorf(`%w: %q: ";" cannot be in a cookie path`,
			ErrInvalidPath, path)
	}
	if wild && !strings.HasSuffix(prefix, "/") {
		return grant.Grant{}, fmt.Errorf(`%w: %q: a wildcard must follow "/"`,
			ErrInvalidPath, path)
	}
	enc, err := grant.CleanPath(prefix)
	if err != nil {
		return grant.Grant{}, fmt.Errorf("%w: %q: %w", ErrInvalidPath, path, err)
	}
	if !wild {
		if !grant.Allows(grants, enc) {
			return grant.Grant{}, fmt.Errorf("%w: %q", ErrForbidden, path)
		}
		return grant.Grant{Pattern: enc, Prefix: enc}, nil
	}
	for _, g := range grants {
		if g.Wildcard && strings.HasPrefix(enc, g.Prefix) {
			return grant.Grant{Pattern: enc + "*", Prefix: enc, Wildcard: true}, nil
		}
	}
	return grant.Grant{}, fmt.Errorf("%w: %q", ErrForbidden, path)
}

// ClearCookies returns expired cookies for every signed-cookie name at
// every path the grants would give cookies for, so that a sign-out
// removes whatever set the browser holds.
func (i *Issuer) ClearCookies(grants []grant.Grant) []*http.Cookie {
	var out []*http.Cookie
	for _, g := range grant.Covering(grants) {
		for _, name := range cfsign.CookieNames {
			c := i.cookie(name, "", g.Prefix, time.Unix(0, 0)).HTTP() // #nosec G124 -- see Cookie.HTTP
			c.MaxAge = -1
			c.Expires = time.Unix(0, 0)
			out = append(out, c)
		}
	}
	return out
}

func (i *Issuer) cookie(name, value, path string, exp time.Time) Cookie {
	return Cookie{
		Name: name, Value: value, Domain: i.cfg.CookieDomain, Path: path,
		ExpiresAt: exp, Secure: true, HTTPOnly: true,
		SameSite:   sameSiteName(i.cfg.SameSite),
		persistent: i.cfg.Persistent, sameSite: i.cfg.SameSite,
	}
}

func sameSiteName(s http.SameSite) string {
	switch s {
	case http.SameSiteStrictMode:
		return "strict"
	case http.SameSiteNoneMode:
		return "none"
	}
	return "lax"
}
