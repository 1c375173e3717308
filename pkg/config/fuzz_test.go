package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/config"
)

// FuzzParse checks that no document or variable makes Parse panic, and
// that whatever it accepts validates.
func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal), "")
	f.Add(config.Example, "EDGEPASS_URLS_TTL=2h")
	f.Add([]byte("urls: {ttl: 3600}\ngrants: [{claims: {a: [1]}}]"), "EDGEPASS_GRANTS=[1]")
	f.Add([]byte("a: &x [*x]"), "EDGEPASS_SIGNING_KEY_ID=K")
	f.Add([]byte("signing: {keys: [null, {id: {}}]}"), "EDGEPASS_AUTH_PUBLIC_KEYS={}")
	f.Add([]byte("? [a]\n: b"), "EDGEPASS_CORS_ALLOWED_ORIGINS=,*,")
	f.Fuzz(func(t *testing.T, doc []byte, env string) {
		c, err := config.Parse(doc, strings.Split(env, "\n"))
		if err != nil {
			var ke *config.KeyError
			if errors.As(err, &ke) && ke.Key == "" {
				t.Errorf("Parse(%q) error %q names no key", doc, err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Errorf("Parse(%q) accepted a config that Validate refuses: %v", doc, err)
		}
	})
}
