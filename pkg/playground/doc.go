// Package playground runs edgepass on one machine with no AWS account:
// the issuer service and a local CloudFront-style edge (package devedge)
// on one loopback address, in front of a small demo site or a folder of
// the developer's own files.
//
// Everything it needs it makes on first use, in a key folder ("keys" by
// default): an ECDSA P-256 signing key pair, dev.pem and dev.pub.pem, and
// an HS256 secret, dev.secret, that stands in for an identity provider.
// Neither file is ever overwritten. [DevConfig] builds the issuer's
// configuration around them; [MintToken] makes the JWTs a signed-in user
// would bring.
//
// The edge answers on its own origin, http://localhost:PORT, and serves
// the issuer under /edgepass/ on that same host, as the Terraform
// module's issuer origin does, so the cookies the issuer sets are
// first-party for the objects. Two development endpoints sit beside it:
// [TokenPath], the identity stand-in, and [FreshURLPath], a control that
// signs a new URL on every view to show what that costs the browser
// cache.
//
// The playground is a development aid: it binds to 127.0.0.1 only, and
// anyone who can reach it can mint a token for any user. It answers only
// requests that name its own host, localhost:PORT, so that a web site
// pointing a name of its own at 127.0.0.1 (DNS rebinding) cannot use it.
package playground
