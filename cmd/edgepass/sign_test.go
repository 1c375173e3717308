package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

const testURL = "https://d111111abcdef8.cloudfront.net/private/a.jpg"

// signArgs returns a sign command line for the ECDSA test key.
func signArgs(verb, arg string, flags ...string) []string {
	args := []string{"sign", verb, arg, "--key-id", "K1", "--key", privateKey("ecdsa")}
	return append(args, flags...)
}

func TestSignURLCanned(t *testing.T) {
	setClock(t, testNow)
	// 20:07:12 + 1h, rounded up to 15 minutes.
	wantExpires := strconv.FormatInt(
		time.Date(2026, 12, 3, 21, 15, 0, 0, time.UTC).Unix(), 10)
	tests := []struct {
		name  string
		flags []string
		query string // the signed URL's query without Signature
	}{
		{"sha256", nil, "Expires=" + wantExpires + "&Key-Pair-Id=K1&Hash-Algorithm=SHA256"},
		{"sha1", []string{"--hash", "sha1"}, "Expires=" + wantExpires + "&Key-Pair-Id=K1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := signArgs("url", testURL,
				append([]string{"--expires", "1h", "--window", "15m"}, tt.flags...)...)
			r := edgepass(args...)
			if r.code != exitOK || r.stderr != "" || !strings.HasSuffix(r.stdout, "\n") {
				t.Fatalf("edgepass %q: %v", args, r)
			}
			signed := strings.TrimSuffix(r.stdout, "\n")
			if got := withoutSignature(t, signed); got != tt.query {
				t.Errorf("edgepass %q: query %q, want %q", args, got, tt.query)
			}

			// A run later in the same window prints the same bytes.
			setClock(t, testNow.Add(7*time.Minute))
			if again := edgepass(args...); again.stdout != r.stdout {
				t.Errorf("edgepass %q in the same window = %q, want %q",
					args, again.stdout, r.stdout)
			}
		})
	}
}

// withoutSignature returns the query of a signed URL with its Signature
// parameter left out, in order.
func withoutSignature(t *testing.T, signed string) string {
	t.Helper()
	_, q, ok := strings.Cut(signed, "?")
	if !ok {
		t.Fatalf("signed URL %q has no query", signed)
	}
	var kept []string
	for p := range strings.SplitSeq(q, "&") {
		if !strings.HasPrefix(p, "Signature=") {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "&")
}

func TestSignURLCustom(t *testing.T) {
	setClock(t, testNow)
	tests := []struct {
		name  string
		flags []string
	}{
		{"policy_resource", []string{"--policy-resource", testPrivate + "*"}},
		{"policy_resource_one_char", []string{"--policy-resource", testPrivate + "?.jpg"}},
		{"not_before", []string{"--not-before", "2026-12-03T20:00:00Z"}},
		{"ip", []string{"--ip", "192.0.2.0/24"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := signArgs("url", testURL, append([]string{"--expires", "1h"}, tt.flags...)...)
			r := edgepass(args...)
			if r.code != exitOK || !strings.HasPrefix(r.stdout, testURL+"?Policy=") {
				t.Errorf("edgepass %q: %v; want a URL with Policy", args, r)
			}
		})
	}
}

func TestSignURLJSON(t *testing.T) {
	setClock(t, testNow)
	args := signArgs("url", testURL, "--until", "2026-12-04T00:00:00Z", "--json")
	r := edgepass(args...)
	var got signedURL
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != exitOK {
		t.Fatalf("edgepass %q: %v; decode: %v", args, r, err)
	}
	want := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	if !got.ExpiresAt.Equal(want) || !strings.HasPrefix(got.URL, testURL+"?Expires=") {
		t.Errorf("edgepass %q = %+v, want a canned URL expiring at %s", args, got, want)
	}
	if !strings.Contains(r.stdout, `"expires_at": "2026-12-04T00:00:00Z"`) {
		t.Errorf("edgepass %q: stdout %q lacks expires_at in RFC 3339", args, r.stdout)
	}
}

func TestSignCookies(t *testing.T) {
	setClock(t, testNow)
	prefix := "https://d111111abcdef8.cloudfront.net/private/alice/*"
	tests := []struct {
		name     string
		resource string
		flags    []string
		names    string
	}{
		{"canned", testURL, nil, "CloudFront-Expires CloudFront-Signature" +
			" CloudFront-Key-Pair-Id CloudFront-Hash-Algorithm"},
		{"canned_sha1", testURL, []string{"--hash", "sha1"},
			"CloudFront-Expires CloudFront-Signature CloudFront-Key-Pair-Id"},
		{"wildcard", prefix, nil, "CloudFront-Policy CloudFront-Signature" +
			" CloudFront-Key-Pair-Id CloudFront-Hash-Algorithm"},
		{"ip", testURL, []string{"--ip", "192.0.2.7"}, "CloudFront-Policy" +
			" CloudFront-Signature CloudFront-Key-Pair-Id CloudFront-Hash-Algorithm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := signArgs("cookies", tt.resource,
				append([]string{"--expires", "8h"}, tt.flags...)...)
			r := edgepass(args...)
			if r.code != exitOK {
				t.Fatalf("edgepass %q: %v", args, r)
			}
			var names []string
			for line := range strings.Lines(r.stdout) {
				name, value, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "=")
				if !ok || value == "" {
					t.Errorf("edgepass %q: line %q is not Name=value", args, line)
				}
				names = append(names, name)
			}
			if got := strings.Join(names, " "); got != tt.names {
				t.Errorf("edgepass %q: cookies %q, want %q", args, got, tt.names)
			}
		})
	}
}

