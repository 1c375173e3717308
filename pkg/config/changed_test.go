package config_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/edgepass/edgepass/pkg/config"
)

func TestChanged(t *testing.T) {
	tests := []struct {
		name string
		edit func(*config.Config)
		want []string
	}{
		{"same", func(*config.Config) {}, nil},
		{"listen", func(c *config.Config) { c.Listen = ":9090" }, []string{"listen"}},
		{"base_path", func(c *config.Config) { c.BasePath = "/e" }, []string{"base_path"}},
		{"signing_key_order", func(c *config.Config) {
			c.Signing.Keys = append([]config.SigningKey{{ID: "KNEWKEY0001",
				PrivateKeyFile: "n.pem"}}, c.Signing.Keys...)
		}, []string{"signing"}},
		{"urls_ttl", func(c *config.Config) { c.URLs.TTL = 2 * time.Hour },
			[]string{"urls"}},
		{"grant_claims", func(c *config.Config) {
			c.Grants = []config.Grant{{Paths: c.Grants[0].Paths,
				Claims: map[string]string{"plan": "pro"}}}
		}, []string{"grants"}},
		{"empty_list_is_unset", func(c *config.Config) {
			c.Auth.Audience = []string{}
			c.Grants = []config.Grant{{Paths: c.Grants[0].Paths,
				Claims: map[string]string{}}}
		}, nil},
		{"several_in_order", func(c *config.Config) {
			c.CORS.AllowedOrigins = []string{"https://app.example.com"}
			c.CDN.URL = "https://cdn.example.com"
			c.Auth.Leeway = time.Second
		}, []string{"cdn", "auth", "cors"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := valid(t), valid(t)
			tt.edit(&b)
			if diff := cmp.Diff(tt.want, config.Changed(&a, &b)); diff != "" {
				t.Errorf("Changed(minimal, edited) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
