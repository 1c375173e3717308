package playground

import (
	"errors"
	"fmt"
	"strings"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/config"
)

// The playground's fixed choices.
const (
	// KeyID is the signing key's ID. IDs starting with "dev-" are never
	// issued by CloudFront, so a dev key cannot pass for a real one.
	KeyID = "dev-local"
	// BasePath is where the issuer answers on the edge's host.
	BasePath = "/edgepass"
	// TokenIssuer is the iss and aud of development tokens.
	TokenIssuer = "edgepass-dev"
	// PrivatePrefix is the edge's one private path prefix.
	PrivatePrefix = "/private/"
)

// ErrNotDev reports a configuration that is not a development one, which
// the token command refuses to mint tokens for.
var ErrNotDev = errors.New("not a development config")

// DevConfig returns the issuer configuration of the playground: CDN URL
// origin (the edge's own, such as "http://localhost:8787"), the dev
// signing key in keyDir, HS256 tokens signed with secret, and three kinds
// of grant: per user, shared, and gated by a claim.
func DevConfig(origin, keyDir string, secret []byte) *config.Config {
	c := config.Default()
	c.Listen = "127.0.0.1:0" // unused: the playground listens itself
	c.BasePath = BasePath
	c.CDN.URL = origin
	c.Signing.Keys = []config.SigningKey{{
		ID:             KeyID,
		PrivateKeyFile: cfsign.KeyFiles{Dir: keyDir, Name: KeyName}.PrivatePath(),
	}}
	c.Auth.Algorithms = []string{"HS256"}
	c.Auth.HMACSecret = string(secret)
	c.Auth.Issuer = TokenIssuer
	c.Auth.Audience = []string{TokenIssuer}
	c.Grants = []config.Grant{
		{Paths: []string{PrivatePrefix + "users/{sub}/*"}},
		{Paths: []string{PrivatePrefix + "shared/*"}},
		{Paths: []string{PrivatePrefix + "premium/*"}, Claims: map[string]string{"plan": "premium"}},
	}
	return &c
}

// CheckDev reports, with an error matching [ErrNotDev], whether c is a
// configuration tokens must not be minted for: one that signs with a
// CloudFront key rather than a dev- key, or that verifies tokens with
// anything but an HS256 secret.
func CheckDev(c *config.Config) error {
	var why []string
	for _, k := range c.Signing.Keys {
		if !strings.HasPrefix(k.ID, "dev-") {
			why = append(why, fmt.Sprintf("signing key %q is a CloudFront key, not dev-...", k.ID))
		}
	}
	if c.Auth.HMACSecret == "" {
		why = append(why, "auth.hmac_secret is empty")
	}
	if c.Auth.JWKSURL != "" || len(c.Auth.PublicKeys) > 0 {
		why = append(why, "auth trusts an identity provider's keys")
	}
	if len(why) > 0 {
		return fmt.Errorf("%w: %s", ErrNotDev, strings.Join(why, "; "))
	}
	return nil
}
