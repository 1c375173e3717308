package playground

import (
	"crypto"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

// Names of the development files in the key folder.
const (
	// DefaultKeyDir is the key folder, relative to the working directory.
	DefaultKeyDir = "keys"
	// KeyName is the base name of the signing key pair: dev.pem holds the
	// private key, dev.pub.pem the public key.
	KeyName = "dev"
	// SecretFile holds the HS256 secret development tokens are signed
	// with: hex text, mode 0600, git-ignored.
	SecretFile = "dev.secret"
)

// SecretBytes is how many random bytes a new development secret holds;
// written as hex, the secret is twice as long.
const SecretBytes = 32

var (
	// ErrNoDevSecret reports a key folder without a development secret.
	ErrNoDevSecret = errors.New("no development secret")
	// ErrBadSecret reports a development secret file that is too short
	// to sign tokens with.
	ErrBadSecret = errors.New("development secret too short")
)

// Keys are the development key material of one key folder.
type Keys struct {
	Signer  crypto.Signer // the private signing key
	Secret  []byte        // the HS256 token secret
	Created []string      // the files made by EnsureKeys, if any
}

// EnsureKeys loads the development key pair and secret from dir, first
// making whichever is missing. It never replaces a file: a folder that
// holds only half a key pair is an error to resolve by hand.
func EnsureKeys(dir string) (*Keys, error) {
	k := &Keys{}
	files := cfsign.KeyFiles{Dir: dir, Name: KeyName}
	signer, created, err := ensureKeyPair(files)
	if err != nil {
		return nil, err
	}
	k.Signer = signer
	if created {
		k.Created = append(k.Created, files.PrivatePath(), files.PublicPath())
	}

	err = writeSecret(dir)
	switch {
	case err == nil:
		k.Created = append(k.Created, filepath.Join(dir, SecretFile))
	case !errors.Is(err, fs.ErrExist):
		return nil, err
	}
	if k.Secret, err = LoadSecret(dir); err != nil {
		return nil, err
	}
	return k, nil
}

// ensureKeyPair loads the key pair's private key, or makes the pair when
// its private key file is missing.
func ensureKeyPair(files cfsign.KeyFiles) (crypto.Signer, bool, error) {
	signer, err := cfsign.LoadPrivateKeyFile(files.PrivatePath())
	if err == nil {
		return signer, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("dev key: %w", err)
	}
	if signer, err = cfsign.GenerateKey(cfsign.ECDSA); err != nil {
		return nil, false, fmt.Errorf("dev key: %w", err)
	}
	if err := files.Write(signer); err != nil {
		return nil, false, fmt.Errorf("dev key: %w", err)
	}
	return signer, true, nil
}

// writeSecret writes a new random secret to SecretFile in dir with mode
// 0600, unless the file exists, which it reports with an error matching
// fs.ErrExist.
func writeSecret(dir string) error {
	if err := os.MkdirAll(dir, cfsign.KeyDirMode); err != nil {
		return fmt.Errorf("dev secret: %w", err)
	}
	b := make([]byte, SecretBytes)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("dev secret: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("dev secret: %w", err)
	}
	f, err := root.OpenFile(SecretFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	_ = root.Close() // the file stays open; closing a directory loses nothing
	if err != nil {
		return fmt.Errorf("dev secret: %w", err)
	}
	_, err = f.WriteString(hex.EncodeToString(b) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("dev secret: %w", err)
	}
	return nil
}

// LoadSecret reads the development secret of the key folder dir. A
// missing file is reported with [ErrNoDevSecret], one shorter than
// SecretBytes with [ErrBadSecret].
func LoadSecret(dir string) ([]byte, error) {
	path := filepath.Join(dir, SecretFile)
	b, err := readSecret(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s does not exist", ErrNoDevSecret, path)
	}
	if err != nil {
		return nil, fmt.Errorf("dev secret: %w", err)
	}
	secret := strings.TrimSpace(string(b))
	if len(secret) < SecretBytes {
		return nil, fmt.Errorf("%w: %s holds %d bytes, want at least %d",
			ErrBadSecret, path, len(secret), SecretBytes)
	}
	return []byte(secret), nil
}

// readSecret reads SecretFile in dir, following no link out of dir.
func readSecret(dir string) ([]byte, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	b, err := root.ReadFile(SecretFile)
	_ = root.Close() // closing a directory loses nothing
	return b, err
}