func TestSignCookiesJSON(t *testing.T) {
	setClock(t, testNow)
	args := signArgs("cookies", testURL, "--expires", "30m", "--json")
	r := edgepass(args...)
	var got signedCookies
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != exitOK {
		t.Fatalf("edgepass %q: %v; decode: %v", args, r, err)
	}
	want := testNow.Add(30 * time.Minute).Unix()
	if got.ExpiresAt.Unix() != want || len(got.Cookies) != 4 ||
		got.Cookies[0] != (cookieJSON{"CloudFront-Expires", strconv.FormatInt(want, 10)}) {
		t.Errorf("edgepass %q = %+v, want 4 canned cookies expiring at %d", args, got, want)
	}
}

// What the signer refuses exits 1 with the reason.
func TestSignFailure(t *testing.T) {
	setClock(t, testNow)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no_key_file", []string{"sign", "url", testURL, "--key-id", "K1",
			"--key", "missing.pem", "--expires", "1h"},
			`edgepass sign url: load private key "missing.pem"`},
		{"public_key_as_key", []string{"sign", "url", testURL, "--key-id", "K1",
			"--key", publicKey("ecdsa"), "--expires", "1h"},
			"edgepass sign url: load private key"},
		{"ftp_url", signArgs("url", "ftp://example.com/a", "--expires", "1h"),
			"edgepass sign url: invalid URL"},
		{"signed_already", signArgs("url", testURL+"?Expires=1", "--expires", "1h"),
			"edgepass sign url: URL already holds a signing parameter"},
		{"canned_wildcard", signArgs("url", testURL+"*", "--expires", "1h"),
			"edgepass sign url: canned policy resource holds a wildcard"},
		{"not_before_after_expiry", signArgs("url", testURL, "--expires", "1h",
			"--not-before", "2026-12-31T00:00:00Z"), "edgepass sign url: invalid policy"},
		{"cookies_non_ascii", signArgs("cookies", testURL+"é", "--expires", "1h"),
			"edgepass sign cookies: "},
		{"resource_misses_url", signArgs("url", testURL, "--expires", "1h",
			"--policy-resource", testPrivate+"alice/*"),
			"edgepass sign url: --policy-resource"},
		{"resource_other_host", signArgs("url", testURL, "--expires", "1h",
			"--policy-resource", "https://d222222abcdef8.cloudfront.net/*"),
			"edgepass sign url: --policy-resource"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := edgepass(tt.args...)
			if r.code != exitFail || r.stdout != "" || !strings.HasPrefix(r.stderr, tt.want) {
				t.Errorf("edgepass %q: %v; want exit 1, stderr starting %q",
					tt.args, r, tt.want)
			}
		})
	}
}

// Flags may come before, between or after the arguments; "--" ends them.
func TestParseInterleaved(t *testing.T) {
	tests := []struct {
		name string
		args []string
		pos  string
		key  string
		json bool
	}{
		{"flags_first", []string{"--key", "k", "--json", "a"}, "a", "k", true},
		{"flags_last", []string{"a", "--key=k", "--json"}, "a", "k", true},
		{"flags_between", []string{"a", "--key", "k", "b"}, "a b", "k", false},
		{"double_dash", []string{"a", "--", "--json", "-k"}, "a --json -k", "", false},
		{"single_dash_argument", []string{"-", "--json"}, "-", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCommand(help{name: "test"}, nil, nil)
			key := c.flags.String("key", "", "")
			asJSON := c.flags.Bool("json", false, "")
			pos, _, ok := c.parse(tt.args)
			got := strings.Join(pos, " ")
			if !ok || got != tt.pos || *key != tt.key || *asJSON != tt.json {
				t.Errorf("parse(%q) = %q, key %q, json %v; want %q, %q, %v",
					tt.args, got, *key, *asJSON, tt.pos, tt.key, tt.json)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	text := "round the expiry of --expires up to a multiple of this DURATION" +
		" since the Unix epoch, so that runs within one window sign the same bytes"
	got := wrap(text, "  ", "    ", 40)
	want := "  round the expiry of --expires up to a\n" +
		"    multiple of this DURATION since the\n" +
		"    Unix epoch, so that runs within one\n" +
		"    window sign the same bytes\n"
	if got != want {
		t.Errorf("wrap(%q) = %q, want %q", text, got, want)
	}
}
