package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/config"
)

const secret = "0123456789abcdef0123456789abcdef" // 32 bytes

func TestValidateInvalid(t *testing.T) {
	tests := []struct {
		name   string
		change func(*config.Config)
		key    string
		text   string
	}{
		{"listen_no_port", func(c *config.Config) { c.Listen = "8080" },
			"listen", "host:port"},
		{"listen_port_too_big", func(c *config.Config) { c.Listen = ":65536" },
			"listen", "0 to 65535"},
		{"base_path_relative", func(c *config.Config) { c.BasePath = "edgepass" },
			"base_path", `start with "/"`},
		{"base_path_trailing_slash", func(c *config.Config) { c.BasePath = "/edgepass/" },
			"base_path", `not end with "/"`},
		{"base_path_dot_dot", func(c *config.Config) { c.BasePath = "/a/../b" },
			"base_path", `".."`},
		{"base_path_space", func(c *config.Config) { c.BasePath = "/a b" },
			"base_path", "segment"},
		{"cdn_url_missing", func(c *config.Config) { c.CDN.URL = "" },
			"cdn.url", "is required"},
		{"cdn_url_http", func(c *config.Config) { c.CDN.URL = "http://d1.cloudfront.net" },
			"cdn.url", "must be an absolute https URL"},
		{"cdn_url_no_scheme", func(c *config.Config) { c.CDN.URL = "d1.cloudfront.net" },
			"cdn.url", "must be an absolute https URL"},
		{"cdn_url_ftp", func(c *config.Config) { c.CDN.URL = "ftp://d1.cloudfront.net" },
			"cdn.url", "must be an absolute https URL"},
		{"cdn_url_path", func(c *config.Config) { c.CDN.URL = "https://d1.cloudfront.net/x" },
			"cdn.url", "without user, path"},
		{"cdn_url_query", func(c *config.Config) { c.CDN.URL = "https://d1.example?a=1" },
			"cdn.url", "query"},
		{"cdn_url_user", func(c *config.Config) { c.CDN.URL = "https://u:p@d1.cloudfront.net" },
			"cdn.url", "user"},
		{"signing_hash_md5", func(c *config.Config) { c.Signing.Hash = "md5" },
			"signing.hash", "sha256 or sha1"},
		{"signing_hash_upper", func(c *config.Config) { c.Signing.Hash = "SHA256" },
			"signing.hash", "sha256 or sha1"},
		{"signing_no_keys", func(c *config.Config) { c.Signing.Keys = nil },
			"signing.keys", "at least one key"},
		{"signing_key_no_id", func(c *config.Config) { c.Signing.Keys[0].ID = "" },
			"signing.keys[0].id", "is required"},
		{"signing_key_lower_id", func(c *config.Config) {
			c.Signing.Keys[0].ID = "k2jcjmdehxqw5f"
		}, "signing.keys[0].id", "CloudFront public key ID"},
		{"signing_key_short_id", func(c *config.Config) { c.Signing.Keys[0].ID = "K1" },
			"signing.keys[0].id", "CloudFront public key ID"},
		{"signing_key_bad_dev_id", func(c *config.Config) { c.Signing.Keys[0].ID = "dev-A" },
			"signing.keys[0].id", "dev-"},
		{"signing_key_repeated_id", func(c *config.Config) {
			c.Signing.Keys = append(c.Signing.Keys, c.Signing.Keys[0])
		}, "signing.keys[1].id", "repeats"},
		{"signing_key_no_source", func(c *config.Config) {
			c.Signing.Keys[0].PrivateKeyFile = ""
		}, "signing.keys[0]", "needs private_key_file or private_key"},
		{"signing_key_two_sources", func(c *config.Config) {
			c.Signing.Keys[0].PrivateKey = testPEM
		}, "signing.keys[0]", "only one"},
		{"signing_key_not_pem", func(c *config.Config) {
			c.Signing.Keys[0] = config.SigningKey{ID: "K2JCJMDEHXQW5F", PrivateKey: "hello"}
		}, "signing.keys[0].private_key", "PEM"},
		{"urls_ttl_zero", func(c *config.Config) { c.URLs.TTL = 0 },
			"urls.ttl", "at least 1s"},
		{"urls_window_zero", func(c *config.Config) { c.URLs.Window = 0 },
			"urls.window", "at least 1s"},
		{"urls_window_fraction", func(c *config.Config) {
			c.URLs.Window = 1500 * time.Millisecond
		}, "urls.window", "whole number of seconds"},
		{"urls_window_over_ttl", func(c *config.Config) { c.URLs.Window = 2 * time.Hour },
			"urls.window", "must not exceed urls.ttl"},
		{"urls_max_ttl_below_ttl", func(c *config.Config) { c.URLs.MaxTTL = time.Minute },
			"urls.max_ttl", "at least urls.ttl"},
		{"urls_max_batch_zero", func(c *config.Config) { c.URLs.MaxBatch = 0 },
			"urls.max_batch", "from 1 to 1000"},
		{"urls_max_batch_huge", func(c *config.Config) { c.URLs.MaxBatch = 1001 },
			"urls.max_batch", "from 1 to 1000"},
		{"cookies_ttl_negative", func(c *config.Config) { c.Cookies.TTL = -time.Hour },
			"cookies.ttl", "at least 1s"},
		{"cookies_window_over_ttl", func(c *config.Config) { c.Cookies.TTL = time.Minute },
			"cookies.window", "must not exceed cookies.ttl"},
		{"cookies_same_site_upper", func(c *config.Config) { c.Cookies.SameSite = "Lax" },
			"cookies.same_site", "lax, strict or none"},
		{"cookies_same_site_empty", func(c *config.Config) { c.Cookies.SameSite = "" },
			"cookies.same_site", "lax, strict or none"},
		{"cookies_domain_url", func(c *config.Config) {
			c.Cookies.Domain = "https://example.com"
		}, "cookies.domain", "host name"},
		{"cookies_domain_foreign", func(c *config.Config) { c.Cookies.Domain = "example.org" },
			"cookies.domain", "must contain the cdn.url host"},
		{"auth_no_algorithms", func(c *config.Config) { c.Auth.Algorithms = nil },
			"auth.algorithms", "at least one"},
		{"auth_alg_none", func(c *config.Config) { c.Auth.Algorithms = []string{"none"} },
			"auth.algorithms[0]", `"none" is never accepted`},
		{"auth_alg_none_upper", func(c *config.Config) {
			c.Auth.Algorithms = []string{"RS256", "NONE"}
		}, "auth.algorithms[1]", `"none" is never accepted`},
		{"auth_alg_unknown", func(c *config.Config) { c.Auth.Algorithms = []string{"rs256"} },
			"auth.algorithms[0]", "is not one of"},
		{"auth_hs256_without_secret", func(c *config.Config) {
			c.Auth.Algorithms = []string{"RS256", "HS256"}
		}, "auth.algorithms[1]", "HS256 needs auth.hmac_secret"},
		{"auth_rs256_without_public_key", func(c *config.Config) {
			c.Auth.JWKSURL, c.Auth.HMACSecret = "", secret
			c.Auth.Algorithms = []string{"RS256", "HS256"}
		}, "auth.algorithms[0]", "RS256 needs auth.jwks_url or auth.public_keys"},
		{"auth_secret_short", func(c *config.Config) {
			c.Auth.Algorithms, c.Auth.HMACSecret = []string{"HS256"}, "short"
		}, "auth.hmac_secret", "at least 32 bytes"},
		{"auth_secret_without_hs", func(c *config.Config) { c.Auth.HMACSecret = secret },
			"auth.hmac_secret", "lists no HS256"},
		{"auth_no_key_source", func(c *config.Config) { c.Auth.JWKSURL = "" },
			"auth", "needs a key source"},
		{"auth_jwks_http", func(c *config.Config) {
			c.Auth.JWKSURL = "http://login.example.com/jwks.json"
		}, "auth.jwks_url", "http only for loopback"},
		{"auth_jwks_relative", func(c *config.Config) { c.Auth.JWKSURL = "/jwks.json" },
			"auth.jwks_url", "absolute https URL"},
		{"auth_jwks_file", func(c *config.Config) { c.Auth.JWKSURL = "file:///etc/jwks.json" },
			"auth.jwks_url", "absolute https URL"},
		{"auth_public_key_no_file", func(c *config.Config) {
			c.Auth.PublicKeys = []config.PublicKeyFile{{ID: "a"}}
		}, "auth.public_keys[0].file", "is required"},
		{"auth_public_key_repeated_id", func(c *config.Config) {
			c.Auth.PublicKeys = []config.PublicKeyFile{{"a", "a.pem"}, {"a", "b.pem"}}
		}, "auth.public_keys[1].id", "repeats"},
		{"auth_audience_blank", func(c *config.Config) { c.Auth.Audience = []string{" "} },
			"auth.audience[0]", "non-empty"},
		{"auth_issuer_spaces", func(c *config.Config) { c.Auth.Issuer = "https://x/ " },
			"auth.issuer", "spaces"},
		{"auth_leeway_negative", func(c *config.Config) { c.Auth.Leeway = -time.Second },
			"auth.leeway", "from 0s to 5m"},
		{"auth_leeway_huge", func(c *config.Config) { c.Auth.Leeway = time.Hour },
			"auth.leeway", "from 0s to 5m"},
		{"auth_cookie_space", func(c *config.Config) { c.Auth.Cookie = "my token" },
			"auth.cookie", "cookie name"},
		{"auth_cookie_cloudfront", func(c *config.Config) { c.Auth.Cookie = "CloudFront-Jwt" },
			"auth.cookie", "CloudFront reserves"},
		{"grants_none", func(c *config.Config) { c.Grants = nil },
			"grants", "at least one grant"},
		{"grant_no_paths", func(c *config.Config) {
			c.Grants = append(c.Grants, config.Grant{Scope: "read"})
		}, "grants[1].paths", "at least one path"},
		{"grant_path_relative", func(c *config.Config) { c.Grants[0].Paths[0] = "private/*" },
			"grants[0].paths[0]", `start with "/"`},
		{"grant_path_dot_dot", func(c *config.Config) { c.Grants[0].Paths[0] = "/a/../*" },
			"grants[0].paths[0]", `".."`},
		{"grant_path_double_slash", func(c *config.Config) { c.Grants[0].Paths[0] = "/a//*" },
			"grants[0].paths[0]", `"//"`},
		{"grant_path_space", func(c *config.Config) { c.Grants[0].Paths[0] = "/a b/*" },
			"grants[0].paths[0]", "spaces"},
		{"grant_path_open_brace", func(c *config.Config) { c.Grants[0].Paths[0] = "/u/{sub/*" },
			"grants[0].paths[0]", "placeholders"},
		{"grant_path_empty_brace", func(c *config.Config) { c.Grants[0].Paths[0] = "/u/{}/*" },
			"grants[0].paths[0]", "placeholders"},
		{"grant_path_nested_brace", func(c *config.Config) {
			c.Grants[0].Paths[0] = "/u/{a{b}}/*"
		}, "grants[0].paths[0]", "placeholders"},
		{"grant_path_close_brace", func(c *config.Config) { c.Grants[0].Paths[0] = "/u/}/*" },
			"grants[0].paths[0]", "placeholders"},
		{"grant_claim_empty_value", func(c *config.Config) {
			c.Grants[0].Claims = map[string]string{"plan": ""}
		}, "grants[0].claims[plan]", "non-empty value"},
		{"grant_scope_two", func(c *config.Config) { c.Grants[0].Scope = "read write" },
			"grants[0].scope", "one scope"},
		{"cors_star", func(c *config.Config) { c.CORS.AllowedOrigins = []string{"*"} },
			"cors.allowed_origins[0]", `never "*"`},
		{"cors_null", func(c *config.Config) { c.CORS.AllowedOrigins = []string{"null"} },
			"cors.allowed_origins[0]", `never "null"`},
		{"cors_path", func(c *config.Config) {
			c.CORS.AllowedOrigins = []string{"https://app.example.com/"}
		}, "cors.allowed_origins[0]", "without user, path"},
		{"cors_http_remote", func(c *config.Config) {
			c.CORS.AllowedOrigins = []string{"https://a.example.com", "http://app.example.com"}
		}, "cors.allowed_origins[1]", "http only for loopback"},
		{"cors_upper_case", func(c *config.Config) {
			c.CORS.AllowedOrigins = []string{"https://App.example.com"}
		}, "cors.allowed_origins[0]", "lower-case"},
		{"cors_default_port", func(c *config.Config) {
			c.CORS.AllowedOrigins = []string{"https://app.example.com:443"}
		}, "cors.allowed_origins[0]", "default port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid(t)
			tt.change(&c)
			err := c.Validate()
			wantKeyError(t, err, tt.key, tt.text)
			if n := len(keyErrors(err)); n != 1 {
				t.Errorf("Validate() = %d problems, want 1:\n%v", n, err)
			}
		})
	}
}

