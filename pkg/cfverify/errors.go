package cfverify

import "errors"

// Reasons a request is refused. Every error returned by [Verifier.Verify]
// and its siblings wraps exactly one of these; test with [errors.Is].
var (
	// ErrNotSigned means the request carries no signing parameter and no
	// CloudFront-* cookie at all.
	ErrNotSigned = errors.New("request is not signed")
	// ErrMalformed means a signing value is missing, repeated or not in
	// its documented form (base64, number), or the URL itself is unusable.
	ErrMalformed = errors.New("malformed signing parameters")
	// ErrMalformedPolicy means a correctly signed policy does not have
	// CloudFront's documented shape.
	ErrMalformedPolicy = errors.New("malformed policy")
	// ErrUnknownKey means no public key is known under the key pair ID.
	ErrUnknownKey = errors.New("unknown key pair id")
	// ErrUnsupportedKey means a public key is neither RSA-2048 nor
	// ECDSA P-256, the two kinds CloudFront accepts.
	ErrUnsupportedKey = errors.New("unsupported public key")
	// ErrHashAlgorithm means the hash algorithm value is not supported, or
	// the signature verifies only under the other hash (a wrong flag).
	ErrHashAlgorithm = errors.New("wrong hash algorithm")
	// ErrBadSignature means the signature does not verify.
	ErrBadSignature = errors.New("bad signature")
	// ErrExpired means the request came at or after the policy's
	// DateLessThan.
	ErrExpired = errors.New("signature expired")
	// ErrNotYetValid means the request came before the policy's
	// DateGreaterThan.
	ErrNotYetValid = errors.New("signature not yet valid")
	// ErrResourceMismatch means the policy's resource does not match the
	// requested URL.
	ErrResourceMismatch = errors.New("resource does not match request")
	// ErrIPNotAllowed means the client address is unknown or outside the
	// policy's source IP range.
	ErrIPNotAllowed = errors.New("client ip not allowed")
)
