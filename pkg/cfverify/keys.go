package cfverify

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SHA-1 is CloudFront's default hash; we verify, never choose it.
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// ParsePublicKeyPEM parses a PEM "PUBLIC KEY" block (PKIX, the form
// uploaded to CloudFront) holding an RSA-2048 or ECDSA P-256 key, the
// only kinds CloudFront accepts for signed URLs and cookies (API
// reference, PublicKey).
func ParsePublicKeyPEM(data []byte) (crypto.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block", ErrUnsupportedKey)
	}
	if block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("%w: PEM block %q, want \"PUBLIC KEY\"",
			ErrUnsupportedKey, block.Type)
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsupportedKey, err)
	}
	if err := checkKey(key); err != nil {
		return nil, err
	}
	return key, nil
}

// checkKey refuses keys CloudFront would refuse: RSA other than 2048 bits,
// ECDSA on a curve other than P-256, and every other kind.
func checkKey(key crypto.PublicKey) error {
	switch k := key.(type) {
	case *rsa.PublicKey:
		if k.N == nil || k.N.BitLen() != 2048 {
			return fmt.Errorf("%w: RSA key is not 2048 bits", ErrUnsupportedKey)
		}
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return fmt.Errorf("%w: ECDSA key is not on P-256", ErrUnsupportedKey)
		}
	default:
		return fmt.Errorf("%w: %T", ErrUnsupportedKey, key)
	}
	return nil
}

// hashName is how a hash appears in a [Result].
func hashName(h crypto.Hash) string {
	if h == crypto.SHA256 {
		return "sha256"
	}
	return "sha1"
}

// parseHash reads Hash-Algorithm (or CloudFront-Hash-Algorithm). Without
// it the signature is SHA-1, for compatibility with URLs made before
// SHA-256 support; with SHA256 it is SHA-256 (canned URL and cookie
// pages). An explicit SHA1 is read as SHA-1; anything else is refused.
func parseHash(value string, present bool) (crypto.Hash, error) {
	switch {
	case !present || value == "SHA1":
		return crypto.SHA1, nil
	case value == "SHA256":
		return crypto.SHA256, nil
	}
	return 0, fmt.Errorf("%w: unsupported value %q", ErrHashAlgorithm, value)
}

// verifySignature checks sig over msg: RSA PKCS #1 v1.5, or ECDSA with an
// ASN.1 DER signature, over the SHA-1 or SHA-256 digest of the policy
// bytes exactly as signed ("hash and sign the policy statement").
// When sig fails under the claimed hash but holds under the other one,
// the request carries the wrong hash flag: that is ErrHashAlgorithm.
func verifySignature(key crypto.PublicKey, h crypto.Hash, msg, sig []byte) error {
	if verifyWith(key, h, msg, sig) {
		return nil
	}
	other := crypto.SHA256
	if h == crypto.SHA256 {
		other = crypto.SHA1
	}
	if verifyWith(key, other, msg, sig) {
		return fmt.Errorf("%w: signature is %s, request says %s",
			ErrHashAlgorithm, hashName(other), hashName(h))
	}
	return ErrBadSignature
}

func verifyWith(key crypto.PublicKey, h crypto.Hash, msg, sig []byte) bool {
	digest := digestOf(h, msg)
	switch k := key.(type) {
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, h, digest, sig) == nil
	case *ecdsa.PublicKey:
		return ecdsa.VerifyASN1(k, digest, sig)
	}
	return false
}

func digestOf(h crypto.Hash, msg []byte) []byte {
	if h == crypto.SHA256 {
		sum := sha256.Sum256(msg)
		return sum[:]
	}
	sum := sha1.Sum(msg) //nolint:gosec // see the import
	return sum[:]
}
