package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/cfverify"
)

const signFlagsUsage = "--key-id ID --key FILE (--expires DURATION | --until TIME)" +
	" [--hash sha256|sha1] [--not-before TIME] [--ip CIDR] [--window DURATION] [--json]"

var signURLHelp = help{
	name: "sign url",
	summary: "sign one URL: a canned policy, or a custom one when" +
		" --policy-resource, --not-before or --ip is given",
	usage: "URL " + signFlagsUsage + " [--policy-resource RESOURCE]",
	example: "edgepass sign url https://d111111abcdef8.cloudfront.net/private/a.jpg" +
		" --key-id K2JCJMDEHXQW5F --key keys/edgepass-2026-12.pem --expires 1h --window 15m",
}

var signCookiesHelp = help{
	name: "sign cookies",
	summary: "sign cookies for RESOURCE: a canned policy, or a custom one when" +
		" RESOURCE holds * or --not-before or --ip is given",
	usage: "RESOURCE " + signFlagsUsage,
	example: "edgepass sign cookies 'https://d111111abcdef8.cloudfront.net/private/alice/*'" +
		" --key-id K2JCJMDEHXQW5F --key keys/edgepass-2026-12.pem --expires 8h",
}

// runSign dispatches to "sign url" and "sign cookies".
func runSign(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "url":
			return runSignURL(args[1:], stdout, stderr)
		case "cookies":
			return runSignCookies(args[1:], stdout, stderr)
		case "-h", "-help", "--help":
			u, _ := newSignCommand(signURLHelp, stdout, stderr)
			c, _ := newSignCommand(signCookiesHelp, stdout, stderr)
			return u.emit(u.helpText() + "\n" + c.helpText())
		}
	}
	report(stderr, "edgepass sign: want url or cookies\n"+
		"usage: edgepass sign url "+signURLHelp.usage+"\n"+
		"       edgepass sign cookies "+signCookiesHelp.usage+"\n")
	return exitUsage
}

func runSignURL(args []string, stdout, stderr io.Writer) int {
	c, f := newSignCommand(signURLHelp, stdout, stderr)
	if code, ok := f.parse(c, args); !ok {
		return code
	}
	s, err := f.signer()
	if err != nil {
		return c.fail(err)
	}

	var signed string
	if f.custom() {
		resource := cmp.Or(f.resource, f.arg)
		// CloudFront refuses every request for a URL its policy does not
		// cover: such a URL is never worth printing.
		if !cfverify.MatchResource(resource, f.arg) {
			return c.fail(fmt.Errorf("--policy-resource %q does not cover %q;"+
				" CloudFront would refuse every request", resource, f.arg))
		}
		signed, err = s.CustomURL(f.arg, f.policy(resource))
	} else {
		signed, err = s.CannedURL(f.arg, f.expires)
	}
	if err != nil {
		return c.fail(err)
	}

	if f.json {
		return c.emitJSON(signedURL{URL: signed, ExpiresAt: f.expires})
	}
	return c.emit(signed + "\n")
}

// signedURL is the --json output of "sign url".
type signedURL struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

func runSignCookies(args []string, stdout, stderr io.Writer) int {
	c, f := newSignCommand(signCookiesHelp, stdout, stderr)
	if code, ok := f.parse(c, args); !ok {
		return code
	}
	s, err := f.signer()
	if err != nil {
		return c.fail(err)
	}

	var cookies []cfsign.Cookie
	if f.custom() || strings.Contains(f.arg, "*") {
		cookies, err = s.CustomCookies(f.policy(f.arg))
	} else {
		cookies, err = s.CannedCookies(f.arg, f.expires)
	}
	if err != nil {
		return c.fail(err)
	}

	if f.json {
		out := signedCookies{ExpiresAt: f.expires, Cookies: []cookieJSON{}}
		for _, ck := range cookies {
			out.Cookies = append(out.Cookies, cookieJSON(ck))
		}
		return c.emitJSON(out)
	}
	var lines strings.Builder
	for _, ck := range cookies {
		lines.WriteString(ck.Name + "=" + ck.Value + "\n")
	}
	return c.emit(lines.String())
}

// signedCookies is the --json output of "sign cookies".
type signedCookies struct {
	ExpiresAt time.Time    `json:"expires_at"`
	Cookies   []cookieJSON `json:"cookies"`
}

