package cfsign_test

// Cross-checks against the signers CloudFront's users already trust: the
// npm package @aws-sdk/cloudfront-signer, Debian's python3-botocore and
// openssl. The reference signers live in testdata/crosscheck; `make deps`
// installs them. A test whose tool is missing skips, or fails with an
// install hint when EDGEPASS_REQUIRE_TOOLS=1, as `make test` sets it.

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/cfverify"
)

const (
	crosscheckDir = "testdata/crosscheck"
	npmPackage    = "@aws-sdk/cloudfront-signer"
	crossKeyID    = "K2JCJMDEHXQW5F"
	crossRSAKey   = "rsa2048.test.pem"
	crossECKey    = "ecp256.test.pem"

	// systemPython is Debian's interpreter, the one that sees
	// python3-botocore; a python3 found first on PATH may not.
	systemPython = "/usr/bin/python3"

	requireToolsEnv = "EDGEPASS_REQUIRE_TOOLS"
)

// crossExpires is the fixed expiry of every cross-checked policy, after
// crossNow, the verifier's clock.
var crossExpires = time.Unix(4102444800, 0) // 2100-01-01T00:00:00Z

// crossURLs are the URLs every reference signer signs.
var crossURLs = []struct{ name, url string }{
	{"plain", "https://d111111abcdef8.cloudfront.net/private/report.pdf"},
	{"query", "https://d111111abcdef8.cloudfront.net/private/image.jpg?size=large&v=2"},
	{"percent_encoded", "https://d111111abcdef8.cloudfront.net/private/" +
		"caf%C3%A9/r%C3%A9sum%C3%A9%20final.pdf"},
}

// crossWildcard is the resource of the custom policies that do not name
// one object.
const crossWildcard = "https://d111111abcdef8.cloudfront.net/private/*"

// missingTool skips t because a reference tool is not installed, or fails
// it when EDGEPASS_REQUIRE_TOOLS=1.
func missingTool(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...) + "; install the test tools with `make deps`"
	if os.Getenv(requireToolsEnv) == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// npmSigner returns the command line that runs sign.mjs, after checking
// that node and the pinned npm package are installed.
func npmSigner(t *testing.T) []string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		missingTool(t, "node not found (Debian packages nodejs and npm)")
	}
	pinned := readJSONField(t, filepath.Join(crosscheckDir, "package.json"),
		"dependencies", npmPackage)
	installed := filepath.Join(crosscheckDir, "node_modules", npmPackage, "package.json")
	if _, err := os.Stat(installed); err != nil {
		missingTool(t, "npm package %s is not installed in %s", npmPackage, crosscheckDir)
	}
	if got := readJSONField(t, installed, "version"); got != pinned {
		missingTool(t, "%s: %s %s is installed, package.json pins %s; run `npm ci` there",
			crosscheckDir, npmPackage, got, pinned)
	}
	return []string{node, filepath.Join(crosscheckDir, "sign.mjs")}
}

// botocoreSigner returns the command line that runs sign.py with
// Debian's python3, after checking that it imports what sign.py needs.
func botocoreSigner(t *testing.T) []string {
	t.Helper()
	check := exec.CommandContext(t.Context(), systemPython, "-c",
		"import botocore.signers, cryptography")
	if out, err := check.CombinedOutput(); err != nil {
		missingTool(t, "%s cannot import botocore and cryptography "+
			"(Debian packages python3-botocore and python3-cryptography): %v\n%s",
			systemPython, err, out)
	}
	return []string{systemPython, filepath.Join(crosscheckDir, "sign.py")}
}

// opensslPath returns the openssl command.
func opensslPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		missingTool(t, "openssl not found (Debian package openssl)")
	}
	return path
}

// readJSONField returns the string at path in the JSON object in file.
func readJSONField(t *testing.T, file string, path ...string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	for _, name := range path {
		obj, _ := v.(map[string]any)
		v = obj[name]
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%s: no string at %s", file, strings.Join(path, "."))
	}
	return s
}

