package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/edgepass/edgepass/pkg/config"
)

func TestParseEnv(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		get  func(*config.Config) any
		want any
	}{
		{"listen", []string{"EDGEPASS_LISTEN=127.0.0.1:9090"},
			func(c *config.Config) any { return c.Listen }, "127.0.0.1:9090"},
		{"base_path", []string{"EDGEPASS_BASE_PATH=/edgepass"},
			func(c *config.Config) any { return c.BasePath }, "/edgepass"},
		{"cdn_url", []string{"EDGEPASS_CDN_URL=https://cdn.example.com"},
			func(c *config.Config) any { return c.CDN.URL }, "https://cdn.example.com"},
		{"signing_hash", []string{"EDGEPASS_SIGNING_HASH=sha1"},
			func(c *config.Config) any { return c.Signing.Hash }, "sha1"},
		{"urls_max_ttl", []string{"EDGEPASS_URLS_MAX_TTL=48h"},
			func(c *config.Config) any { return c.URLs.MaxTTL }, 48 * time.Hour},
		{"urls_max_batch", []string{"EDGEPASS_URLS_MAX_BATCH= 10 "},
			func(c *config.Config) any { return c.URLs.MaxBatch }, 10},
		{"cookies_persistent", []string{"EDGEPASS_COOKIES_PERSISTENT=true"},
			func(c *config.Config) any { return c.Cookies.Persistent }, true},
		{"cookies_same_site", []string{"EDGEPASS_COOKIES_SAME_SITE=strict"},
			func(c *config.Config) any { return c.Cookies.SameSite }, "strict"},
		{"auth_jwks_url", []string{"EDGEPASS_AUTH_JWKS_URL=https://idp.example.com/k"},
			func(c *config.Config) any { return c.Auth.JWKSURL }, "https://idp.example.com/k"},
		{"auth_audience_list", []string{"EDGEPASS_AUTH_AUDIENCE=edgepass, mobile,"},
			func(c *config.Config) any { return c.Auth.Audience },
			[]string{"edgepass", "mobile"}},
		{"auth_audience_empty", []string{"EDGEPASS_AUTH_AUDIENCE="},
			func(c *config.Config) any { return c.Auth.Audience }, []string{}},
		{"auth_algorithms_replace", []string{"EDGEPASS_AUTH_ALGORITHMS=ES256"},
			func(c *config.Config) any { return c.Auth.Algorithms }, []string{"ES256"}},
		{"auth_leeway", []string{"EDGEPASS_AUTH_LEEWAY=5s"},
			func(c *config.Config) any { return c.Auth.Leeway }, 5 * time.Second},
		{"cors_origins", []string{
			"EDGEPASS_CORS_ALLOWED_ORIGINS=https://a.example.com,http://localhost:3000"},
			func(c *config.Config) any { return c.CORS.AllowedOrigins },
			[]string{"https://a.example.com", "http://localhost:3000"}},
		{"grants_json", []string{
			`EDGEPASS_GRANTS=[{"paths": ["/a/*", "/b/*"], "claims": {"plan": "pro"}}]`},
			func(c *config.Config) any { return c.Grants },
			[]config.Grant{{Paths: []string{"/a/*", "/b/*"},
				Claims: map[string]string{"plan": "pro"}}}},
		{"public_keys_yaml", []string{
			"EDGEPASS_AUTH_PUBLIC_KEYS=[{id: k1, file: keys/jwt.pub}]"},
			func(c *config.Config) any { return c.Auth.PublicKeys },
			[]config.PublicKeyFile{{ID: "k1", File: "keys/jwt.pub"}}},
		{"signing_keys_yaml", []string{
			"EDGEPASS_SIGNING_KEYS=[{id: KNEWKEY0001, private_key_file: n.pem}, " +
				"{id: K2JCJMDEHXQW5F, private_key_file: keys/a.pem}]"},
			func(c *config.Config) any { return c.Signing.Keys[0].ID }, "KNEWKEY0001"},
		{"signing_key_file_shortcut", []string{
			"EDGEPASS_SIGNING_KEY_ID=KNEWKEY0001",
			"EDGEPASS_SIGNING_PRIVATE_KEY_FILE=/run/secrets/key.pem"},
			func(c *config.Config) any { return c.Signing.Keys },
			[]config.SigningKey{{ID: "KNEWKEY0001", PrivateKeyFile: "/run/secrets/key.pem"}}},
		{"signing_key_pem_shortcut", []string{
			"EDGEPASS_SIGNING_KEY_ID=dev-local",
			"EDGEPASS_SIGNING_PRIVATE_KEY=" + testPEM},
			func(c *config.Config) any { return c.Signing.Keys },
			[]config.SigningKey{{ID: "dev-local", PrivateKey: testPEM}}},
		{"signing_key_pem_escaped_newlines", []string{
			"EDGEPASS_SIGNING_KEY_ID=dev-local",
			`EDGEPASS_SIGNING_PRIVATE_KEY=-----BEGIN PRIVATE KEY-----\nAAAA\n` +
				`-----END PRIVATE KEY-----\n`},
			func(c *config.Config) any { return c.Signing.Keys[0].PrivateKey },
			"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"},
		{"other_variables_ignored", []string{"PATH=/bin", "EDGEPASSX=1", "HOME"},
			func(c *config.Config) any { return c.Listen }, ":8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse([]byte(minimal), tt.env)
			if err != nil {
				t.Fatalf("Parse(minimal, %q) error: %v", tt.env, err)
			}
			if diff := cmp.Diff(tt.want, tt.get(c)); diff != "" {
				t.Errorf("Parse(minimal, %q) mismatch (-want +got):\n%s", tt.env, diff)
			}
		})
	}
}

