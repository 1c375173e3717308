package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/edgepass/edgepass/pkg/config"
	"github.com/edgepass/edgepass/pkg/playground"
)

var tokenHelp = help{
	name:    "token",
	summary: "mint a development JWT signed with the playground's dev secret",
	usage:   "--sub SUBJECT [--claim NAME=VALUE ...] [--ttl DURATION] [--keys DIR | --config FILE]",
	example: "edgepass token --sub alice --claim plan=premium",
}

func runToken(args []string, stdout, stderr io.Writer) int {
	c := newCommand(tokenHelp, stdout, stderr)
	var req playground.TokenRequest
	claims := claimsValue{}
	c.flags.StringVar(&req.Subject, "sub", "", "`SUBJECT` of the token, the user (required)")
	c.flags.Var(claims, "claim", "extra string claim `NAME=VALUE`; repeatable")
	c.flags.DurationVar(&req.TTL, "ttl", playground.DefaultTokenTTL,
		"lifetime `DURATION`, at most 24h")
	keyDir := c.flags.String("keys", playground.DefaultKeyDir,
		"`DIR` holding dev.secret, as 'edgepass dev' made it")
	path := c.flags.String("config", "",
		"`FILE` of a development config to take the HS256 secret from instead")
	code, ok := c.parseFlags(args)
	switch {
	case !ok:
		return code
	case req.Subject == "":
		return c.misuse("--sub is required")
	}
	req.Claims = claims

	secret, err := tokenSecret(*path, *keyDir, &req)
	if err != nil {
		return c.fail(err)
	}
	tok, _, err := playground.MintToken(secret, req, clock())
	if errors.Is(err, playground.ErrTokenRequest) {
		return c.misuse("%v", err)
	}
	if err != nil {
		return c.fail(err)
	}
	return c.emit(tok + "\n")
}

// tokenSecret returns the HS256 secret from the config file path, which
// must be a development config, or else from the key folder; it sets the
// request's issuer and audience to what the config expects.
func tokenSecret(path, keyDir string, req *playground.TokenRequest) ([]byte, error) {
	if path == "" {
		secret, err := playground.LoadSecret(keyDir)
		if errors.Is(err, playground.ErrNoDevSecret) {
			return nil, fmt.Errorf("%w\n(token mints development tokens only; "+
				"run 'edgepass dev' once to make the secret)", err)
		}
		return secret, err
	}
	cfg, err := config.Load(path, os.Environ())
	if err != nil {
		return nil, err
	}
	if err := playground.CheckDev(cfg); err != nil {
		return nil, fmt.Errorf("%w\n(real users get their tokens from your "+
			"identity provider, never from edgepass)", err)
	}
	req.Issuer = cfg.Auth.Issuer
	if len(cfg.Auth.Audience) > 0 {
		req.Audience = cfg.Auth.Audience[0]
	}
	return []byte(cfg.Auth.HMACSecret), nil
}

// claimsValue is a repeatable flag holding NAME=VALUE claims.
type claimsValue map[string]string

func (v claimsValue) String() string {
	s := make([]string, 0, len(v))
	for k, val := range v {
		s = append(s, k+"="+val)
	}
	return strings.Join(s, " ")
}

func (v claimsValue) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return errors.New("want NAME=VALUE, such as plan=premium")
	}
	if _, dup := v[name]; dup {
		return fmt.Errorf("claim %q given twice", name)
	}
	v[name] = value
	return nil
}
