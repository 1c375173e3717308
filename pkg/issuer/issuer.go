// Package issuer turns an authenticated principal's grants and a request
// into CloudFront signed URLs or signed cookies.
//
// It holds the policy decisions that make signed content cacheable:
// expiries are rounded up to a window so every request inside one window
// gets byte-identical URLs and cookies, URLs use canned policies for the
// exact object, and cookies carry one custom policy per grant, scoped by
// the cookie Path attribute so that a browser never sends two sets. A set
// asked for a narrower path keeps the Path of the grant that holds it,
// and so replaces that grant's set rather than joining it.
package issuer

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/grant"
)

// Errors returned for requests the issuer refuses; they are wrapped with
// the offending value. Test for them with [errors.Is].
var (
	// ErrInvalidPath reports a path that breaks the path rules. It is
	// [grant.ErrInvalidPath] itself, which path checks return.
	ErrInvalidPath = grant.ErrInvalidPath
	// ErrForbidden reports a path outside the principal's grants.
	ErrForbidden = errors.New("path outside the caller's grants")
	// ErrInvalidTTL reports a TTL below one second or above the maximum.
	ErrInvalidTTL = errors.New("invalid ttl")
	// ErrBatch reports an empty batch or one over the maximum size.
	ErrBatch = errors.New("invalid batch")
	// ErrNoGrants reports a principal with no grants at all.
	ErrNoGrants = errors.New("no grants apply to the caller")
)

// Config holds the issuing choices. Zero durations take the documented
// defaults.
type Config struct {
	// CDNURL is the distribution's base URL, such as
	// "https://d111111abcdef8.cloudfront.net". Required.
	CDNURL string

	URLTTL    time.Duration // default lifetime of a signed URL; 1h
	URLMaxTTL time.Duration // longest lifetime a caller may ask for; 24h
	URLWindow time.Duration // expiries round up to this; 15m
	MaxBatch  int           // most paths in one request; 100

	CookieTTL    time.Duration // lifetime of signed cookies; 8h
	CookieWindow time.Duration // cookie expiries round up to this; 15m
	// CookieDomain is the cookies' Domain attribute; empty means a
	// host-only cookie for the host that answered.
	CookieDomain string
	SameSite     http.SameSite // default http.SameSiteLaxMode
	// Persistent reports whether cookies carry Expires; otherwise they
	// are session cookies and only the policy inside expires.
	Persistent bool

	Now func() time.Time // default time.Now
}

// Issuer issues signed URLs and cookies. It is safe for concurrent use.
type Issuer struct {
	cfg    Config
	base   string // CDNURL without a trailing slash
	signer atomic.Pointer[cfsign.Signer]
}

// New checks the configuration and returns an Issuer signing with s.
func New(cfg Config, s *cfsign.Signer) (*Issuer, error) {
	cfg = cfg.withDefaults()
	u, err := url.Parse(cfg.CDNURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("cdn url %q: want an absolute http(s) URL", cfg.CDNURL)
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return nil, fmt.Errorf("cdn url %q: want no path, query or fragment", cfg.CDNURL)
	}
	if cfg.URLTTL > cfg.URLMaxTTL {
		return nil, fmt.Errorf("url ttl %s exceeds max ttl %s", cfg.URLTTL, cfg.URLMaxTTL)
	}
	iss := &Issuer{cfg: cfg, base: u.Scheme + "://" + u.Host}
	iss.signer.Store(s)
	return iss, nil
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.URLTTL, time.Hour)
	def(&c.URLMaxTTL, 24*time.Hour)
	def(&c.URLWindow, 15*time.Minute)
	def(&c.CookieTTL, 8*time.Hour)
	def(&c.CookieWindow, 15*time.Minute)
	if c.MaxBatch == 0 {
		c.MaxBatch = 100
	}
	if c.SameSite == 0 {
		c.SameSite = http.SameSiteLaxMode
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// SetSigner replaces the signer, as a key rotation does; requests already
// under way finish with the old one.
func (i *Issuer) SetSigner(s *cfsign.Signer) { i.signer.Store(s) }

// Signer returns the signer in use.
func (i *Issuer) Signer() *cfsign.Signer { return i.signer.Load() }

// URLWindowLeft returns how long the URLs issued now stay the ones issued:
// the time to the end of the current URL window.
func (i *Issuer) URLWindowLeft() time.Duration {
	now := i.cfg.Now()
	left := cfsign.RoundUp(now, i.cfg.URLWindow).Sub(now)
	if left <= 0 {
		left = i.cfg.URLWindow
	}
	return left
}