func TestParseEnvOverridesFile(t *testing.T) {
	doc := minimal + "urls: {ttl: 2h, max_ttl: 4h}\n"
	c, err := config.Parse([]byte(doc), []string{"EDGEPASS_URLS_TTL=3h"})
	if err != nil {
		t.Fatalf("Parse error: %v", err)
	}
	got := [2]time.Duration{c.URLs.TTL, c.URLs.MaxTTL}
	if want := [2]time.Duration{3 * time.Hour, 4 * time.Hour}; got != want {
		t.Errorf("urls.ttl, urls.max_ttl = %v, want %v", got, want)
	}
}

func TestParseEnvInvalid(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		key  string
		text string
	}{
		{"bad_duration", []string{"EDGEPASS_URLS_TTL=soon"},
			"urls.ttl", "must be a duration such as 15m"},
		{"bad_integer", []string{"EDGEPASS_URLS_MAX_BATCH=many"},
			"urls.max_batch", "must be an integer"},
		{"bad_boolean", []string{"EDGEPASS_COOKIES_PERSISTENT=sometimes"},
			"cookies.persistent", "must be true or false"},
		{"bad_yaml_list", []string{"EDGEPASS_GRANTS=[{paths: "},
			"EDGEPASS_GRANTS", "list of mappings in YAML or JSON"},
		{"unknown_key_in_yaml_list", []string{"EDGEPASS_GRANTS=[{path: [/a/*]}]"},
			"grants[0].path", "unknown key"},
		{"invalid_value", []string{"EDGEPASS_CDN_URL=http://cdn.example.com"},
			"cdn.url", "https"},
		{"invalid_value_beside_unknown", []string{"EDGEPASS_SERVICE_HOST=10.0.0.1",
			"EDGEPASS_URLS_WINDOW=0s"}, "urls.window", "at least 1s"},
		{"bad_hash_beside_unknown", []string{"EDGEPASS_PORT=tcp://10.0.0.1:8080",
			"EDGEPASS_SIGNING_HASH=md5"}, "signing.hash", "must be sha256 or sha1"},
		{"key_file_without_id", []string{"EDGEPASS_SIGNING_PRIVATE_KEY_FILE=k.pem"},
			"EDGEPASS_SIGNING_PRIVATE_KEY_FILE", "needs EDGEPASS_SIGNING_KEY_ID"},
		{"key_pem_without_id", []string{"EDGEPASS_SIGNING_PRIVATE_KEY=" + testPEM},
			"EDGEPASS_SIGNING_PRIVATE_KEY", "needs EDGEPASS_SIGNING_KEY_ID"},
		{"key_id_without_key", []string{"EDGEPASS_SIGNING_KEY_ID=KNEWKEY0001"},
			"EDGEPASS_SIGNING_KEY_ID", "needs EDGEPASS_SIGNING_PRIVATE_KEY_FILE or"},
		{"key_id_with_both", []string{"EDGEPASS_SIGNING_KEY_ID=KNEWKEY0001",
			"EDGEPASS_SIGNING_PRIVATE_KEY_FILE=k.pem",
			"EDGEPASS_SIGNING_PRIVATE_KEY=" + testPEM},
			"signing.keys[0]", "only one"},
		{"key_id_with_key_list", []string{"EDGEPASS_SIGNING_KEY_ID=KNEWKEY0001",
			"EDGEPASS_SIGNING_PRIVATE_KEY_FILE=k.pem",
			"EDGEPASS_SIGNING_KEYS=[{id: KOTHER0001, private_key_file: o.pem}]"},
			"EDGEPASS_SIGNING_KEYS", "cannot be combined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(minimal), tt.env)
			wantKeyError(t, err, tt.key, tt.text)
		})
	}
}