func TestValidateValid(t *testing.T) {
	tests := []struct {
		name   string
		change func(*config.Config)
	}{
		{"minimal", func(*config.Config) {}},
		{"cdn_loopback_http", func(c *config.Config) { c.CDN.URL = "http://127.0.0.1:8081" }},
		{"cdn_localhost_http", func(c *config.Config) { c.CDN.URL = "http://localhost:9000" }},
		{"cdn_ipv6_loopback", func(c *config.Config) { c.CDN.URL = "http://[::1]:9000" }},
		{"cdn_custom_port", func(c *config.Config) { c.CDN.URL = "https://cdn.example:8443" }},
		{"listen_loopback_any_port", func(c *config.Config) { c.Listen = "127.0.0.1:0" }},
		{"base_path", func(c *config.Config) { c.BasePath = "/edgepass/v-1" }},
		{"dev_key_id", func(c *config.Config) { c.Signing.Keys[0].ID = "dev-2026-05" }},
		{"legacy_key_pair_id", func(c *config.Config) {
			c.Signing.Keys[0].ID = "APKAEIBAERJR2EXAMPLE"
		}},
		{"private_key_pem", func(c *config.Config) {
			c.Signing.Keys[0] = config.SigningKey{ID: "K2JCJMDEHXQW5F", PrivateKey: testPEM}
		}},
		{"sha1", func(c *config.Config) { c.Signing.Hash = "sha1" }},
		{"window_equals_ttl", func(c *config.Config) { c.URLs.Window = c.URLs.TTL }},
		{"cookie_domain_parent", func(c *config.Config) {
			c.CDN.URL, c.Cookies.Domain = "https://media.example.com", ".Example.com"
		}},
		{"same_site_none", func(c *config.Config) { c.Cookies.SameSite = "none" }},
		{"hs256_development", func(c *config.Config) {
			c.Auth.JWKSURL, c.Auth.HMACSecret = "", secret
			c.Auth.Algorithms = []string{"HS256"}
		}},
		{"static_keys_only", func(c *config.Config) {
			c.Auth.JWKSURL = ""
			c.Auth.PublicKeys = []config.PublicKeyFile{{"k1", "keys/jwt.pub"}}
		}},
		{"jwks_loopback_http", func(c *config.Config) {
			c.Auth.JWKSURL = "http://127.0.0.1:5556/keys"
		}},
		{"auth_cookie", func(c *config.Config) { c.Auth.Cookie = "__Host-edgepass_jwt" }},
		{"grant_conditions", func(c *config.Config) {
			c.Grants[0].Claims = map[string]string{"plan": "premium"}
			c.Grants[0].Scope = "media:read"
		}},
		{"cors_localhost", func(c *config.Config) {
			c.CORS.AllowedOrigins = []string{"http://localhost:3000", "https://app.example.com"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid(t)
			tt.change(&c)
			if err := c.Validate(); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
		})
	}
}

// TestValidateReportsAll checks that one pass names every problem.
func TestValidateReportsAll(t *testing.T) {
	c := valid(t)
	c.CDN.URL = "http://cdn.example.com"
	c.URLs.Window = 0
	c.Auth.Algorithms = []string{"none"}
	err := c.Validate()
	var keys []string
	for _, ke := range keyErrors(err) {
		keys = append(keys, ke.Key)
	}
	want := "cdn.url urls.window auth.algorithms[0]"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("Validate() keys = %q, want %q", got, want)
	}
}

// testPEM is PEM-shaped; Validate checks the form, not the key inside.
const testPEM = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
-----END PRIVATE KEY-----
`
