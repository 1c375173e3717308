package cfsign

import (
	"crypto"
	"fmt"
)

// KeyRing holds the signing keys by CloudFront key ID. The first key
// signs; the others stay known so that a rotation can keep them in the
// trusted key group until what they signed has expired.
type KeyRing struct {
	keys []Key
	byID map[string]Key
}

// NewKeyRing checks the keys and builds a ring whose first key is active.
func NewKeyRing(keys ...Key) (*KeyRing, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no keys", ErrInvalidKeyRing)
	}
	r := &KeyRing{byID: make(map[string]Key, len(keys))}
	for i, k := range keys {
		if k.ID == "" || k.Signer == nil {
			return nil, fmt.Errorf("%w: key %d has no ID or no signer",
				ErrInvalidKeyRing, i)
		}
		if _, dup := r.byID[k.ID]; dup {
			return nil, fmt.Errorf("%w: key ID %q appears twice",
				ErrInvalidKeyRing, k.ID)
		}
		if err := CheckKey(k.Signer.Public()); err != nil {
			return nil, fmt.Errorf("key %q: %w", k.ID, err)
		}
		r.byID[k.ID] = k
		r.keys = append(r.keys, k)
	}
	return r, nil
}

// Active returns the key that signs.
func (r *KeyRing) Active() Key { return r.keys[0] }

// Lookup returns the key with the given CloudFront key ID.
func (r *KeyRing) Lookup(id string) (Key, bool) {
	k, ok := r.byID[id]
	return k, ok
}

// IDs returns the key IDs, active first.
func (r *KeyRing) IDs() []string {
	ids := make([]string, len(r.keys))
	for i, k := range r.keys {
		ids[i] = k.ID
	}
	return ids
}

// PublicKeys returns every key's public half by key ID, as a verifier
// needs them.
func (r *KeyRing) PublicKeys() map[string]crypto.PublicKey {
	m := make(map[string]crypto.PublicKey, len(r.keys))
	for _, k := range r.keys {
		m[k.ID] = k.Signer.Public()
	}
	return m
}