// Variables that name no key, a typo or ones that Kubernetes sets for a
// Service named edgepass, are ignored and come back as warnings, sorted by
// name; they never stop start-up.
func TestParseEnvUnknownWarns(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		want []string
	}{
		{"none", []string{"EDGEPASS_URLS_TTL=2h", "PATH=/bin"}, nil},
		{"typo", []string{"EDGEPASS_URLS_TTLL=1h"}, []string{"EDGEPASS_URLS_TTLL"}},
		{"unknown_section", []string{"EDGEPASS_URL_TTL=1h"},
			[]string{"EDGEPASS_URL_TTL"}},
		{"section_alone", []string{"EDGEPASS_URLS=ttl"}, []string{"EDGEPASS_URLS"}},
		{"prefix_alone", []string{"EDGEPASS_=x"}, []string{"EDGEPASS_"}},
		{"make_test", []string{"EDGEPASS_REQUIRE_TOOLS=1"},
			[]string{"EDGEPASS_REQUIRE_TOOLS"}},
		{"kubernetes_service", []string{
			"EDGEPASS_SERVICE_HOST=10.96.0.12",
			"EDGEPASS_SERVICE_PORT=8080",
			"EDGEPASS_SERVICE_PORT_HTTP=8080",
			"EDGEPASS_PORT=tcp://10.96.0.12:8080",
			"EDGEPASS_PORT_8080_TCP=tcp://10.96.0.12:8080",
			"EDGEPASS_PORT_8080_TCP_PROTO=tcp",
			"EDGEPASS_PORT_8080_TCP_PORT=8080",
			"EDGEPASS_PORT_8080_TCP_ADDR=10.96.0.12",
		}, []string{
			"EDGEPASS_PORT", "EDGEPASS_PORT_8080_TCP", "EDGEPASS_PORT_8080_TCP_ADDR",
			"EDGEPASS_PORT_8080_TCP_PORT", "EDGEPASS_PORT_8080_TCP_PROTO",
			"EDGEPASS_SERVICE_HOST", "EDGEPASS_SERVICE_PORT",
			"EDGEPASS_SERVICE_PORT_HTTP",
		}},
		{"beside_known", []string{"EDGEPASS_SERVICE_HOST=10.96.0.12",
			"EDGEPASS_URLS_TTL=2h"}, []string{"EDGEPASS_SERVICE_HOST"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, warnings, err := config.ParseWithWarnings([]byte(minimal), tt.env)
			if err != nil || c == nil {
				t.Fatalf("ParseWithWarnings(minimal, %q) = %v, %v; want a config",
					tt.env, c, err)
			}
			var got []string
			for _, w := range warnings {
				got = append(got, w.Key)
				if !errors.Is(w, config.ErrUnknownKey) {
					t.Errorf("warning %q is not ErrUnknownKey", w)
				}
				if strings.Contains(w.Error(), "=") || strings.Contains(w.Error(), "10.96") {
					t.Errorf("warning %q holds the variable's value", w)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseWithWarnings(minimal, %q) warnings (-want +got):\n%s",
					tt.env, diff)
			}
		})
	}
}

// Parse ignores what ParseWithWarnings warns about.
func TestParseIgnoresUnknownVariables(t *testing.T) {
	env := []string{"EDGEPASS_PORT=tcp://10.96.0.12:8080", "EDGEPASS_URLS_TTL=2h"}
	c, err := config.Parse([]byte(minimal), env)
	if err != nil {
		t.Fatalf("Parse(minimal, %q) error: %v", env, err)
	}
	if c.URLs.TTL != 2*time.Hour {
		t.Errorf("Parse(minimal, %q) urls.ttl = %v, want 2h", env, c.URLs.TTL)
	}
}

// A misspelled variable can be why a required key is missing, so the
// warnings come back beside the error.
func TestParseWarnsBesideError(t *testing.T) {
	env := []string{"EDGEPASS_CDN_URLL=https://cdn.example.com"}
	_, warnings, err := config.ParseWithWarnings([]byte("grants: [{paths: [/a/*]}]"), env)
	wantKeyError(t, err, "cdn.url", "required")
	if len(warnings) != 1 || warnings[0].Key != "EDGEPASS_CDN_URLL" {
		t.Errorf("ParseWithWarnings(%q) warnings = %v, want EDGEPASS_CDN_URLL", env, warnings)
	}
}

func TestLoadWithWarnings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "edgepass.yaml")
	if err := os.WriteFile(path, []byte(minimal), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"EDGEPASS_SERVICE_HOST=10.96.0.12"}
	c, warnings, err := config.LoadWithWarnings(path, env)
	if err != nil || c.CDN.URL == "" {
		t.Fatalf("LoadWithWarnings(%q, %q) = %v, %v; want the file's config", path, env, c, err)
	}
	if len(warnings) != 1 || warnings[0].Key != "EDGEPASS_SERVICE_HOST" {
		t.Errorf("LoadWithWarnings(%q, %q) warnings = %v, want EDGEPASS_SERVICE_HOST",
			path, env, warnings)
	}
}
