package cfsign

import (
	"crypto"
	"fmt"
	"strings"
)

// Hash is the digest a signature is made over.
type Hash uint8

// Hashes CloudFront accepts. SHA1 is CloudFront's default and needs no
// flag; SHA256 adds Hash-Algorithm=SHA256 to URLs and a
// CloudFront-Hash-Algorithm cookie.
const (
	SHA256 Hash = iota // the default for new deployments
	SHA1
)

// ParseHash parses "sha256" or "sha1", in any case.
func ParseHash(s string) (Hash, error) {
	switch strings.ToLower(s) {
	case "sha256", "sha-256":
		return SHA256, nil
	case "sha1", "sha-1":
		return SHA1, nil
	}
	return 0, fmt.Errorf("unknown hash %q, want sha256 or sha1", s)
}

// String returns "sha256" or "sha1".
func (h Hash) String() string {
	if h == SHA1 {
		return "sha1"
	}
	return "sha256"
}

// flag is the value CloudFront expects in Hash-Algorithm, or "" when the
// parameter must be left out.
func (h Hash) flag() string {
	if h == SHA1 {
		return ""
	}
	return "SHA256"
}

// CryptoHash returns the [crypto.Hash] the signature is made with.
func (h Hash) CryptoHash() crypto.Hash {
	if h == SHA1 {
		return crypto.SHA1
	}
	return crypto.SHA256
}
