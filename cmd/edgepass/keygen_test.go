package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

func TestKeygen(t *testing.T) {
	tests := []struct {
		name  string
		flags []string
		isRSA bool
	}{
		{"default_ecdsa", nil, false},
		{"ecdsa", []string{"--type", "ecdsa"}, false},
		{"rsa", []string{"--type", "rsa"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys")
			args := append([]string{"keygen", "--name", "edge", "--dir", dir}, tt.flags...)
			r := edgepass(args...)
			pub := filepath.Join(dir, "edge.pub.pem")
			if r.code != exitOK || r.stdout != pub+"\n" {
				t.Fatalf("edgepass %q: %v; want exit 0 and stdout %q", args, r, pub+"\n")
			}
			if !strings.Contains(r.stderr, "upload "+pub+" to CloudFront") {
				t.Errorf("edgepass %q: stderr %q does not say to upload %s", args, r.stderr, pub)
			}
			checkMode(t, filepath.Join(dir, "edge.pem"), 0o600)
			checkMode(t, pub, 0o644)

			key, err := cfsign.LoadPrivateKeyFile(filepath.Join(dir, "edge.pem"))
			if err != nil {
				t.Fatal(err)
			}
			if _, gotRSA := key.(*rsa.PrivateKey); gotRSA != tt.isRSA {
				t.Errorf("edgepass %q wrote a %T", args, key)
			}
			if _, isEC := key.(*ecdsa.PrivateKey); isEC == tt.isRSA {
				t.Errorf("edgepass %q wrote a %T", args, key)
			}
		})
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("mode of %s = %v, want %v", path, got, want)
	}
}

func TestKeygenRefusesOverwrite(t *testing.T) {
	dir := t.TempDir()
	args := []string{"keygen", "--name", "edge", "--dir", dir}
	if r := edgepass(args...); r.code != exitOK {
		t.Fatalf("edgepass %q: %v", args, r)
	}
	priv := filepath.Join(dir, "edge.pem")
	first, _ := os.ReadFile(priv)

	r := edgepass(args...)
	want := "edgepass keygen: key file already exists: " + priv
	if r.code != exitFail || r.stdout != "" || !strings.HasPrefix(r.stderr, want) ||
		!strings.Contains(r.stderr, "--force") {
		t.Errorf("edgepass %q again: %v; want exit 1 and stderr %q naming --force",
			args, r, want)
	}
	if again, _ := os.ReadFile(priv); !bytes.Equal(again, first) {
		t.Errorf("edgepass %q again changed %s", args, priv)
	}

	// --force replaces the key and keeps the file private.
	if err := os.Chmod(priv, 0o644); err != nil {
		t.Fatal(err)
	}
	force := append(args, "--force")
	if r := edgepass(force...); r.code != exitOK {
		t.Fatalf("edgepass %q: %v", force, r)
	}
	if forced, _ := os.ReadFile(priv); bytes.Equal(forced, first) {
		t.Errorf("edgepass %q left %s as it was", force, priv)
	}
	checkMode(t, priv, 0o600)
}
