package config_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/edgepass/edgepass/pkg/config"
)

func TestDefault(t *testing.T) {
	want := config.Config{
		Listen:  ":8080",
		Signing: config.Signing{Hash: "sha256"},
		URLs: config.URLs{TTL: time.Hour, MaxTTL: 24 * time.Hour,
			Window: 15 * time.Minute, MaxBatch: 100},
		Cookies: config.Cookies{TTL: 8 * time.Hour, Window: 15 * time.Minute,
			SameSite: "lax"},
		Auth: config.Auth{Algorithms: []string{"RS256", "ES256"},
			Leeway: 30 * time.Second},
	}
	if diff := cmp.Diff(want, config.Default()); diff != "" {
		t.Errorf("Default() mismatch (-want +got):\n%s", diff)
	}
}

func TestParseMinimalKeepsDefaults(t *testing.T) {
	got := valid(t)
	want := config.Default()
	want.CDN.URL = "https://d111111abcdef8.cloudfront.net"
	want.Signing.Keys = []config.SigningKey{
		{ID: "K2JCJMDEHXQW5F", PrivateKeyFile: "keys/a.pem"}}
	want.Auth.JWKSURL = "https://login.example.com/.well-known/jwks.json"
	want.Grants = []config.Grant{{Paths: []string{"/private/users/{sub}/*"}}}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Parse(minimal) mismatch (-want +got):\n%s", diff)
	}
}

// TestExample keeps the documented example valid and saying what
// DESIGN.md says.
func TestExample(t *testing.T) {
	got, err := config.Parse(config.Example, nil)
	if err != nil {
		t.Fatalf("Parse(Example) error: %v", err)
	}
	want := config.Default()
	want.CDN.URL = "https://d111111abcdef8.cloudfront.net"
	want.Signing.Keys = []config.SigningKey{
		{ID: "K2JCJMDEHXQW5F", PrivateKeyFile: "keys/edgepass-2026-12.pem"}}
	want.Auth.Issuer = "https://login.example.com/"
	want.Auth.Audience = []string{"edgepass"}
	want.Auth.JWKSURL = "https://login.example.com/.well-known/jwks.json"
	want.Grants = []config.Grant{
		{Paths: []string{"/private/users/{sub}/*"}},
		{Paths: []string{"/private/premium/*"},
			Claims: map[string]string{"plan": "premium"}},
		{Paths: []string{"/private/teams/{org}/*"}, Scope: "media:read"},
	}
	want.CORS.AllowedOrigins = []string{"https://app.example.com"}
	if diff := cmp.Diff(&want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Parse(Example) mismatch (-want +got):\n%s", diff)
	}
}

func TestParseNullKeepsDefaults(t *testing.T) {
	c, err := config.Parse([]byte(minimal+"urls:\ncookies: {ttl: null}\n"), nil)
	if err != nil {
		t.Fatalf("Parse error: %v", err)
	}
	if c.URLs != config.Default().URLs || c.Cookies.TTL != 8*time.Hour {
		t.Errorf("Parse(null sections) = %+v, %+v, want defaults", c.URLs, c.Cookies)
	}
}

func TestParseTrimsCDNSlash(t *testing.T) {
	env := []string{"EDGEPASS_CDN_URL=https://cdn.example.com/"}
	c, err := config.Parse([]byte(minimal), env)
	if err != nil {
		t.Fatalf("Parse error: %v", err)
	}
	if want := "https://cdn.example.com"; c.CDN.URL != want {
		t.Errorf("CDN.URL = %q, want %q", c.CDN.URL, want)
	}
}

func TestParseNotYAML(t *testing.T) {
	for _, doc := range []string{"listen: [", "- a\n- b\n", "\tx"} {
		if _, err := config.Parse([]byte(doc), nil); err == nil {
			t.Errorf("Parse(%q) error = nil, want a YAML error", doc)
		}
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "edgepass.yaml")
	doc := []byte(minimal + "listen: 127.0.0.1:9000\n")
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(path, []string{"EDGEPASS_URLS_TTL=2h"})
	if err != nil {
		t.Fatalf("Load(%q) error: %v", path, err)
	}
	if c.Listen != "127.0.0.1:9000" || c.URLs.TTL != 2*time.Hour {
		t.Errorf("Load(%q) = listen %q, ttl %s; want 127.0.0.1:9000, 2h",
			path, c.Listen, c.URLs.TTL)
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.yaml")
	_, err := config.Load(path, nil)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(%q) error = %v, want fs.ErrNotExist", path, err)
	}
}

// TestLoadEnvOnly configures a container by environment alone.
func TestLoadEnvOnly(t *testing.T) {
	env := []string{
		"EDGEPASS_CDN_URL=https://cdn.example.com",
		"EDGEPASS_SIGNING_KEY_ID=K2JCJMDEHXQW5F",
		"EDGEPASS_SIGNING_PRIVATE_KEY_FILE=/run/secrets/signing.pem",
		"EDGEPASS_AUTH_JWKS_URL=https://login.example.com/jwks.json",
		`EDGEPASS_GRANTS=[{"paths": ["/private/{sub}/*"]}]`,
	}
	c, err := config.Load("", env)
	if err != nil {
		t.Fatalf("Load(\"\", env) error: %v", err)
	}
	if got := c.Signing.Keys[0].PrivateKeyFile; got != "/run/secrets/signing.pem" {
		t.Errorf("Signing.Keys[0].PrivateKeyFile = %q, want the variable's", got)
	}
}

func TestLoadNothing(t *testing.T) {
	_, err := config.Load("", nil)
	wantKeyError(t, err, "cdn.url", "is required")
	wantKeyError(t, err, "signing.keys", "at least one")
	wantKeyError(t, err, "grants", "at least one")
}
