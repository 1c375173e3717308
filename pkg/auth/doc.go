// Package auth verifies the JSON Web Tokens that callers present to edgepass
// and turns a valid one into a [Principal].
//
// Every security choice is explicit in [Options]: an algorithm allow-list
// ("none" is always refused, HMAC only with a configured secret), a required
// exp claim, nbf and iat honored, issuer and audience checked when set, and
// a bounded leeway. Keys come from a JWKS URL (refreshed in the background,
// refreshed early on an unknown kid at a limited rate, and kept when the
// endpoint fails), from static public keys, or from an HS256 secret.
//
// Verified tokens are cached by a SHA-256 hash of their bytes until the
// earlier of their exp and a short TTL; the cache is dropped whenever the
// JWKS key set changes, so it never accepts a token that a fresh check would
// refuse. The package never logs a token.
package auth
