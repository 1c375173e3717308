// Package devedge is a local stand-in for a CloudFront distribution with
// signed URLs and signed cookies, for development and tests. It is a
// development aid, not a CDN: it caches nothing and binds wherever its
// caller listens, which for `edgepass dev` is loopback.
//
// An [Edge] serves the objects of an [fs.FS]. Requests under the private
// path prefixes must carry a valid signed URL or signed cookies; the
// checks are CloudFront's own, applied by package cfverify, with the same
// precedence of URL parameters over cookies. A refused request gets 403,
// the reason in the X-Edgepass-Denied header ([DeniedHeader]) and a log
// line. Everything else is public.
//
// Like CloudFront in front of S3, the edge looks an object up by the
// request path alone, so the signing parameters (and any other query
// parameter) never take part in finding it. Objects are served with
// Content-Type, an ETag, Last-Modified where the file system knows it,
// conditional and range requests, and a Cache-Control header standing in
// for the Cache-Control metadata of S3 objects, which CloudFront passes
// to viewers as it is.
//
// The edge counts the requests that reach it per object path, 304s and
// 403s included, so that tests can tell a browser-cache hit from a
// request: see [Edge.Requests], [StatsPath] and [StatsResetPath].
//
// An optional issuer handler is mounted under a path prefix of the edge's
// own host and receives requests with their full path, as CloudFront
// forwards them to the issuer origin in the Terraform module, so that
// cookies it sets are first-party for the objects.
package devedge
