package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

// keyDir holds one key pair per type, ecdsa.pem and rsa.pem with their
// .pub.pem halves, made once for all tests.
var keyDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "edgepass-cmd-test-")
	if err == nil {
		err = writeTestKeys(dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "set up test keys:", err)
		os.Exit(1)
	}
	keyDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func writeTestKeys(dir string) error {
	for _, t := range []cfsign.KeyType{cfsign.ECDSA, cfsign.RSA} {
		key, err := cfsign.GenerateKey(t)
		if err != nil {
			return err
		}
		if err := (cfsign.KeyFiles{Dir: dir, Name: string(t)}).Write(key); err != nil {
			return err
		}
	}
	return nil
}

func privateKey(typ string) string { return filepath.Join(keyDir, typ+".pem") }
func publicKey(typ string) string  { return filepath.Join(keyDir, typ+".pub.pem") }

// result is what one in-process run of edgepass produced.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
}

// edgepass runs the command line in-process, as main would.
func edgepass(args ...string) result {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// testNow is the time tests run at unless they move the clock.
var testNow = time.Date(2026, 12, 3, 20, 7, 12, 0, time.UTC)

// setClock makes the commands see t as the current time until the test
// ends. Tests that use it must not run in parallel.
func setClock(tb testing.TB, t time.Time) {
	tb.Helper()
	old := clock
	clock = func() time.Time { return t }
	tb.Cleanup(func() { clock = old })
}

func TestRunDispatch(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // a substring stdout must hold
		stderr     string // a substring stderr must hold
		quietOut   bool   // stdout must be empty
		quietError bool   // stderr must be empty
	}{
		{"no_args", nil, exitUsage, "", "usage: edgepass VERB", true, false},
		{"unknown_verb", []string{"sing"}, exitUsage, "",
			`edgepass: unknown command "sing"`, true, false},
		{"help", []string{"help"}, exitOK, "  verify ", "", false, true},
		{"dash_h", []string{"-h"}, exitOK, "  keygen ", "", false, true},
		{"help_verb", []string{"help", "keygen"}, exitOK,
			"usage: edgepass keygen --name NAME", "", false, true},
		{"help_sign", []string{"help", "sign"}, exitOK,
			"edgepass sign cookies: ", "", false, true},
		{"help_unknown", []string{"help", "sing"}, exitUsage, "",
			`edgepass help: unknown command "sing"`, true, false},
		{"help_two_verbs", []string{"help", "sign", "verify"}, exitUsage, "",
			"edgepass help: ", true, false},
		{"sign_alone", []string{"sign"}, exitUsage, "",
			"edgepass sign: want url or cookies", true, false},
		{"sign_unknown", []string{"sign", "header"}, exitUsage, "",
			"edgepass sign: want url or cookies", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := edgepass(tt.args...)
			switch {
			case r.code != tt.code,
				!strings.Contains(r.stdout, tt.stdout),
				!strings.Contains(r.stderr, tt.stderr),
				tt.quietOut && r.stdout != "",
				tt.quietError && r.stderr != "":
				t.Errorf("edgepass %q: %v; want exit %d, stdout with %q, stderr with %q",
					tt.args, r, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

// Every command's -h prints a description, a usage line and an example,
// on stdout, and exits 0.
func TestVerbHelp(t *testing.T) {
	names := []string{"sign url", "sign cookies"}
	for _, v := range verbs {
		if v.name != "sign" {
			names = append(names, v.name)
		}
	}
	for _, name := range names {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			r := edgepass(append(strings.Fields(name), "-h")...)
			for _, want := range []string{
				"edgepass " + name + ": ",
				"\nusage: edgepass " + name,
				"\nexample:\n  edgepass " + name,
			} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("edgepass %s -h: stdout %q lacks %q", name, r.stdout, want)
				}
			}
			if r.code != exitOK || r.stderr != "" {
				t.Errorf("edgepass %s -h: %v, want exit 0 and no stderr", name, r)
			}
		})
	}
}

// Every verb listed in the usage is one that dispatch runs.
func TestUsageListsVerbs(t *testing.T) {
	usage := edgepass("help").stdout
	for _, v := range verbs {
		if !strings.Contains(usage, "\n  "+v.name+" ") {
			t.Errorf("usage %q does not list %q", usage, v.name)
		}
		if v.summary == "" || strings.HasSuffix(v.summary, ".") {
			t.Errorf("summary of %q = %q, want one line without a period",
				v.name, v.summary)
		}
	}
}
