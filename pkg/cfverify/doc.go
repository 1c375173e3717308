// Package cfverify applies the checks CloudFront makes to a signed URL or
// a set of signed cookies, and says precisely why a request is refused.
//
// It is written from the CloudFront Developer Guide ("Create a signed URL
// using a canned policy", "... using a custom policy", "Set signed cookies
// using a canned policy", "... using a custom policy", "Use signed URLs")
// and the CloudFront API reference for public keys, not from any signer,
// so that a signer and this package check each other. Each check names,
// in a comment, the documented rule it implements.
//
// In short, for a request it:
//
//  1. takes the signing values from the query string (Expires or Policy,
//     Signature, Key-Pair-Id, Hash-Algorithm) or, when the URL has none,
//     from the CloudFront-* cookies; URL parameters win over cookies;
//  2. finds the public key by its CloudFront key ID (RSA-2048 or ECDSA
//     P-256) and the hash (SHA-1 unless the request says SHA256);
//  3. checks the signature over the policy: the decoded Policy for a custom
//     policy, or the policy CloudFront rebuilds itself from the request URL
//     and Expires for a canned one;
//  4. then checks the policy's conditions: expiry, start time, resource
//     (with * and ? wildcards) and source IP range.
//
// Beyond CloudFront, a custom policy must name a Resource (CloudFront
// reads a missing one as "every object"): edgepass never signs such a
// policy, so one is reported as [ErrMalformedPolicy].
package cfverify
