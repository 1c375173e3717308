package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/config"
)

// minimal is the smallest valid configuration: everything else defaults.
const minimal = `
cdn: {url: https://d111111abcdef8.cloudfront.net}
signing:
  keys: [{id: K2JCJMDEHXQW5F, private_key_file: keys/a.pem}]
auth: {jwks_url: https://login.example.com/.well-known/jwks.json}
grants:
  - paths: ["/private/users/{sub}/*"]
`

// valid returns minimal, parsed.
func valid(t *testing.T) config.Config {
	t.Helper()
	c, err := config.Parse([]byte(minimal), nil)
	if err != nil {
		t.Fatalf("Parse(minimal) error: %v", err)
	}
	return *c
}

// keyErrors returns the key errors joined in err.
func keyErrors(err error) []*config.KeyError {
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else if err != nil {
		list = []error{err}
	}
	var out []*config.KeyError
	for _, e := range list {
		var ke *config.KeyError
		if errors.As(e, &ke) {
			out = append(out, ke)
		}
	}
	return out
}

// wantKeyError fails t unless err reports key with a message holding text,
// on a line of its own that starts with the key.
func wantKeyError(t *testing.T, err error, key, text string) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %q: ...%s...", key, text)
	}
	for _, ke := range keyErrors(err) {
		if ke.Key == key && strings.Contains(ke.Err.Error(), text) {
			for line := range strings.SplitSeq(err.Error(), "\n") {
				if strings.HasPrefix(line, key+": ") {
					return
				}
			}
		}
	}
	t.Errorf("error = %q, want a line %q holding %q", err, key+": ", text)
}
