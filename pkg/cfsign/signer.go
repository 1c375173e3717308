package cfsign

import (
	"crypto"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Options configure a [Signer]. The zero value signs with SHA-256 and no
// cache.
type Options struct {
	Hash  Hash   // SHA256 (the zero value) or SHA1
	Cache *Cache // optional; shared caches are safe
}

// Signer signs policies with the active key of a [KeyRing]. It is
// immutable and safe for concurrent use; to rotate keys, build a new
// Signer, which may share the old one's [Cache].
type Signer struct {
	key   Key
	hash  Hash
	cache *Cache
}

// NewSigner returns a Signer for the ring's active key.
func NewSigner(ring *KeyRing, o Options) *Signer {
	return &Signer{key: ring.Active(), hash: o.Hash, cache: o.Cache}
}

// KeyID returns the CloudFront key ID of the signing key.
func (s *Signer) KeyID() string { return s.key.ID }

// Hash returns the hash the Signer uses.
func (s *Signer) Hash() Hash { return s.hash }

// Sign returns the signature of policy in CloudFront's base64. The same
// key, hash and policy always give the same signature.
func (s *Signer) Sign(policy []byte) (string, error) {
	k := cacheKey{keyID: s.key.ID, hash: s.hash, policy: string(policy)}
	if s.cache != nil {
		if sig, ok := s.cache.get(k); ok {
			return sig, nil
		}
	}
	sig, err := signDeterministic(s.key.Signer, s.hash.CryptoHash(), policy)
	if err != nil {
		return "", fmt.Errorf("sign policy with key %q: %w", s.key.ID, err)
	}
	enc := Encode(sig)
	if s.cache != nil {
		s.cache.add(k, enc)
	}
	return enc, nil
}

// signDeterministic signs with no random source: RSA PKCS #1 v1.5 needs
// none, and Go's ECDSA then derives the nonce per RFC 6979 and returns an
// ASN.1 DER signature, as CloudFront expects.
func signDeterministic(key crypto.Signer, h crypto.Hash, msg []byte) ([]byte, error) {
	d := h.New()
	d.Write(msg)
	return key.Sign(nil, d.Sum(nil), h)
}

// params returns the signing parameters in the order AWS documents them:
// the policy (Expires or Policy) first, then the signature, the key ID and
// the hash flag.
func (s *Signer) params(policy param, sig string) []param {
	p := []param{
		policy,
		{"Signature", sig},
		{"Key-Pair-Id", s.key.ID},
	}
	if f := s.hash.flag(); f != "" {
		p = append(p, param{"Hash-Algorithm", f})
	}
	return p
}

type param struct{ name, value string }

func epoch(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// query joins parameters as name=value pairs separated by '&'. Values are
// base64 in CloudFront's alphabet, digits or key IDs: none needs escaping.
func query(ps []param) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
}