// refRequest is one request to sign.mjs or sign.py.
type refRequest struct {
	Kind         string `json:"kind"`
	URL          string `json:"url,omitempty"`
	KeyPairID    string `json:"keyPairId"`
	PEM          string `json:"pem"`
	DateLessThan int64  `json:"dateLessThan,omitempty"`
	Policy       string `json:"policy,omitempty"`
	Hash         string `json:"hash"`
	// DateGreaterThan and IPAddress, without Policy, make the npm signer
	// build a custom policy itself.
	DateGreaterThan int64  `json:"dateGreaterThan,omitempty"`
	IPAddress       string `json:"ipAddress,omitempty"`
}

// refResult is a reference signer's answer to one refRequest.
type refResult struct {
	URL     string            `json:"url"`
	Cookies map[string]string `json:"cookies"`
	Error   string            `json:"error"`
}

// runReference signs reqs in one run of the reference signer argv.
func runReference(t *testing.T, argv []string, reqs []refRequest) []refResult {
	t.Helper()
	in, err := json.Marshal(reqs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), argv[0], argv[1:]...)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, stderr.Bytes())
	}
	var results []refResult
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("%s printed %q: %v", strings.Join(argv, " "), out, err)
	}
	if len(results) != len(reqs) {
		t.Fatalf("%s answered %d requests, want %d",
			strings.Join(argv, " "), len(results), len(reqs))
	}
	return results
}

// loadTestKey reads a key from testdata/crosscheck and returns its PEM
// text and the signer cfsign makes of it.
func loadTestKey(t *testing.T, name string) (string, crypto.Signer) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(crosscheckDir, name))
	if err != nil {
		t.Fatal(err)
	}
	key, err := cfsign.ParsePrivateKeyPEM(data)
	if err != nil {
		t.Fatalf("ParsePrivateKeyPEM(%s): %v", name, err)
	}
	return string(data), key
}

