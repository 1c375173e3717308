package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/playground"
)

// devKeys makes a key folder as `edgepass dev` would.
func devKeys(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := playground.EnsureKeys(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// tokenClaims checks tok's signature with the dev secret of the key
// folder and returns its claims.
func tokenClaims(t *testing.T, tok, keys string) jwt.MapClaims {
	t.Helper()
	secret, err := playground.LoadSecret(keys)
	if err != nil {
		t.Fatal(err)
	}
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) {
		return secret, nil
	}, jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
	if err != nil {
		t.Fatalf("token %q does not verify with the dev secret: %v", tok, err)
	}
	return claims
}

func TestToken(t *testing.T) {
	setClock(t, testNow)
	keys := devKeys(t)
	tests := []struct {
		name string
		args []string
		want map[string]any
	}{
		{"alice", []string{"--sub", "alice"}, map[string]any{
			"sub": "alice", "iss": playground.TokenIssuer, "aud": playground.TokenIssuer,
			"iat": float64(testNow.Unix()), "exp": float64(testNow.Add(time.Hour).Unix()),
		}},
		{"claims", []string{"--sub", "alice", "--claim", "plan=premium", "--claim", "org=acme"},
			map[string]any{"plan": "premium", "org": "acme"}},
		{"empty_claim_value", []string{"--sub", "bob", "--claim", "plan="},
			map[string]any{"sub": "bob", "plan": ""}},
		{"ttl", []string{"--sub", "alice", "--ttl", "90m"},
			map[string]any{"exp": float64(testNow.Add(90 * time.Minute).Unix())}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := edgepass(append([]string{"token", "--keys", keys}, tt.args...)...)
			if r.code != exitOK || r.stderr != "" || !strings.HasSuffix(r.stdout, "\n") {
				t.Fatalf("edgepass token %q: %v, want exit 0 and one line", tt.args, r)
			}
			claims := tokenClaims(t, strings.TrimSuffix(r.stdout, "\n"), keys)
			for k, want := range tt.want {
				if claims[k] != want {
					t.Errorf("edgepass token %q: claim %s = %v, want %v", tt.args, k,
						claims[k], want)
				}
			}
		})
	}
}

func TestTokenRefuses(t *testing.T) {
	withoutTestEnv(t)
	keys := devKeys(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no_sub", []string{"--keys", keys}, exitUsage, "--sub is required"},
		{"argument", []string{"--keys", keys, "--sub", "a", "b"}, exitUsage,
			`unexpected argument "b"`},
		{"claim_without_value", []string{"--keys", keys, "--sub", "a", "--claim", "plan"},
			exitUsage, "want NAME=VALUE"},
		{"claim_twice", []string{"--keys", keys, "--sub", "a", "--claim", "p=1",
			"--claim", "p=2"}, exitUsage, `claim "p" given twice`},
		{"registered_claim", []string{"--keys", keys, "--sub", "a", "--claim", "exp=1"},
			exitUsage, `claim "exp" is set by the token itself`},
		{"ttl_too_long", []string{"--keys", keys, "--sub", "a", "--ttl", "48h"},
			exitUsage, "ttl 48h0m0s is not from 1s to 24h0m0s"},
		{"no_secret", []string{"--keys", t.TempDir(), "--sub", "a"}, exitFail,
			"run 'edgepass dev' once"},
		{"short_secret", []string{"--keys", shortSecret(t), "--sub", "a"}, exitFail,
			"development secret too short"},
		{"cloudfront_config", []string{"--config", writeConfig(t, keys, "K2JCJMDEHXQW5F"),
			"--sub", "a"}, exitFail, "not a development config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := edgepass(append([]string{"token"}, tt.args...)...)
			if r.code != tt.code || r.stdout != "" ||
				!strings.HasPrefix(r.stderr, "edgepass token: ") ||
				!strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("edgepass token %q: %v; want exit %d, stderr with %q",
					tt.args, r, tt.code, tt.stderr)
			}
		})
	}
}

// TestTokenDevConfig mints with the secret, issuer and audience of a
// development config file.
func TestTokenDevConfig(t *testing.T) {
	withoutTestEnv(t)
	keys := devKeys(t)
	path := writeConfig(t, keys, playground.KeyID)
	r := edgepass("token", "--config", path, "--sub", "alice")
	if r.code != exitOK {
		t.Fatalf("edgepass token --config %s: %v", path, r)
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(strings.TrimSpace(r.stdout), claims,
		func(*jwt.Token) (any, error) { return []byte(configSecret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer("https://dev.example/"),
		jwt.WithAudience("my-app"))
	if err != nil {
		t.Errorf("token from a dev config: %v", err)
	}
}

// withoutTestEnv hides EDGEPASS_REQUIRE_TOOLS, which `make test` sets,
// from the test: config files are read with the environment, and config
// refuses EDGEPASS_ variables that name no key.
func withoutTestEnv(t *testing.T) {
	t.Helper()
	const name = "EDGEPASS_REQUIRE_TOOLS"
	t.Setenv(name, "") // restores the variable when the test ends
	if err := os.Unsetenv(name); err != nil {
		t.Fatal(err)
	}
}

// configSecret is the HS256 secret of the configs writeConfig writes.
const configSecret = "0123456789abcdef0123456789abcdef-config"

// writeConfig writes a config that signs with keys/dev.pem under keyID
// and verifies tokens with configSecret.
func writeConfig(t *testing.T, keys, keyID string) string {
	t.Helper()
	yaml := `cdn: {url: "http://localhost:8787"}
signing:
  keys: [{id: ` + keyID + `, private_key_file: "` + filepath.Join(keys, "dev.pem") + `"}]
auth:
  algorithms: [HS256]
  hmac_secret: "` + configSecret + `"
  issuer: "https://dev.example/"
  audience: [my-app]
grants: [{paths: ["/private/users/{sub}/*"]}]
`
	path := filepath.Join(t.TempDir(), "edgepass.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// shortSecret returns a key folder whose dev.secret is too short.
func shortSecret(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, playground.SecretFile), []byte("short\n"), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
