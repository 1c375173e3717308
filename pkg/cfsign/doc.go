// Package cfsign makes CloudFront signed URLs and signed cookies.
//
// It covers both policy kinds CloudFront accepts: a canned policy (one
// exact URL and an expiry, which CloudFront rebuilds from the request)
// and a custom policy (a resource that may hold * and ? wildcards, an
// optional start time and an optional IPv4 range, sent with the request).
// Signatures use RSA-2048 (PKCS #1 v1.5) or ECDSA P-256 keys with SHA-1 or
// SHA-256.
//
// Every signature is deterministic: RSA PKCS #1 v1.5 is by nature, and
// ECDSA signatures follow RFC 6979. With [Expiry] rounding expiries up to
// a window, separate processes given the same key, resource and time
// window produce byte-identical URLs, which is what lets browsers and
// CloudFront cache the objects behind them. A [Cache] of signatures makes
// a repeated signature cost a map lookup instead of a private-key
// operation.
//
// The policy types come from github.com/aws/aws-sdk-go-v2's
// feature/cloudfront/sign package; this package adds SHA-256, ECDSA,
// input checks and caching beside it.
package cfsign
