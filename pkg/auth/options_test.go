package auth_test

import (
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/auth"
)

func TestNewRefusesOptions(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024) //nolint:gosec // refusing it is the test
	if err != nil {
		t.Fatal(err)
	}
	rsa1 := auth.PublicKey{ID: "rsa1", Key: &rsaKey().PublicKey}
	ec1 := auth.PublicKey{ID: "ec1", Key: &ecKey().PublicKey}
	keys := []auth.PublicKey{rsa1}
	secret := []byte(testSecret)

	tests := []struct {
		name string
		opts auth.Options
		want string // part of the error
	}{
		{"no_key_source", auth.Options{}, "no key source"},
		{"alg_none", auth.Options{Algorithms: []string{"RS256", "none"}, PublicKeys: keys},
			`"none" is never allowed`},
		{"alg_unknown", auth.Options{Algorithms: []string{"RS999"}, PublicKeys: keys},
			`algorithms: unknown algorithm "RS999"`},
		{"hmac_alg_without_secret",
			auth.Options{Algorithms: []string{"RS256", "HS256"}, PublicKeys: keys},
			"algorithms: HS256 needs hmac_secret"},
		{"secret_without_hmac_alg",
			auth.Options{Algorithms: []string{"RS256"}, PublicKeys: keys, HMACSecret: secret},
			"algorithms: hmac_secret is set but no HS algorithm"},
		{"short_secret", auth.Options{HMACSecret: []byte("short")}, "hmac_secret: must be at least"},
		{"negative_leeway", auth.Options{PublicKeys: keys, Leeway: -time.Second}, "leeway"},
		{"jwks_plain_http", auth.Options{JWKSURL: "http://login.example.com/jwks"},
			"jwks_url: must be https unless the host is loopback"},
		{"jwks_other_scheme", auth.Options{JWKSURL: "ftp://127.0.0.1/jwks"}, "jwks_url: must be https"},
		{"jwks_relative", auth.Options{JWKSURL: "/jwks.json"}, "jwks_url: must be an absolute URL"},
		{"jwks_unparsable", auth.Options{JWKSURL: "https://[::1"}, "jwks_url:"},
		{"jwks_with_hmac_only",
			auth.Options{JWKSURL: "https://login.example.com/jwks", HMACSecret: secret,
				Algorithms: []string{"HS256"}},
			"jwks_url: no asymmetric algorithm"},
		{"small_rsa_key",
			auth.Options{PublicKeys: []auth.PublicKey{{ID: "small", Key: &small.PublicKey}}},
			`public_keys[0]: *rsa.PublicKey key "small" fits no allowed algorithm`},
		{"private_key_given",
			auth.Options{PublicKeys: []auth.PublicKey{{ID: "priv", Key: ecKey()}}},
			"public_keys[0]: *ecdsa.PrivateKey"},
		{"key_without_algorithm",
			auth.Options{Algorithms: []string{"RS256"}, PublicKeys: []auth.PublicKey{rsa1, ec1}},
			`public_keys[1]: *ecdsa.PublicKey key "ec1" fits no allowed algorithm`},
		{"duplicate_id",
			auth.Options{PublicKeys: []auth.PublicKey{rsa1, {ID: "rsa1", Key: ec1.Key}}},
			`public_keys[1]: duplicate id "rsa1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := auth.New(t.Context(), tt.opts)
			if err == nil {
				a.Close()
				t.Fatalf("New(%s) = nil error, want %q", tt.name, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New(%s) = %q, want it to hold %q", tt.name, err, tt.want)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	tests := []struct {
		name string
		opts auth.Options
	}{
		{"static_keys", auth.Options{PublicKeys: []auth.PublicKey{{ID: "k", Key: &rsaKey().PublicKey}}}},
		{"hmac_secret", auth.Options{HMACSecret: []byte(testSecret)}},
		{"jwks_loopback_name", auth.Options{JWKSURL: "http://localhost:1/jwks.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := auth.New(t.Context(), tt.opts)
			if err != nil {
				t.Fatalf("New(%s) = %v, want success", tt.name, err)
			}
			a.Close()
		})
	}
}

func TestParsePublicKeyPEM(t *testing.T) {
	tests := []struct {
		name string
		pem  string
		ok   bool
	}{
		{"pkix_rsa", string(publicPEM(t, &rsaKey().PublicKey)), true},
		{"pkix_ec", string(publicPEM(t, &ecKey().PublicKey)), true},
		{"not_pem", "hello", false},
		{"private_key_block", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", false},
		{"bad_der", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := auth.ParsePublicKeyPEM([]byte(tt.pem))
			if (err == nil) != tt.ok {
				t.Fatalf("ParsePublicKeyPEM(%s) = %T, %v; want ok %v", tt.name, k, err, tt.ok)
			}
		})
	}
}
