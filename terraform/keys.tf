# The public halves of edgepass's signing keys, and the key group every
# private cache behavior trusts.

resource "aws_cloudfront_public_key" "this" {
  for_each = local.public_keys

  name        = "${var.name}-${each.key}"
  comment     = "edgepass signing key ${each.key}"
  encoded_key = each.value
}

resource "aws_cloudfront_key_group" "this" {
  name    = "${var.name}-signers"
  comment = "Keys edgepass signs URLs and cookies with"
  items   = [for name in local.key_names : aws_cloudfront_public_key.this[name].id]

  lifecycle {
    precondition {
      condition     = length(local.public_keys) >= 1 && length(local.public_keys) <= 5
      error_message = "The key group needs 1 to 5 public keys (public_keys, or *.pub.pem files in public_keys_dir)."
    }

    precondition {
      condition = alltrue([
        for pem in values(local.public_keys) :
        can(regex("^\\s*-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\\s]+-----END PUBLIC KEY-----\\s*$", pem))
      ])
      error_message = "Every public key must be a PEM \"PUBLIC KEY\" block."
    }

    precondition {
      condition = alltrue([
        for name in keys(local.public_keys) : can(regex("^[A-Za-z0-9_-]{1,64}$", name))
      ])
      error_message = "Public key names (the *.pub.pem file names without .pub.pem) may hold only letters, digits, - and _, at most 64: CloudFront refuses other names. Rename the key files."
    }

    precondition {
      condition     = contains(keys(local.public_keys), local.active_key)
      error_message = "active_key_name must name one of the public keys."
    }
  }
}
