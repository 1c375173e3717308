package cfsign

import "errors"

// Errors returned by this package. They are wrapped with details; test
// for them with [errors.Is].
var (
	// ErrInvalidURL reports a URL CloudFront would not accept as signed:
	// not absolute http or https, no host, a fragment, or characters a
	// browser would encode.
	ErrInvalidURL = errors.New("invalid URL")
	// ErrSigningParam reports a URL that already carries one of
	// CloudFront's signing parameters.
	ErrSigningParam = errors.New("URL already holds a signing parameter")
	// ErrWildcard reports a wildcard in a canned policy, which CloudFront
	// would compare literally and so never match.
	ErrWildcard = errors.New("canned policy resource holds a wildcard")
	// ErrNonASCII reports characters outside ASCII that are not
	// percent-encoded.
	ErrNonASCII = errors.New("non-ASCII characters must be percent-encoded")
	// ErrTooLong reports a signed URL over CloudFront's 8,192-byte limit.
	ErrTooLong = errors.New("signed URL exceeds 8192 bytes")
	// ErrInvalidPolicy reports a policy with no resource, no expiry or an
	// expiry not after its start time.
	ErrInvalidPolicy = errors.New("invalid policy")
	// ErrInvalidIPRange reports an IP range that is not an IPv4 address
	// or CIDR block in canonical form.
	ErrInvalidIPRange = errors.New("invalid IP range")
	// ErrUnsupportedKey reports a key other than RSA-2048 or ECDSA P-256.
	ErrUnsupportedKey = errors.New("unsupported key")
	// ErrInvalidKeyRing reports an empty key ring, a key without an ID or
	// two keys with the same ID.
	ErrInvalidKeyRing = errors.New("invalid key ring")
)
