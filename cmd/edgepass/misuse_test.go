package main

import (
	"strings"
	"testing"
)

// Each mistake on the command line exits 2 with a message on stderr that
// names the command, and prints nothing on stdout.
func TestMisuse(t *testing.T) {
	key, pub := privateKey("ecdsa"), publicKey("ecdsa")
	const u = "https://d111111abcdef8.cloudfront.net/a.jpg"
	sign := func(verb, arg string, flags ...string) []string {
		return append([]string{"sign", verb, arg}, flags...)
	}
	ok := []string{"--key-id", "K1", "--key", key}
	with := func(extra ...string) []string { return append(append([]string{}, ok...), extra...) }

	tests := []struct {
		name string
		args []string
		want string // the stderr message after "edgepass <verb>: "
	}{
		{"keygen_no_name", []string{"keygen"}, "keygen: --name is required"},
		{"keygen_bad_type", []string{"keygen", "--name", "a", "--type", "dsa"},
			"keygen: --type: "},
		{"keygen_path_in_name", []string{"keygen", "--name", "../a", "--dir", t.TempDir()},
			"keygen: --name: invalid key name"},
		{"keygen_argument", []string{"keygen", "a"}, `keygen: unexpected argument "a"`},
		{"keygen_unknown_flag", []string{"keygen", "--nme", "a"},
			"keygen: flag provided but not defined: -nme"},

		{"sign_url_no_url", []string{"sign", "url", "--expires", "1h"},
			"sign url: want one URL, got 0 arguments"},
		{"sign_url_two_urls", sign("url", u, with(u, "--expires", "1h")...),
			"sign url: want one URL, got 2 arguments"},
		{"sign_url_no_key_id", sign("url", u, "--key", key, "--expires", "1h"),
			"sign url: --key-id is required"},
		{"sign_url_no_key", sign("url", u, "--key-id", "K1", "--expires", "1h"),
			"sign url: --key is required"},
		{"sign_url_no_expiry", sign("url", u, ok...),
			"sign url: --expires or --until is required"},
		{"sign_url_expires_and_until",
			sign("url", u, with("--expires", "1h", "--until", "2030-01-01T00:00:00Z")...),
			"sign url: give --expires or --until, not both"},
		{"sign_url_zero_expires", sign("url", u, with("--expires", "0s")...),
			"sign url: --expires 0s: want a positive duration"},
		{"sign_url_negative_expires", sign("url", u, with("--expires", "-1h")...),
			"sign url: --expires -1h0m0s: want a positive duration"},
		{"sign_url_expires_no_unit", sign("url", u, with("--expires", "3600")...),
			`sign url: invalid value "3600" for flag -expires`},
		{"sign_url_until_past", sign("url", u, with("--until", "2020-01-01T00:00:00Z")...),
			"sign url: --until 2020-01-01T00:00:00Z is not in the future"},
		{"sign_url_until_not_rfc3339", sign("url", u, with("--until", "tomorrow")...),
			`sign url: invalid value "tomorrow" for flag -until: want an RFC 3339 time`},
		{"sign_url_window_with_until",
			sign("url", u, with("--until", "2030-01-01T00:00:00Z", "--window", "15m")...),
			"sign url: --window rounds --expires"},
		{"sign_url_negative_window", sign("url", u, with("--expires", "1h", "--window", "-1m")...),
			"sign url: --window -1m0s: want zero or a positive duration"},
		{"sign_url_bad_hash", sign("url", u, with("--expires", "1h", "--hash", "md5")...),
			`sign url: invalid value "md5" for flag -hash: unknown hash "md5"`},
		{"sign_url_ipv6", sign("url", u, with("--expires", "1h", "--ip", "2001:db8::/32")...),
			`sign url: invalid value "2001:db8::/32" for flag -ip: invalid IP range`},
		{"sign_url_host_bits", sign("url", u, with("--expires", "1h", "--ip", "192.0.2.1/24")...),
			`sign url: invalid value "192.0.2.1/24" for flag -ip`},
		{"sign_cookies_policy_resource",
			sign("cookies", u, with("--expires", "1h", "--policy-resource", u)...),
			"sign cookies: flag provided but not defined: -policy-resource"},
		{"sign_cookies_no_resource", []string{"sign", "cookies", "--key", key},
			"sign cookies: want one RESOURCE, got 0 arguments"},

		{"verify_no_public_key", []string{"verify", u}, "verify: --public-key is required"},
		{"verify_public_key_no_id", []string{"verify", u, "--public-key", pub},
			`verify: invalid value "` + pub + `" for flag -public-key: want ID=FILE`},
		{"verify_nothing", []string{"verify", "--public-key", "K1=" + pub},
			"verify: want a signed URL, or --cookies with --url"},
		{"verify_two_urls", []string{"verify", u, u, "--public-key", "K1=" + pub},
			"verify: want one URL, got 2 arguments"},
		{"verify_url_flag_alone", []string{"verify", "--url", u, "--public-key", "K1=" + pub},
			"verify: --url goes with --cookies"},
		{"verify_cookies_no_url",
			[]string{"verify", "--cookies", "CloudFront-Expires=1", "--public-key", "K1=" + pub},
			"verify: --cookies needs --url"},
		{"verify_cookies_and_argument",
			[]string{"verify", u, "--cookies", "CloudFront-Expires=1", "--public-key", "K1=" + pub},
			"verify: with --cookies give the URL with --url"},
		{"verify_cookie_twice",
			[]string{"verify", "--url", u, "--public-key", "K1=" + pub,
				"--cookies", "CloudFront-Expires=1; CloudFront-Expires=2"},
			`verify: --cookies: cookie "CloudFront-Expires" appears twice`},
		{"verify_bad_ip", []string{"verify", u, "--public-key", "K1=" + pub, "--ip", "me"},
			`verify: invalid value "me" for flag -ip: want an IP address`},

		{"version_argument", []string{"version", "--", "-v"}, `version: unexpected argument "-v"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setClock(t, testNow)
			r := edgepass(tt.args...)
			if r.code != exitUsage || r.stdout != "" ||
				!strings.HasPrefix(r.stderr, "edgepass "+tt.want) {
				t.Errorf("edgepass %q: %v; want exit 2, no stdout, stderr starting %q",
					tt.args, r, "edgepass "+tt.want)
			}
		})
	}
}
