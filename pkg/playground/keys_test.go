package playground_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/playground"
)

func TestEnsureKeysCreatesOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	first, err := playground.EnsureKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join(dir, "dev.pem"), filepath.Join(dir, "dev.pub.pem"),
		filepath.Join(dir, "dev.secret"),
	}
	if !slices.Equal(first.Created, want) {
		t.Fatalf("EnsureKeys(%q).Created = %q, want %q", dir, first.Created, want)
	}
	for name, mode := range map[string]os.FileMode{
		"dev.pem": 0o600, "dev.pub.pem": 0o644, "dev.secret": 0o600,
	} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != mode {
			t.Errorf("mode of %s = %v, want %v", name, got, mode)
		}
	}
	if len(first.Secret) < 2*playground.SecretBytes {
		t.Errorf("secret is %d bytes, want %d", len(first.Secret), 2*playground.SecretBytes)
	}

	before := readAll(t, dir)
	second, err := playground.EnsureKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Created) != 0 {
		t.Errorf("second EnsureKeys(%q).Created = %q, want none", dir, second.Created)
	}
	if !bytes.Equal(second.Secret, first.Secret) {
		t.Error("second EnsureKeys returned another secret")
	}
	for name, data := range readAll(t, dir) {
		if !bytes.Equal(data, before[name]) {
			t.Errorf("EnsureKeys rewrote %s", name)
		}
	}
}

func TestEnsureKeysNeverOverwrites(t *testing.T) {
	t.Run("lone_public_key", func(t *testing.T) {
		dir := t.TempDir()
		pub := filepath.Join(dir, "dev.pub.pem")
		writeFile(t, pub, "not mine to replace\n", 0o644)
		_, err := playground.EnsureKeys(dir)
		if !errors.Is(err, cfsign.ErrKeyFileExists) {
			t.Errorf("EnsureKeys with only %s: %v, want ErrKeyFileExists", pub, err)
		}
		if got := readFile(t, pub); got != "not mine to replace\n" {
			t.Errorf("%s = %q after EnsureKeys", pub, got)
		}
	})
	t.Run("existing_secret", func(t *testing.T) {
		dir := t.TempDir()
		secret := "0123456789abcdef0123456789abcdef-mine"
		writeFile(t, filepath.Join(dir, "dev.secret"), secret+"\n", 0o600)
		k, err := playground.EnsureKeys(dir)
		if err != nil {
			t.Fatal(err)
		}
		if string(k.Secret) != secret {
			t.Errorf("EnsureKeys secret = %q, want %q", k.Secret, secret)
		}
	})
	t.Run("broken_private_key", func(t *testing.T) {
		dir := t.TempDir()
		priv := filepath.Join(dir, "dev.pem")
		writeFile(t, priv, "garbage\n", 0o600)
		if _, err := playground.EnsureKeys(dir); err == nil {
			t.Errorf("EnsureKeys with a broken %s succeeded", priv)
		}
		if got := readFile(t, priv); got != "garbage\n" {
			t.Errorf("%s = %q after EnsureKeys", priv, got)
		}
	})
}

func TestLoadSecret(t *testing.T) {
	tests := []struct {
		name    string
		content string // "" means no file
		want    error
	}{
		{"missing", "", playground.ErrNoDevSecret},
		{"too_short", "short\n", playground.ErrBadSecret},
		{"blank", "   \n", playground.ErrBadSecret},
		{"good", "0123456789abcdef0123456789abcdef\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.content != "" {
				writeFile(t, filepath.Join(dir, playground.SecretFile), tt.content, 0o600)
			}
			_, err := playground.LoadSecret(dir)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("LoadSecret(%q) = %v, want %v", tt.content, err, tt.want)
			}
		})
	}
}

func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string][]byte)
	for _, e := range entries {
		m[e.Name()] = []byte(readFile(t, filepath.Join(dir, e.Name())))
	}
	return m
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}