// newCrossSigner returns a signer holding key alone, as crossKeyID.
func newCrossSigner(t *testing.T, key crypto.Signer, hash string) *cfsign.Signer {
	t.Helper()
	ring, err := cfsign.NewKeyRing(cfsign.Key{ID: crossKeyID, Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	h, err := cfsign.ParseHash(hash)
	if err != nil {
		t.Fatal(err)
	}
	return cfsign.NewSigner(ring, cfsign.Options{Hash: h})
}

// crossCase is one URL or cookie set that edgepass and a reference signer
// both sign.
type crossCase struct {
	name   string
	kind   string         // "url" or "cookies"
	url    string         // the URL to sign, or the canned cookies' resource
	policy *cfsign.Policy // nil for a canned policy
	hash   string         // "sha1" or "sha256"
}

// crossCases returns, for each kind and hash, a canned policy and two
// custom ones (the exact URL; a wildcard with a start time and an IP
// range) for every URL in crossURLs.
func crossCases(kinds, hashes []string) []crossCase {
	var cases []crossCase
	for _, kind := range kinds {
		for _, hash := range hashes {
			for _, u := range crossURLs {
				for _, p := range crossPolicies(u.url) {
					cases = append(cases, crossCase{
						name:   strings.Join([]string{kind, p.name, hash, u.name}, "_"),
						kind:   kind,
						url:    u.url,
						policy: p.policy,
						hash:   hash,
					})
				}
			}
		}
	}
	return cases
}

// crossPolicies returns the policies crossCases signs rawURL under.
func crossPolicies(rawURL string) []struct {
	name   string
	policy *cfsign.Policy
} {
	return []struct {
		name   string
		policy *cfsign.Policy
	}{
		{"canned", nil},
		{"custom_exact", &cfsign.Policy{Resource: rawURL, Expires: crossExpires}},
		{"custom_conditions", &cfsign.Policy{
			Resource:  crossWildcard,
			Expires:   crossExpires,
			NotBefore: time.Unix(1767225600, 0), // 2026-01-01T00:00:00Z
			IPRange:   netip.MustParsePrefix("192.0.2.0/24"),
		}},
	}
}

// request returns the reference signer's request for c: a custom policy
// goes as the exact JSON bytes edgepass signs.
func (c crossCase) request(t *testing.T, privateKey string) refRequest {
	t.Helper()
	req := refRequest{
		Kind:      c.kind,
		URL:       c.url,
		KeyPairID: crossKeyID,
		PEM:       privateKey,
		Hash:      c.hash,
	}
	if c.policy == nil {
		req.DateLessThan = crossExpires.Unix()
		return req
	}
	policy, err := c.policy.JSON()
	if err != nil {
		t.Fatalf("Policy.JSON(): %v", err)
	}
	req.Policy = string(policy)
	return req
}

// sign returns what edgepass makes of c, in a reference signer's form.
func (c crossCase) sign(s *cfsign.Signer) (refResult, error) {
	var res refResult
	var err error
	var cookies []cfsign.Cookie
	switch {
	case c.kind == "url" && c.policy == nil:
		res.URL, err = s.CannedURL(c.url, crossExpires)
	case c.kind == "url":
		res.URL, err = s.CustomURL(c.url, *c.policy)
	case c.policy == nil:
		cookies, err = s.CannedCookies(c.url, crossExpires)
	default:
		cookies, err = s.CustomCookies(*c.policy)
	}
	if cookies != nil {
		res.Cookies = cookieMap(cookies)
	}
	return res, err
}

// cookieMap returns cookies by name; a repeated name keeps both values
// so that the comparison shows it.
func cookieMap(cookies []cfsign.Cookie) map[string]string {
	m := make(map[string]string, len(cookies))
	for _, c := range cookies {
		if old, ok := m[c.Name]; ok {
			m[c.Name] = old + " AND " + c.Value
			continue
		}
		m[c.Name] = c.Value
	}
	return m
}

// refSigningParams are the query parameters CloudFront reads a signature
// from.
var refSigningParams = []string{"Expires", "Policy", "Signature", "Key-Pair-Id",
	"Hash-Algorithm"}

// splitSigned splits a signed URL into the URL that was signed and its
// signing parameters, name=value each, in their order.
func splitSigned(signed string) (base string, params []string) {
	q := strings.IndexByte(signed, '?')
	if q < 0 {
		return signed, nil
	}
	pairs := strings.Split(signed[q+1:], "&")
	for i, pair := range pairs {
		name, _, _ := strings.Cut(pair, "=")
		if !slices.Contains(refSigningParams, name) {
			continue
		}
		if i == 0 {
			return signed[:q], pairs
		}
		return signed[:q+1] + strings.Join(pairs[:i], "&"), pairs[i:]
	}
	return signed, nil
}

// TestMatchesNPMSigner signs URLs and cookies, canned and custom, SHA-1
// and SHA-256, with the same RSA key as @aws-sdk/cloudfront-signer and
// compares the results. The npm signer puts Key-Pair-Id before Signature,
// so its URLs are compared as the signed URL and each signing parameter,
// byte for byte, in any order.
func TestMatchesNPMSigner(t *testing.T) {
	argv := npmSigner(t)
	cases := crossCases([]string{"url", "cookies"}, []string{"sha1", "sha256"})
	checkAgainstReference(t, argv, cases, false)
}

// TestMatchesBotocoreSigner compares canned and custom SHA-1 URLs with
// those of botocore's CloudFrontSigner, byte for byte. botocore signs
// neither cookies nor SHA-256.
func TestMatchesBotocoreSigner(t *testing.T) {
	argv := botocoreSigner(t)
	cases := crossCases([]string{"url"}, []string{"sha1"})
	checkAgainstReference(t, argv, cases, true)
}

// checkAgainstReference signs cases with edgepass and with the reference
// signer argv, using the RSA test key, and compares them; exactOrder
// requires the signing parameters in the reference's order too.
func checkAgainstReference(t *testing.T, argv []string, cases []crossCase,
	exactOrder bool) {
	pemText, key := loadTestKey(t, crossRSAKey)
	reqs := make([]refRequest, len(cases))
	for i, c := range cases {
		reqs[i] = c.request(t, pemText)
	}
	results := runReference(t, argv, reqs)
	signers := map[string]*cfsign.Signer{
		"sha1":   newCrossSigner(t, key, "sha1"),
		"sha256": newCrossSigner(t, key, "sha256"),
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := results[i]
			if want.Error != "" {
				t.Fatalf("reference signer refused %s: %s", c.name, want.Error)
			}
			got, err := c.sign(signers[c.hash])
			if err != nil {
				t.Fatalf("edgepass refused %s: %v", c.name, err)
			}
			if c.kind == "cookies" {
				if diff := cmp.Diff(want.Cookies, got.Cookies); diff != "" {
					t.Errorf("cookies differ (-reference +edgepass):\n%s", diff)
				}
				return
			}
			compareSignedURL(t, got.URL, want.URL, exactOrder)
		})
	}
}

