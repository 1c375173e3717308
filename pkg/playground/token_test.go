package playground_test

import (
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/edgepass/edgepass/pkg/config"
	"github.com/edgepass/edgepass/pkg/playground"
)

var (
	testSecret = []byte("0123456789abcdef0123456789abcdef")
	testNow    = time.Date(2026, 12, 3, 20, 7, 12, 0, time.UTC)
)

func TestMintToken(t *testing.T) {
	req := playground.TokenRequest{Subject: "alice", Claims: map[string]string{"plan": "premium"}}
	tok, exp, err := playground.MintToken(testSecret, req, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if want := testNow.Add(time.Hour); !exp.Equal(want) {
		t.Errorf("MintToken expiry = %v, want %v", exp, want)
	}
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return testSecret, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(func() time.Time { return testNow }),
		jwt.WithIssuer(playground.TokenIssuer), jwt.WithAudience(playground.TokenIssuer))
	if err != nil {
		t.Fatalf("parse minted token: %v", err)
	}
	for k, want := range map[string]any{"sub": "alice", "plan": "premium",
		"exp": float64(exp.Unix()), "iat": float64(testNow.Unix())} {
		if claims[k] != want {
			t.Errorf("claim %s = %v, want %v", k, claims[k], want)
		}
	}
}

func TestMintTokenRefuses(t *testing.T) {
	tests := []struct {
		name string
		req  playground.TokenRequest
	}{
		{"no_subject", playground.TokenRequest{}},
		{"overrides_exp", playground.TokenRequest{Subject: "a", Claims: map[string]string{"exp": "1"}}},
		{"overrides_sub", playground.TokenRequest{Subject: "a", Claims: map[string]string{"sub": "b"}}},
		{"empty_claim_name", playground.TokenRequest{Subject: "a", Claims: map[string]string{"": "b"}}},
		{"ttl_too_long", playground.TokenRequest{Subject: "a", TTL: 25 * time.Hour}},
		{"ttl_negative", playground.TokenRequest{Subject: "a", TTL: -time.Hour}},
		{"ttl_under_a_second", playground.TokenRequest{Subject: "a", TTL: time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := playground.MintToken(testSecret, tt.req, testNow)
			if !errors.Is(err, playground.ErrTokenRequest) {
				t.Errorf("MintToken(%+v) = %v, want ErrTokenRequest", tt.req, err)
			}
		})
	}
}

func TestDevConfig(t *testing.T) {
	c := playground.DevConfig("http://localhost:8787", "keys", testSecret)
	if err := c.Validate(); err != nil {
		t.Fatalf("DevConfig does not validate: %v", err)
	}
	if err := playground.CheckDev(c); err != nil {
		t.Errorf("CheckDev(DevConfig(...)) = %v, want nil", err)
	}
}

func TestCheckDevRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *config.Config)
	}{
		{"cloudfront_key", func(c *config.Config) { c.Signing.Keys[0].ID = "K2JCJMDEHXQW5F" }},
		{"no_hmac_secret", func(c *config.Config) { c.Auth.HMACSecret = "" }},
		{"jwks", func(c *config.Config) { c.Auth.JWKSURL = "https://login.example.com/jwks" }},
		{"public_keys", func(c *config.Config) {
			c.Auth.PublicKeys = []config.PublicKeyFile{{ID: "a", File: "a.pem"}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := playground.DevConfig("http://localhost:8787", "keys", testSecret)
			tt.change(c)
			if err := playground.CheckDev(c); !errors.Is(err, playground.ErrNotDev) {
				t.Errorf("CheckDev = %v, want ErrNotDev", err)
			}
		})
	}
}
