package main

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/edgepass/edgepass/pkg/cfverify"
)

var verifyHelp = help{
	name:    "verify",
	summary: "check a signed URL or signed cookies as CloudFront would",
	usage: "(URL | --cookies COOKIES --url URL) --public-key ID=FILE" +
		" [--public-key ID=FILE ...] [--ip ADDR]",
	example: "edgepass verify 'https://d111111abcdef8.cloudfront.net/private/a.jpg?" +
		"Expires=...' --public-key K2JCJMDEHXQW5F=keys/edgepass-2026-12.pub.pem",
}

// verifyFlags are the flags of "verify".
type verifyFlags struct {
	keys    keyFileValue
	ip      addrValue
	cookies string
	url     string
}

func runVerify(args []string, stdout, stderr io.Writer) int {
	c := newCommand(verifyHelp, stdout, stderr)
	var f verifyFlags
	c.flags.Var(&f.keys, "public-key", "trusted public key as `ID=FILE`: its"+
		" CloudFront key ID and PEM file; repeat for several (at least one)")
	c.flags.Var(&f.ip, "ip", "viewer IP `ADDR`, checked against the policy's"+
		" IP range (default: unknown, which no IP range admits)")
	c.flags.StringVar(&f.cookies, "cookies", "", "`COOKIES` as in a Cookie header,"+
		" 'CloudFront-Policy=...; CloudFront-Signature=...; ...'")
	c.flags.StringVar(&f.url, "url", "",
		"`URL` requested with --cookies, percent-encoded as sent")

	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	req, err := f.request(pos)
	if err != nil {
		return c.misuse("%v", err)
	}
	keys, err := loadPublicKeys(f.keys.pairs)
	if err != nil {
		return c.fail(err)
	}

	v := cfverify.Verifier{Keys: keys, Now: clock}
	res, err := v.Verify(req)
	if err != nil {
		c.emit(fmt.Sprintf("invalid: %v\n", err))
		return exitFail
	}
	return c.emit(resultText(res))
}

// request checks the command line and builds the request to verify.
func (f *verifyFlags) request(pos []string) (cfverify.Request, error) {
	req := cfverify.Request{ClientIP: f.ip.a}
	switch {
	case len(f.keys.pairs) == 0:
		return req, errors.New("--public-key is required")
	case len(pos) > 1:
		return req, fmt.Errorf("want one URL, got %d arguments", len(pos))
	case f.cookies == "" && f.url != "":
		return req, errors.New("--url goes with --cookies; give a signed URL as the argument")
	case f.cookies == "" && len(pos) == 0:
		return req, errors.New("want a signed URL, or --cookies with --url")
	case f.cookies == "":
		req.URL = pos[0]
		return req, nil
	case len(pos) > 0:
		return req, errors.New("with --cookies give the URL with --url, not as an argument")
	case f.url == "":
		return req, errors.New("--cookies needs --url")
	}
	cookies, err := parseCookies(f.cookies)
	if err != nil {
		return req, fmt.Errorf("--cookies: %w", err)
	}
	req.URL, req.Cookies = f.url, cookies
	return req, nil
}

// parseCookies reads the value of a Cookie header, with or without the
// "Cookie:" name in front. A name given twice is refused: which one
// CloudFront would read is not documented.
func parseCookies(header string) (map[string]string, error) {
	header = strings.TrimSpace(header)
	if name, rest, ok := strings.Cut(header, ":"); ok && strings.EqualFold(name, "cookie") {
		header = strings.TrimSpace(rest)
	}
	list, err := http.ParseCookie(header)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(list))
	for _, c := range list {
		if _, dup := m[c.Name]; dup {
			return nil, fmt.Errorf("cookie %q appears twice", c.Name)
		}
		m[c.Name] = c.Value
	}
	return m, nil
}

func loadPublicKeys(pairs []keyFile) (map[string]crypto.PublicKey, error) {
	keys := make(map[string]crypto.PublicKey, len(pairs))
	for _, p := range pairs {
		if _, dup := keys[p.id]; dup {
			return nil, fmt.Errorf("key ID %q given twice", p.id)
		}
		data, err := os.ReadFile(p.path)
		if err != nil {
			return nil, fmt.Errorf("load public key: %w", err)
		}
		key, err := cfverify.ParsePublicKeyPEM(data)
		if err != nil {
			return nil, fmt.Errorf("load public key %q: %w", p.path, err)
		}
		keys[p.id] = key
	}
	return keys, nil
}

// resultText is the verdict on a valid request and what its signature
// allows, one "name: value" line each, names in snake_case.
func resultText(r *cfverify.Result) string {
	policy := "custom"
	if r.Canned {
		policy = "canned"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "valid\nsource: %s\nkey_id: %s\nhash: %s\npolicy: %s\n",
		r.Source, r.KeyID, r.Hash, policy)
	fmt.Fprintf(&b, "resource: %s\nexpires_at: %s\n",
		r.Resource, r.Expires.UTC().Format(time.RFC3339))
	if !r.NotBefore.IsZero() {
		fmt.Fprintf(&b, "not_before: %s\n", r.NotBefore.UTC().Format(time.RFC3339))
	}
	if r.SourceIP.IsValid() {
		fmt.Fprintf(&b, "ip_range: %s\n", r.SourceIP)
	}
	return b.String()
}
