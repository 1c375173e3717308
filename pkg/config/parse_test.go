package config_test

import (
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/config"
)

func TestParseYAMLInvalid(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		key  string
		text string
	}{
		{"unknown_top_level", "listn: ':80'", "listn", "unknown key"},
		{"unknown_in_section", "urls: {ttll: 1h}", "urls.ttll", "unknown key"},
		{"unknown_in_list", "grants: [{paths: [/a/*]}, {path: [/b/*]}]",
			"grants[1].path", "unknown key"},
		{"unknown_in_key", "signing: {keys: [{id: KABCDEFGH1, private_key_path: a}]}",
			"signing.keys[0].private_key_path", "unknown key"},
		{"wrong_case", "URLS: {ttl: 1h}", "URLS", "unknown key"},
		{"dotted_key", "auth: {jwks.url: x}", "auth.jwks.url", "unknown key"},
		{"number_for_string", "listen: 8080", "listen", "must be a string"},
		{"number_for_duration", "urls: {ttl: 3600}", "urls.ttl", "with a unit"},
		{"bad_duration", "cookies: {window: 15 minutes}", "cookies.window",
			"must be a duration such as 15m"},
		{"string_for_integer", "urls: {max_batch: lots}", "urls.max_batch",
			"must be an integer"},
		{"string_for_boolean", "cookies: {persistent: maybe}", "cookies.persistent",
			"must be true or false"},
		{"number_for_list", "auth: {audience: 3}", "auth.audience",
			"must be a list of strings"},
		{"scalar_for_section", "urls: 1h", "urls", "must be a mapping"},
		{"scalar_for_grants", "grants: all", "grants", "must be a list of mappings"},
		{"bool_claim", "grants: [{paths: [/a/*], claims: {admin: true}}]",
			"grants[0].claims[admin]", "must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Decoding problems are reported before, and instead of,
			// validation, so the document needs nothing else.
			_, err := config.Parse([]byte(tt.yaml), nil)
			wantKeyError(t, err, tt.key, tt.text)
		})
	}
}

// TestParseReportsAll checks that unknown keys and bad values are reported
// together, not one per run.
func TestParseReportsAll(t *testing.T) {
	doc := "urls: {ttl: 1, window: x}\nlistn: a\n"
	_, err := config.Parse([]byte(doc), []string{"EDGEPASS_URLS_MAX_BATCH=many"})
	for _, key := range []string{"urls.max_batch", "listn", "urls.ttl", "urls.window"} {
		found := false
		for _, ke := range keyErrors(err) {
			found = found || ke.Key == key
		}
		if !found {
			t.Errorf("Parse(%q) error = %v, want one naming %s", doc, err, key)
		}
	}
}

// TestParseListFromScalar accepts one string where a list is wanted, as
// the environment gives it.
func TestParseListFromScalar(t *testing.T) {
	env := []string{"EDGEPASS_AUTH_ALGORITHMS=ES256"}
	c, err := config.Parse([]byte(strings.Replace(minimal, "auth: {",
		"auth: {audience: edgepass, ", 1)), env)
	if err != nil {
		t.Fatalf("Parse error: %v", err)
	}
	if len(c.Auth.Audience) != 1 || c.Auth.Audience[0] != "edgepass" {
		t.Errorf("Auth.Audience = %q, want [edgepass]", c.Auth.Audience)
	}
	if len(c.Auth.Algorithms) != 1 || c.Auth.Algorithms[0] != "ES256" {
		t.Errorf("Auth.Algorithms = %q, want [ES256]", c.Auth.Algorithms)
	}
}

func TestParseDuplicateKey(t *testing.T) {
	doc := minimal + "cdn: {url: https://other.example.com}\n"
	if _, err := config.Parse([]byte(doc), nil); err == nil {
		t.Errorf("Parse(two cdn sections) error = nil, want a YAML error")
	}
}
