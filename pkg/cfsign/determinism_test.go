package cfsign_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

// The environment that turns this test binary, started again by
// TestSigningIsDeterministicAcrossProcesses, into a process that prints
// what it signs with one key file and hash.
const (
	detKeyEnv  = "EDGEPASS_DETERMINISM_KEY"  // private key PEM file
	detHashEnv = "EDGEPASS_DETERMINISM_HASH" // "sha1" or "sha256"
)

// Markers around a child's output, apart from what the testing package
// prints itself.
const (
	detBegin = "--- edgepass signed output ---\n"
	detEnd   = "--- end of signed output ---\n"
)

// What every process signs.
const (
	detKeyID = "KDETERMINISM01"
	detURL   = "https://d111111abcdef8.cloudfront.net/private/videos/intro.mp4?q=hd"
)

var (
	detExpires = time.Unix(1893456000, 0) // 2030-01-01T00:00:00Z
	detPolicy  = cfsign.Policy{
		Resource:  "https://d111111abcdef8.cloudfront.net/private/videos/*",
		Expires:   detExpires,
		NotBefore: time.Unix(1767225600, 0),
		IPRange:   netip.MustParsePrefix("198.51.100.0/24"),
	}
)

// TestSigningIsDeterministicAcrossProcesses signs the same URLs and
// cookies in this process and in two fresh runs of the test binary, with
// new RSA and ECDSA keys and both hashes, and requires the same bytes
// from all three: replicas behind a load balancer must mint identical
// URLs.
func TestSigningIsDeterministicAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	for _, kt := range []cfsign.KeyType{cfsign.RSA, cfsign.ECDSA} {
		keyFile := writeNewKey(t, dir, kt)
		for _, hash := range []string{"sha1", "sha256"} {
			t.Run(string(kt)+"_"+hash, func(t *testing.T) {
				want, err := detSignedOutput(keyFile, hash)
				if err != nil {
					t.Fatal(err)
				}
				for i := range 2 {
					if got := runDeterminismChild(t, keyFile, hash); got != want {
						t.Errorf("child %d printed\n%s\nwant, as signed in the parent,\n%s",
							i+1, got, want)
					}
				}
			})
		}
	}
}

// TestDeterminismChild is the child side of
// TestSigningIsDeterministicAcrossProcesses; run directly, it skips.
func TestDeterminismChild(t *testing.T) {
	keyFile := os.Getenv(detKeyEnv)
	if keyFile == "" {
		t.Skip("runs only as a child of TestSigningIsDeterministicAcrossProcesses")
	}
	out, err := detSignedOutput(keyFile, os.Getenv(detHashEnv))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Print(detBegin + out + detEnd)
}

// writeNewKey generates a key of type kt and writes it to dir as PEM.
func writeNewKey(t *testing.T, dir string, kt cfsign.KeyType) string {
	t.Helper()
	key, err := cfsign.GenerateKey(kt)
	if err != nil {
		t.Fatal(err)
	}
	data, err := cfsign.MarshalPrivateKeyPEM(key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, string(kt)+".pem")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runDeterminismChild runs this test binary as TestDeterminismChild and
// returns what it signed.
func runDeterminismChild(t *testing.T, keyFile, hash string) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), self,
		"-test.run=^TestDeterminismChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), detKeyEnv+"="+keyFile, detHashEnv+"="+hash)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child %s: %v\n%s%s", cmd, err, out, stderr.Bytes())
	}
	_, rest, ok := strings.Cut(string(out), detBegin)
	signed, _, ok2 := strings.Cut(rest, detEnd)
	if !ok || !ok2 {
		t.Fatalf("child %s printed no signed output:\n%s", cmd, out)
	}
	return signed
}

// detSignedOutput loads keyFile afresh and returns a canned and a custom
// URL and cookie set, one per line, signed with it and hash.
func detSignedOutput(keyFile, hash string) (string, error) {
	key, err := cfsign.LoadPrivateKeyFile(keyFile)
	if err != nil {
		return "", err
	}
	h, err := cfsign.ParseHash(hash)
	if err != nil {
		return "", err
	}
	ring, err := cfsign.NewKeyRing(cfsign.Key{ID: detKeyID, Signer: key})
	if err != nil {
		return "", err
	}
	s := cfsign.NewSigner(ring, cfsign.Options{Hash: h})
	steps := []func() (string, error){
		func() (string, error) { return s.CannedURL(detURL, detExpires) },
		func() (string, error) { return s.CustomURL(detURL, detPolicy) },
		func() (string, error) { return cookieLines(s.CannedCookies(detURL, detExpires)) },
		func() (string, error) { return cookieLines(s.CustomCookies(detPolicy)) },
	}
	var b strings.Builder
	for _, step := range steps {
		line, err := step()
		if err != nil {
			return "", err
		}
		b.WriteString(line + "\n")
	}
	return b.String(), nil
}

// cookieLines joins cookies as name=value pairs separated by "; ".
func cookieLines(cookies []cfsign.Cookie, err error) (string, error) {
	if err != nil {
		return "", err
	}
	pairs := make([]string, len(cookies))
	for i, c := range cookies {
		pairs[i] = c.Name + "=" + c.Value
	}
	return strings.Join(pairs, "; "), nil
}