// compareSignedURL reports how got differs from want: in the URL that was
// signed, in a signing parameter, or, when exactOrder is set, anywhere.
func compareSignedURL(t *testing.T, got, want string, exactOrder bool) {
	t.Helper()
	if got == want {
		return
	}
	gotBase, gotParams := splitSigned(got)
	wantBase, wantParams := splitSigned(want)
	if gotBase != wantBase {
		t.Errorf("signed URL base = %q, want %q", gotBase, wantBase)
	}
	slices.Sort(gotParams)
	slices.Sort(wantParams)
	if diff := cmp.Diff(wantParams, gotParams); diff != "" {
		t.Errorf("signing parameters differ (-reference +edgepass):\n%s", diff)
	}
	if exactOrder && !t.Failed() {
		t.Errorf("signed URL = %q, want %q (parameter order differs)", got, want)
	}
}

// crossNow is the verifier's clock: after every start time and before
// every expiry the cross-checks sign with.
var crossNow = time.Unix(1798761600, 0) // 2027-01-01T00:00:00Z

// crossClientIP is the viewer address the cross-checks verify for; it
// lies inside the custom policies' IP range.
var crossClientIP = netip.MustParseAddr("192.0.2.10")

// crossVerifier returns a verifier that trusts pub as crossKeyID.
func crossVerifier(pub crypto.PublicKey) *cfverify.Verifier {
	return &cfverify.Verifier{
		Keys: map[string]crypto.PublicKey{crossKeyID: pub},
		Now:  func() time.Time { return crossNow },
	}
}

// otherHash returns the hash a signature made with hash is not made with.
func otherHash(hash string) string {
	if hash == "sha1" {
		return "sha256"
	}
	return "sha1"
}

