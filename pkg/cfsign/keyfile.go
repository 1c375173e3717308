package cfsign

import (
	"crypto"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Errors returned by [KeyFiles.Write]; test for them with [errors.Is].
var (
	// ErrKeyFileExists reports a key file that is already there and may
	// not be replaced.
	ErrKeyFileExists = errors.New("key file already exists")
	// ErrInvalidKeyName reports a key name that is not a plain file name.
	ErrInvalidKeyName = errors.New("invalid key name")
)

// File modes of a written key pair. Only the owner may read the private
// key or list the directory that holds it.
const (
	PrivateKeyMode fs.FileMode = 0o600
	PublicKeyMode  fs.FileMode = 0o644
	KeyDirMode     fs.FileMode = 0o700
)

// KeyFiles says where a key pair lives on disk: Dir/Name.pem holds the
// private key and Dir/Name.pub.pem the public key to upload to
// CloudFront.
type KeyFiles struct {
	// Dir is created with [KeyDirMode] if missing; "" means the current
	// directory.
	Dir string
	// Name is the base name of both files: letters, digits, '.', '-' and
	// '_', not starting with '.'.
	Name string
	// Force reports whether existing files may be replaced. The zero
	// value refuses, so that no key is lost by accident.
	Force bool
}

// PrivatePath returns the path of the private key file.
func (f KeyFiles) PrivatePath() string { return filepath.Join(f.Dir, f.Name+".pem") }

// PublicPath returns the path of the public key file.
func (f KeyFiles) PublicPath() string {
	return filepath.Join(f.Dir, f.Name+".pub.pem")
}

// Write writes key's private half in PKCS #8 PEM with [PrivateKeyMode] and
// its public half in PKIX PEM with [PublicKeyMode]. Unless Force is set it
// writes nothing when either file exists, and reports [ErrKeyFileExists].
func (f KeyFiles) Write(key crypto.Signer) error {
	if err := checkKeyName(f.Name); err != nil {
		return err
	}
	priv, err := MarshalPrivateKeyPEM(key)
	if err != nil {
		return err
	}
	pub, err := MarshalPublicKeyPEM(key.Public())
	if err != nil {
		return err
	}
	if err := f.prepare(); err != nil {
		return err
	}
	if err := writeKeyFile(f.PrivatePath(), priv, PrivateKeyMode, f.Force); err != nil {
		return err
	}
	if err := writeKeyFile(f.PublicPath(), pub, PublicKeyMode, f.Force); err != nil {
		// Leave no private key behind whose public half nobody saw.
		if !f.Force {
			_ = os.Remove(f.PrivatePath())
		}
		return err
	}
	return nil
}

// prepare creates the directory and, unless Force is set, checks that
// neither file exists yet, so that a refusal leaves the disk untouched.
func (f KeyFiles) prepare() error {
	if f.Dir != "" {
		if err := os.MkdirAll(f.Dir, KeyDirMode); err != nil {
			return fmt.Errorf("create key directory: %w", err)
		}
	}
	if f.Force {
		return nil
	}
	for _, p := range []string{f.PrivatePath(), f.PublicPath()} {
		_, err := os.Lstat(p)
		switch {
		case err == nil:
			return fmt.Errorf("%w: %s", ErrKeyFileExists, p)
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("check key file: %w", err)
		}
	}
	return nil
}

func checkKeyName(name string) error {
	if name == "" || strings.HasPrefix(name, ".") {
		return fmt.Errorf("%w: %q", ErrInvalidKeyName, name)
	}
	for _, c := range name {
		ok := c == '.' || c == '-' || c == '_' ||
			'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !ok {
			return fmt.Errorf("%w: %q holds %q", ErrInvalidKeyName, name, c)
		}
	}
	return nil
}

// writeKeyFile writes data to path with exactly the given mode. Without
// force it creates the file exclusively, so a file that appeared since
// [KeyFiles.prepare] is still not replaced. With force it writes a
// temporary file and renames it over path, which also resets the mode of
// a file that was there before.
func writeKeyFile(path string, data []byte, mode fs.FileMode, force bool) error {
	if !force {
		// #nosec G304 -- the operator names the key file
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w: %s", ErrKeyFileExists, path)
		}
		if err != nil {
			return fmt.Errorf("write key file: %w", err)
		}
		if err := finishKeyFile(f, data, mode); err != nil {
			_ = os.Remove(path)
			return err
		}
		return nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	if err := finishKeyFile(f, data, mode); err != nil {
		_ = os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("write key file: %w", err)
	}
	return nil
}

// finishKeyFile sets the mode regardless of the umask, writes and closes.
func finishKeyFile(f *os.File, data []byte, mode fs.FileMode) error {
	err := f.Chmod(mode)
	if err == nil {
		_, err = f.Write(data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write key file %q: %w", f.Name(), err)
	}
	return nil
}
