package server

import (
	"context"
	"crypto"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/edgepass/edgepass/pkg/auth"
	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/config"
	"github.com/edgepass/edgepass/pkg/grant"
	"github.com/edgepass/edgepass/pkg/issuer"
)

// loadSigner reads every signing key of sc; the first signs, keeping its
// signatures in cache.
func loadSigner(sc config.Signing,
	cache *cfsign.Cache) (*cfsign.Signer, *cfsign.KeyRing, error) {
	ring, err := LoadKeyRing(sc)
	if err != nil {
		return nil, nil, err
	}
	h, err := cfsign.ParseHash(sc.Hash)
	if err != nil {
		return nil, nil, fmt.Errorf("signing.hash: %w", err)
	}
	return cfsign.NewSigner(ring, cfsign.Options{Hash: h, Cache: cache}), ring, nil
}

// LoadKeyRing loads the configured signing keys, from their files or from
// the PEM text given inline.
func LoadKeyRing(sc config.Signing) (*cfsign.KeyRing, error) {
	keys := make([]cfsign.Key, 0, len(sc.Keys))
	for i, k := range sc.Keys {
		var signer crypto.Signer
		var err error
		if k.PrivateKeyFile != "" {
			signer, err = cfsign.LoadPrivateKeyFile(k.PrivateKeyFile)
		} else {
			signer, err = cfsign.ParsePrivateKeyPEM([]byte(k.PrivateKey))
		}
		if err != nil {
			return nil, fmt.Errorf("signing.keys[%d] (%s): %w", i, k.ID, err)
		}
		keys = append(keys, cfsign.Key{ID: k.ID, Signer: signer})
	}
	ring, err := cfsign.NewKeyRing(keys...)
	if err != nil {
		return nil, fmt.Errorf("signing.keys: %w", err)
	}
	return ring, nil
}

func newAuth(ctx context.Context, ac config.Auth, log *slog.Logger,
	onRefreshError func(error)) (*auth.Authenticator, error) {
	keys := make([]auth.PublicKey, 0, len(ac.PublicKeys))
	for i, pk := range ac.PublicKeys {
		data, err := os.ReadFile(pk.File)
		if err != nil {
			return nil, fmt.Errorf("auth.public_keys[%d]: %w", i, err)
		}
		key, err := auth.ParsePublicKeyPEM(data)
		if err != nil {
			return nil, fmt.Errorf("auth.public_keys[%d] %q: %w", i, pk.File, err)
		}
		keys = append(keys, auth.PublicKey{ID: pk.ID, Key: key})
	}
	a, err := auth.New(ctx, auth.Options{
		Algorithms:     ac.Algorithms,
		Issuer:         ac.Issuer,
		Audience:       ac.Audience,
		JWKSURL:        ac.JWKSURL,
		PublicKeys:     keys,
		HMACSecret:     []byte(ac.HMACSecret),
		Leeway:         ac.Leeway,
		Logger:         log,
		OnRefreshError: onRefreshError,
	})
	if err != nil {
		return nil, fmt.Errorf("auth.%w", err)
	}
	return a, nil
}

func issuerConfig(c *config.Config) issuer.Config {
	return issuer.Config{
		CDNURL:       c.CDN.URL,
		URLTTL:       c.URLs.TTL,
		URLMaxTTL:    c.URLs.MaxTTL,
		URLWindow:    c.URLs.Window,
		MaxBatch:     c.URLs.MaxBatch,
		CookieTTL:    c.Cookies.TTL,
		CookieWindow: c.Cookies.Window,
		CookieDomain: c.Cookies.Domain,
		SameSite:     sameSite(c.Cookies.SameSite),
		Persistent:   c.Cookies.Persistent,
	}
}

func sameSite(s string) http.SameSite {
	switch strings.ToLower(s) {
	case config.SameSiteStrict:
		return http.SameSiteStrictMode
	case config.SameSiteNone:
		return http.SameSiteNoneMode
	}
	return http.SameSiteLaxMode
}

func grantRules(gs []config.Grant) []grant.Rule {
	rules := make([]grant.Rule, len(gs))
	for i, g := range gs {
		rules[i] = grant.Rule{Paths: g.Paths, Claims: g.Claims, Scope: g.Scope}
	}
	return rules
}
