package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// minRSABits is the smallest RSA modulus accepted for verification.
const minRSABits = 2048

// keyFunc returns the jwt.Keyfunc that chooses the verification key for a
// token whose algorithm the parser has already found in the allow-list.
func (a *Authenticator) keyFunc(ctx context.Context) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		if _, ok := t.Header["crit"]; ok {
			return nil, fmt.Errorf("%w: crit header not supported", jwt.ErrTokenMalformed)
		}
		if _, ok := t.Method.(*jwt.SigningMethodHMAC); ok {
			// An HMAC key only ever comes from the configured secret.
			if len(a.hmacSecret) == 0 {
				return nil, fmt.Errorf("%w: no hmac secret", ErrUnknownKey)
			}
			return a.hmacSecret, nil
		}
		kid, ok := t.Header["kid"]
		if !ok {
			return a.keySet(ctx, t)
		}
		id, ok := kid.(string)
		if !ok {
			return nil, fmt.Errorf("%w: kid is not a string", jwt.ErrTokenMalformed)
		}
		return a.keyByID(ctx, t, id)
	}
}

// keyByID returns the static key named id or else the JWKS key named id.
func (a *Authenticator) keyByID(ctx context.Context, t *jwt.Token, id string) (any, error) {
	if k, ok := a.static[id]; ok {
		return fitting(t.Method, k)
	}
	if a.jwks == nil {
		return nil, fmt.Errorf("%w: kid %.64q", ErrUnknownKey, id)
	}
	k, err := a.jwks.keyfunc.KeyfuncCtx(ctx)(t)
	if err != nil {
		return nil, fmt.Errorf("%w: kid %.64q: %w", ErrUnknownKey, id, err)
	}
	return fitting(t.Method, k)
}

// keySet returns every static and JWKS key that fits the token's algorithm,
// for a token without a kid.
func (a *Authenticator) keySet(ctx context.Context, t *jwt.Token) (any, error) {
	var set jwt.VerificationKeySet
	for _, k := range a.staticList {
		if keyFits(t.Method, k) {
			set.Keys = append(set.Keys, k)
		}
	}
	if a.jwks != nil {
		got, err := a.jwks.keyfunc.KeyfuncCtx(ctx)(t)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUnknownKey, err)
		}
		remote, _ := got.(jwt.VerificationKeySet)
		for _, k := range remote.Keys {
			if keyFits(t.Method, k) {
				set.Keys = append(set.Keys, k)
			}
		}
	}
	if len(set.Keys) == 0 {
		return nil, fmt.Errorf("%w: no key for %s", ErrUnknownKey, t.Method.Alg())
	}
	return set, nil
}

// fitting returns key if it can verify signatures of method m.
func fitting(m jwt.SigningMethod, key any) (any, error) {
	if !keyFits(m, key) {
		return nil, fmt.Errorf("%w: %T key cannot verify %s", ErrUnknownKey, key, m.Alg())
	}
	return key, nil
}

// keyFits reports whether key is a public key of the type and size that
// method m verifies with. No key fits an HMAC method: its secret is never
// a public key.
func keyFits(m jwt.SigningMethod, key any) bool {
	switch m := m.(type) {
	case *jwt.SigningMethodRSA, *jwt.SigningMethodRSAPSS:
		k, ok := key.(*rsa.PublicKey)
		return ok && k.N.BitLen() >= minRSABits
	case *jwt.SigningMethodECDSA:
		k, ok := key.(*ecdsa.PublicKey)
		return ok && k.Curve != nil && k.Curve.Params().BitSize == m.CurveBits
	case *jwt.SigningMethodEd25519:
		_, ok := key.(ed25519.PublicKey)
		return ok
	}
	return false
}

// ParsePublicKeyPEM parses the first PEM block of data as a public key: a
// PKIX "PUBLIC KEY", a PKCS #1 "RSA PUBLIC KEY" or a "CERTIFICATE". The key
// is an *rsa.PublicKey, an *ecdsa.PublicKey or an ed25519.PublicKey, ready
// for [PublicKey].
func ParsePublicKeyPEM(data []byte) (crypto.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("parse public key: no PEM block")
	}
	switch block.Type {
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse public key: %w", err)
		}
		return k, nil
	case "RSA PUBLIC KEY":
		k, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse public key: %w", err)
		}
		return k, nil
	case "CERTIFICATE":
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse public key: %w", err)
		}
		return c.PublicKey, nil
	}
	return nil, fmt.Errorf("parse public key: unexpected PEM block %q", block.Type)
}
