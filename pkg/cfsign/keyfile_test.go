package cfsign_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"testing"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

func fileMode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func TestKeyFilesWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	files := cfsign.KeyFiles{Dir: dir, Name: "edge-2026.12"}
	key := loadKey(t, "p256.test.pem")
	if err := files.Write(key); err != nil {
		t.Fatal(err)
	}

	for path, want := range map[string]fs.FileMode{
		dir:                 cfsign.KeyDirMode,
		files.PrivatePath(): cfsign.PrivateKeyMode,
		files.PublicPath():  cfsign.PublicKeyMode,
	} {
		if got := fileMode(t, path); got != want {
			t.Errorf("mode of %s = %v, want %v", path, got, want)
		}
	}

	// What was written loads back as the same key pair.
	back, err := cfsign.LoadPrivateKeyFile(files.PrivatePath())
	if err != nil {
		t.Fatal(err)
	}
	pub, err := os.ReadFile(files.PublicPath())
	if err != nil {
		t.Fatal(err)
	}
	wantPub, _ := cfsign.MarshalPublicKeyPEM(key.Public())
	if !bytes.Equal(pub, wantPub) {
		t.Errorf("public key file = %q, want %q", pub, wantPub)
	}
	if gotPub, _ := cfsign.MarshalPublicKeyPEM(back.Public()); !bytes.Equal(gotPub, wantPub) {
		t.Errorf("private key file holds public key %q, want %q", gotPub, wantPub)
	}
}

func TestKeyFilesWriteRefusesOverwrite(t *testing.T) {
	for _, existing := range []string{"a.pem", "a.pub.pem"} {
		t.Run(existing, func(t *testing.T) {
			dir := t.TempDir()
			old := []byte("old\n")
			if err := os.WriteFile(filepath.Join(dir, existing), old, 0o644); err != nil {
				t.Fatal(err)
			}
			files := cfsign.KeyFiles{Dir: dir, Name: "a"}
			err := files.Write(loadKey(t, "p256.test.pem"))
			if !errors.Is(err, cfsign.ErrKeyFileExists) {
				t.Fatalf("Write = %v, want %v", err, cfsign.ErrKeyFileExists)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("Write left %d files, want only %s", len(entries), existing)
			}
			if got, _ := os.ReadFile(filepath.Join(dir, existing)); !bytes.Equal(got, old) {
				t.Errorf("%s = %q after refusal, want %q", existing, got, old)
			}
		})
	}
}

func TestKeyFilesWriteForce(t *testing.T) {
	dir := t.TempDir()
	files := cfsign.KeyFiles{Dir: dir, Name: "a", Force: true}
	// A world-readable file in the way must not keep its mode.
	if err := os.WriteFile(files.PrivatePath(), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := files.Write(loadKey(t, "rsa2048.test.pem")); err != nil {
		t.Fatal(err)
	}
	if got := fileMode(t, files.PrivatePath()); got != cfsign.PrivateKeyMode {
		t.Errorf("mode of replaced private key = %v, want %v", got, cfsign.PrivateKeyMode)
	}
	if _, err := cfsign.LoadPrivateKeyFile(files.PrivatePath()); err != nil {
		t.Errorf("replaced private key does not load: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("Write with Force left %d files, want 2", len(entries))
	}
}

func TestKeyFilesWriteInvalidName(t *testing.T) {
	for _, name := range []string{"", ".hidden", "../a", "a/b", `a\b`, "a b", "ключ"} {
		files := cfsign.KeyFiles{Dir: t.TempDir(), Name: name}
		err := files.Write(loadKey(t, "p256.test.pem"))
		if !errors.Is(err, cfsign.ErrInvalidKeyName) {
			t.Errorf("Write with name %q = %v, want %v", name, err, cfsign.ErrInvalidKeyName)
		}
	}
}

func ExampleKeyFiles_Write() {
	key, err := cfsign.GenerateKey(cfsign.ECDSA)
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "keys")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	files := cfsign.KeyFiles{Dir: dir, Name: "edgepass-2026-12"}
	if err := files.Write(key); err != nil {
		log.Fatal(err)
	}
	fmt.Println(filepath.Base(files.PublicPath()))
	// A second Write refuses rather than lose the first key.
	fmt.Println(errors.Is(files.Write(key), cfsign.ErrKeyFileExists))
	// Output:
	// edgepass-2026-12.pub.pem
	// true
}