// writeFile writes data to name in dir and returns its path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestECDSASignatureVerifiesWithOpenSSL takes the policy and signature out
// of edgepass's ECDSA URLs and has `openssl dgst -verify` check them with
// the hash the URL claims, and refuse them with the other hash.
func TestECDSASignatureVerifiesWithOpenSSL(t *testing.T) {
	openssl := opensslPath(t)
	_, key := loadTestKey(t, crossECKey)
	dir := t.TempDir()
	pubPEM, err := cfsign.MarshalPublicKeyPEM(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	pub := writeFile(t, dir, "pub.pem", pubPEM)
	for _, c := range crossCases([]string{"url"}, []string{"sha1", "sha256"}) {
		t.Run(c.name, func(t *testing.T) {
			signed, err := c.sign(newCrossSigner(t, key, c.hash))
			if err != nil {
				t.Fatalf("edgepass refused %s: %v", c.name, err)
			}
			policy, sig := policyAndSignature(t, c, signed.URL)
			policyFile := writeFile(t, dir, c.name+".json", policy)
			sigFile := writeFile(t, dir, c.name+".der", sig)
			verify := func(hash string) ([]byte, error) {
				return exec.CommandContext(t.Context(), openssl, "dgst", "-"+hash,
					"-verify", pub, "-signature", sigFile, policyFile).CombinedOutput()
			}
			if out, err := verify(c.hash); err != nil {
				t.Errorf("openssl dgst -%s -verify %s: %v\n%s", c.hash, signed.URL, err, out)
			}
			if out, err := verify(otherHash(c.hash)); err == nil {
				t.Errorf("openssl dgst -%s -verify accepted a %s signature:\n%s",
					otherHash(c.hash), c.hash, out)
			}
		})
	}
}

// policyAndSignature returns the policy bytes signed URL signed stands
// for and its decoded signature. A canned policy is rebuilt from the URL
// the way CloudFront does.
func policyAndSignature(t *testing.T, c crossCase, signed string) ([]byte, []byte) {
	t.Helper()
	_, pairs := splitSigned(signed)
	params := make(url.Values)
	for _, pair := range pairs {
		name, value, _ := strings.Cut(pair, "=")
		params.Add(name, value)
	}
	sig, err := cfsign.Decode(params.Get("Signature"))
	if err != nil {
		t.Fatalf("decode Signature of %s: %v", signed, err)
	}
	if c.policy == nil {
		return cannedPolicyText(c.url, params.Get("Expires")), sig
	}
	policy, err := cfsign.Decode(params.Get("Policy"))
	if err != nil {
		t.Fatalf("decode Policy of %s: %v", signed, err)
	}
	return policy, sig
}

// cannedPolicyText returns the canned policy CloudFront rebuilds for
// resource and an Expires value, written out here rather than taken from
// cfsign so that the two are checked against each other.
func cannedPolicyText(resource, expires string) []byte {
	return []byte(`{"Statement":[{"Resource":"` + resource +
		`","Condition":{"DateLessThan":{"AWS:EpochTime":` + expires + `}}}]}`)
}

// cloudFrontBase64 encodes b the way CloudFront expects, independently of
// cfsign.
func cloudFrontBase64(b []byte) string {
	return strings.NewReplacer("+", "-", "=", "_", "/", "~").
		Replace(base64.StdEncoding.EncodeToString(b))
}

// TestOpenSSLSignatureVerifiesWithCfverify signs canned and custom
// policies with `openssl dgst -sign` and an ECDSA key, builds URLs and
// cookies from the signatures by hand, and checks that cfverify accepts
// them with the right hash flag and refuses them with the wrong one.
func TestOpenSSLSignatureVerifiesWithCfverify(t *testing.T) {
	openssl := opensslPath(t)
	keyFile := filepath.Join(crosscheckDir, crossECKey)
	pubPEM, err := exec.CommandContext(t.Context(), openssl,
		"pkey", "-in", keyFile, "-pubout").Output()
	if err != nil {
		t.Fatalf("openssl pkey -pubout: %v", err)
	}
	pub, err := cfverify.ParsePublicKeyPEM(pubPEM)
	if err != nil {
		t.Fatalf("ParsePublicKeyPEM(openssl's public key): %v", err)
	}
	v := crossVerifier(pub)
	dir := t.TempDir()
	const target = "https://d111111abcdef8.cloudfront.net/private/caf%C3%A9/a.jpg?v=2"
	expires := strconv.FormatInt(crossExpires.Unix(), 10)
	policies := []struct {
		name, param, value string
		policy             []byte
	}{
		{"canned", "Expires", expires, cannedPolicyText(target, expires)},
		{"custom", "Policy", "", []byte(`{"Statement":[{"Resource":"` + crossWildcard +
			`","Condition":{"DateLessThan":{"AWS:EpochTime":` + expires + `}}}]}`)},
	}
	for _, hash := range []string{"sha1", "sha256"} {
		for _, p := range policies {
			name := p.name + "_" + hash
			policyFile := writeFile(t, dir, name+".json", p.policy)
			sig, err := exec.CommandContext(t.Context(), openssl,
				"dgst", "-"+hash, "-sign", keyFile, policyFile).Output()
			if err != nil {
				t.Fatalf("openssl dgst -%s -sign: %v", hash, err)
			}
			value := p.value
			if value == "" {
				value = cloudFrontBase64(p.policy)
			}
			values := [][2]string{{p.param, value}, {"Signature", cloudFrontBase64(sig)},
				{"Key-Pair-Id", crossKeyID}}
			t.Run("url_"+name, func(t *testing.T) {
				checkOpenSSLURL(t, v, target, values, hash)
			})
			t.Run("cookies_"+name, func(t *testing.T) {
				checkOpenSSLCookies(t, v, target, values, hash)
			})
		}
	}
}

// hashFlag returns the Hash-Algorithm value that claims hash, or "" for
// SHA-1, which CloudFront assumes when the flag is absent.
func hashFlag(hash string) string {
	if hash == "sha256" {
		return "SHA256"
	}
	return ""
}

// checkOpenSSLURL appends values and a hash flag to target, and checks
// that cfverify accepts the URL when the flag claims hash and refuses it,
// for the wrong hash, when the flag claims the other one.
func checkOpenSSLURL(t *testing.T, v *cfverify.Verifier, target string,
	values [][2]string, hash string) {
	t.Helper()
	build := func(flag string) string {
		var b strings.Builder
		b.WriteString(target)
		for _, nv := range values {
			b.WriteString("&" + nv[0] + "=" + nv[1])
		}
		if flag != "" {
			b.WriteString("&Hash-Algorithm=" + flag)
		}
		return b.String()
	}
	signed := build(hashFlag(hash))
	res, err := v.VerifyURL(signed, crossClientIP)
	if err != nil {
		t.Fatalf("VerifyURL(%q) = %v, want nil", signed, err)
	}
	if res.Hash != hash {
		t.Errorf("VerifyURL(%q).Hash = %q, want %q", signed, res.Hash, hash)
	}
	wrong := build(hashFlag(otherHash(hash)))
	_, err = v.VerifyURL(wrong, crossClientIP)
	if !errors.Is(err, cfverify.ErrHashAlgorithm) {
		t.Errorf("VerifyURL(%q) = %v, want %v", wrong, err, cfverify.ErrHashAlgorithm)
	}
}

// checkOpenSSLCookies is checkOpenSSLURL for the same values sent as
// CloudFront-* cookies with a request for target.
func checkOpenSSLCookies(t *testing.T, v *cfverify.Verifier, target string,
	values [][2]string, hash string) {
	t.Helper()
	build := func(flag string) map[string]string {
		cookies := make(map[string]string, len(values)+1)
		for _, nv := range values {
			cookies["CloudFront-"+nv[0]] = nv[1]
		}
		if flag != "" {
			cookies["CloudFront-Hash-Algorithm"] = flag
		}
		return cookies
	}
	cookies := build(hashFlag(hash))
	res, err := v.VerifyCookies(target, cookies, crossClientIP)
	if err != nil {
		t.Fatalf("VerifyCookies(%q, %v) = %v, want nil", target, cookies, err)
	}
	if res.Hash != hash {
		t.Errorf("VerifyCookies(%q, %v).Hash = %q, want %q", target, cookies, res.Hash, hash)
	}
	wrong := build(hashFlag(otherHash(hash)))
	_, err = v.VerifyCookies(target, wrong, crossClientIP)
	if !errors.Is(err, cfverify.ErrHashAlgorithm) {
		t.Errorf("VerifyCookies(%q, %v) = %v, want %v",
			target, wrong, err, cfverify.ErrHashAlgorithm)
	}
}

// TestNPMECDSAVerifiesWithCfverify gives the npm signer the ECDSA test key,
// which it accepts (it signs with whatever key type node:crypto is given,
// with a random nonce), and checks that cfverify accepts every URL and
// cookie set it makes.
func TestNPMECDSAVerifiesWithCfverify(t *testing.T) {
	argv := npmSigner(t)
	pemText, key := loadTestKey(t, crossECKey)
	v := crossVerifier(key.Public())
	cases := crossCases([]string{"url", "cookies"}, []string{"sha1", "sha256"})
	reqs := make([]refRequest, len(cases))
	for i, c := range cases {
		reqs[i] = c.request(t, pemText)
	}
	results := runReference(t, argv, reqs)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := results[i]
			if res.Error != "" {
				t.Fatalf("npm signer refused an ECDSA key for %s: %s", c.name, res.Error)
			}
			var got *cfverify.Result
			var err error
			if c.kind == "url" {
				got, err = v.VerifyURL(res.URL, crossClientIP)
			} else {
				got, err = v.VerifyCookies(c.url, res.Cookies, crossClientIP)
			}
			if err != nil {
				t.Fatalf("verify npm's %s %v: %v", c.kind, res, err)
			}
			if got.Hash != c.hash || got.Canned != (c.policy == nil) {
				t.Errorf("verify npm's %s: hash %q, canned %t; want %q, %t",
					c.kind, got.Hash, got.Canned, c.hash, c.policy == nil)
			}
		})
	}
}

