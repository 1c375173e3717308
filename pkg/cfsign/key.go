package cfsign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
)

// KeyType names the kinds of key CloudFront accepts for signing.
type KeyType string

// Key types for [GenerateKey].
const (
	ECDSA KeyType = "ecdsa" // ECDSA P-256, the default: fast and short
	RSA   KeyType = "rsa"   // RSA-2048
)

// Key is a private signing key with the ID CloudFront gave its public half
// (the Key-Pair-Id).
type Key struct {
	ID     string
	Signer crypto.Signer
}

// GenerateKey makes a new private key of the given type.
func GenerateKey(t KeyType) (crypto.Signer, error) {
	switch t {
	case ECDSA, "":
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case RSA:
		return rsa.GenerateKey(rand.Reader, 2048)
	}
	return nil, fmt.Errorf("%w: type %q, want ecdsa or rsa", ErrUnsupportedKey, t)
}

// ParsePrivateKeyPEM parses the first PEM block of data as a PKCS #1,
// SEC 1 or PKCS #8 private key, and accepts it only if CloudFront does:
// RSA-2048 or ECDSA P-256. An "EC PARAMETERS" block before the key, as
// `openssl ecparam -genkey` writes one, is skipped.
func ParsePrivateKeyPEM(data []byte) (crypto.Signer, error) {
	block, rest := pem.Decode(data)
	for block != nil && block.Type == "EC PARAMETERS" {
		block, rest = pem.Decode(rest)
	}
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block found", ErrUnsupportedKey)
	}
	var key any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("%w: PEM block %q is not a private key",
			ErrUnsupportedKey, block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", block.Type, err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, key)
	}
	return signer, CheckKey(signer.Public())
}

// LoadPrivateKeyFile reads and parses a private key file with
// [ParsePrivateKeyPEM].
func LoadPrivateKeyFile(path string) (crypto.Signer, error) {
	data, err := os.ReadFile(path) // #nosec G304 -- the operator names the key file
	if err != nil {
		return nil, fmt.Errorf("load private key %q: %w", path, err)
	}
	key, err := ParsePrivateKeyPEM(data)
	if err != nil {
		return nil, fmt.Errorf("load private key %q: %w", path, err)
	}
	return key, nil
}

// CheckKey reports, as an error, whether pub is a key CloudFront does not
// accept: anything but RSA-2048 or ECDSA P-256.
func CheckKey(pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() != 2048 {
			return fmt.Errorf("%w: RSA key of %d bits, want 2048",
				ErrUnsupportedKey, k.N.BitLen())
		}
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return fmt.Errorf("%w: ECDSA curve %s, want P-256",
				ErrUnsupportedKey, k.Curve.Params().Name)
		}
	default:
		return fmt.Errorf("%w: %T, want RSA-2048 or ECDSA P-256",
			ErrUnsupportedKey, pub)
	}
	return nil
}

// MarshalPrivateKeyPEM encodes a private key as a PKCS #8 PEM block.
func MarshalPrivateKeyPEM(key crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("marshal private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// MarshalPublicKeyPEM encodes a public key as a PKIX "PUBLIC KEY" PEM
// block, the form CloudFront takes when a public key is uploaded.
func MarshalPublicKeyPEM(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("marshal public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}
