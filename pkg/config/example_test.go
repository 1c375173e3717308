package config_test

import (
	"fmt"

	"github.com/edgepass/edgepass/pkg/config"
)

func ExampleParse() {
	doc := []byte(`
cdn: {url: https://d111111abcdef8.cloudfront.net}
signing:
  keys: [{id: K2JCJMDEHXQW5F, private_key_file: keys/edgepass.pem}]
auth: {jwks_url: https://login.example.com/.well-known/jwks.json}
grants:
  - paths: ["/private/users/{sub}/*"]
`)
	env := []string{"EDGEPASS_URLS_WINDOW=5m", "EDGEPASS_AUTH_AUDIENCE=web,mobile"}
	c, err := config.Parse(doc, env)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Listen, c.URLs.TTL, c.URLs.Window, c.Auth.Audience)
	// Output: :8080 1h0m0s 5m0s [web mobile]
}

func ExampleConfig_Validate() {
	c := config.Default()
	c.CDN.URL = "http://d111111abcdef8.cloudfront.net"
	c.Auth.Algorithms = []string{"none"}
	fmt.Println(c.Validate())
	// Output:
	// cdn.url: must be an absolute https URL (http only for loopback hosts)
	// signing.keys: must list at least one key
	// auth: needs a key source: jwks_url, public_keys or hmac_secret
	// auth.algorithms[0]: "none" is never accepted
	// grants: must list at least one grant
}