// TestNPMCustomPoliciesVerifyWithCfverify lets the npm signer build custom
// policies itself, from a start time and an IP range, and checks that
// cfverify accepts each URL and cookie set with exactly those conditions.
// Its JSON differs from edgepass's in key order (npm writes DateLessThan
// first; edgepass, like the Go SDK's types and AWS's own example signed
// URL, writes IpAddress, DateGreaterThan, DateLessThan), and CloudFront
// parses custom policies, so this tests the verifier against a policy
// writer that is not ours.
func TestNPMCustomPoliciesVerifyWithCfverify(t *testing.T) {
	argv := npmSigner(t)
	pemText, key := loadTestKey(t, crossRSAKey)
	v := crossVerifier(key.Public())
	start := crossNow.Add(-24 * time.Hour)
	const object = "https://d111111abcdef8.cloudfront.net/private/image.jpg?size=large"
	var reqs []refRequest
	for _, kind := range []string{"url", "cookies"} {
		for _, hash := range []string{"sha1", "sha256"} {
			reqs = append(reqs, refRequest{
				Kind: kind, URL: object, KeyPairID: crossKeyID, PEM: pemText,
				DateLessThan: crossExpires.Unix(), Hash: hash,
				DateGreaterThan: start.Unix(), IPAddress: "192.0.2.0/24",
			})
		}
	}
	results := runReference(t, argv, reqs)
	for i, req := range reqs {
		t.Run(req.Kind+"_"+req.Hash, func(t *testing.T) {
			res := results[i]
			if res.Error != "" {
				t.Fatalf("npm signer refused %+v: %s", req, res.Error)
			}
			var got *cfverify.Result
			var err error
			if req.Kind == "url" {
				got, err = v.VerifyURL(res.URL, crossClientIP)
			} else {
				got, err = v.VerifyCookies(object, res.Cookies, crossClientIP)
			}
			if err != nil {
				t.Fatalf("verify npm's %s: %v", req.Kind, err)
			}
			if got.Canned || got.Hash != req.Hash || got.Resource != object ||
				!got.NotBefore.Equal(start) || got.SourceIP.String() != "192.0.2.0/24" ||
				!got.Expires.Equal(crossExpires) {
				t.Errorf("verify npm's %s = %+v, want a custom %s policy for %s "+
					"from %s, 192.0.2.0/24, until %s", req.Kind, got, req.Hash, object,
					start, crossExpires)
			}
			// Outside its range the same policy is refused.
			outside := netip.MustParseAddr("198.51.100.7")
			if req.Kind == "url" {
				_, err = v.VerifyURL(res.URL, outside)
			} else {
				_, err = v.VerifyCookies(object, res.Cookies, outside)
			}
			if !errors.Is(err, cfverify.ErrIPNotAllowed) {
				t.Errorf("npm's %s from %s: %v, want ErrIPNotAllowed", req.Kind, outside, err)
			}
		})
	}
}