type cookieJSON struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// signFlags are the flags of "sign url" and "sign cookies", and what
// parse made of them.
type signFlags struct {
	keyID, keyFile   string
	expiresIn        time.Duration
	until, notBefore timeValue
	window           time.Duration
	hash             hashValue
	ip               ipRangeValue
	resource         string // --policy-resource, "sign url" only
	json             bool

	arg     string    // the URL or resource
	expires time.Time // the expiry, from --expires or --until
}

func newSignCommand(h help, stdout, stderr io.Writer) (*command, *signFlags) {
	c := newCommand(h, stdout, stderr)
	f := &signFlags{}
	fs := c.flags
	fs.StringVar(&f.keyID, "key-id", "",
		"CloudFront public key `ID` of the key pair (required)")
	fs.StringVar(&f.keyFile, "key", "", "private key PEM `FILE` (required)")
	fs.DurationVar(&f.expiresIn, "expires", 0,
		"lifetime from now, a `DURATION` such as 30m or 8h (this or --until)")
	fs.Var(&f.until, "until",
		"expiry, an RFC 3339 `TIME` such as 2026-12-31T23:00:00Z (this or --expires)")
	fs.Var(&f.hash, "hash", "`HASH` to sign with: sha256 or sha1")
	fs.Var(&f.notBefore, "not-before",
		"RFC 3339 `TIME` before which the signature is refused (custom policy)")
	fs.Var(&f.ip, "ip",
		"IPv4 address or `CIDR` block viewers must come from (custom policy)")
	fs.DurationVar(&f.window, "window", 0, "round the expiry of --expires up to a"+
		" multiple of this `DURATION` since the Unix epoch, so that runs within"+
		" one window sign the same bytes (default 0: whole seconds)")
	fs.BoolVar(&f.json, "json", false,
		"print JSON with the expiry instead of plain text")
	if h.name == signURLHelp.name {
		fs.StringVar(&f.resource, "policy-resource", "", "`RESOURCE` the custom"+
			" policy covers, may hold * and ? (default: the URL itself)")
	}
	return c, f
}

// parse parses and checks the command line and works out the expiry.
func (f *signFlags) parse(c *command, args []string) (code int, ok bool) {
	pos, code, ok := c.parse(args)
	if !ok {
		return code, false
	}
	if len(pos) != 1 {
		return c.misuse("want one %s, got %d arguments",
			strings.Fields(c.usage)[0], len(pos)), false
	}
	f.arg = pos[0]
	if err := f.check(c.flags); err != nil {
		return c.misuse("%v", err), false
	}
	if f.until.t.IsZero() {
		f.expires = cfsign.Expiry(clock(), f.expiresIn, f.window)
		return exitOK, true
	}
	if !f.until.t.After(clock()) {
		return c.misuse("--until %s is not in the future", &f.until), false
	}
	f.expires = f.until.t.UTC()
	return exitOK, true
}

// check reports what is wrong with the combination of flags.
func (f *signFlags) check(fs *flag.FlagSet) error {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	switch {
	case f.keyID == "":
		return errors.New("--key-id is required")
	case f.keyFile == "":
		return errors.New("--key is required")
	case set["expires"] && set["until"]:
		return errors.New("give --expires or --until, not both")
	case !set["expires"] && !set["until"]:
		return errors.New("--expires or --until is required")
	case set["expires"] && f.expiresIn <= 0:
		return fmt.Errorf("--expires %s: want a positive duration", f.expiresIn)
	case f.window < 0:
		return fmt.Errorf("--window %s: want zero or a positive duration", f.window)
	case set["window"] && set["until"]:
		return errors.New("--window rounds --expires; with --until give the exact time")
	}
	return nil
}

// custom reports whether a flag asks for a custom policy.
func (f *signFlags) custom() bool {
	return f.resource != "" || !f.notBefore.t.IsZero() || f.ip.p.IsValid()
}

func (f *signFlags) policy(resource string) cfsign.Policy {
	return cfsign.Policy{
		Resource:  resource,
		Expires:   f.expires,
		NotBefore: f.notBefore.t,
		IPRange:   f.ip.p,
	}
}

func (f *signFlags) signer() (*cfsign.Signer, error) {
	key, err := cfsign.LoadPrivateKeyFile(f.keyFile)
	if err != nil {
		return nil, err
	}
	ring, err := cfsign.NewKeyRing(cfsign.Key{ID: f.keyID, Signer: key})
	if err != nil {
		return nil, err
	}
	return cfsign.NewSigner(ring, cfsign.Options{Hash: f.hash.h}), nil
}
