# Naming and tagging.

variable "name" {
  description = "Prefix for every resource name (bucket prefix, policies, keys, OAC)."
  type        = string
  default     = "edgepass"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.name))
    error_message = "name must be 2-32 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource that takes tags."
  type        = map(string)
  default     = {}
}

# S3 origin.

variable "create_bucket" {
  description = "Create the origin bucket; false uses the existing bucket named by bucket_name."
  type        = bool
  default     = true
}

variable "bucket_name" {
  description = "Name of the origin bucket; null with create_bucket lets AWS derive one from name."
  type        = string
  default     = null

  validation {
    condition = (
      var.bucket_name == null ? true :
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    )
    error_message = "bucket_name must be a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy a created bucket that still holds objects."
  type        = bool
  default     = false
}

variable "sse_algorithm" {
  description = "Default bucket encryption: AES256 (SSE-S3) or aws:kms (SSE-KMS)."
  type        = string
  default     = "AES256"

  validation {
    condition     = contains(["AES256", "aws:kms"], var.sse_algorithm)
    error_message = "sse_algorithm must be AES256 or aws:kms."
  }
}

variable "kms_key_arn" {
  description = "KMS key for SSE-KMS; null with aws:kms creates a key whose policy admits only this distribution."
  type        = string
  default     = null

  validation {
    condition = (
      var.kms_key_arn == null ? true :
      can(regex(
        "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$",
        var.kms_key_arn,
      ))
    )
    error_message = "kms_key_arn must be arn:aws:kms:<region>:<account>:key/<id> or key/mrk-<id>."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before a created KMS key is deleted, in days."
  type        = number
  default     = 30

  validation {
    condition = (
      var.kms_key_deletion_window_in_days >= 7 &&
      var.kms_key_deletion_window_in_days <= 30 &&
      floor(var.kms_key_deletion_window_in_days) == var.kms_key_deletion_window_in_days
    )
    error_message = "kms_key_deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "s3_access_logging" {
  description = "S3 server access logging for the origin bucket: target bucket name and key prefix; null turns it off."
  type = object({
    target_bucket = string
    target_prefix = optional(string, "s3-access/")
  })
  default = null

  validation {
    condition = (
      var.s3_access_logging == null ? true :
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.s3_access_logging.target_bucket))
    )
    error_message = "s3_access_logging.target_bucket must be a valid S3 bucket name."
  }
}

# Signing keys.

variable "public_keys_dir" {
  description = "Folder whose *.pub.pem files (other than the playground's dev.pub.pem) become CloudFront public keys; null means the repository's keys/ folder beside this module."
  type        = string
  default     = null
}

variable "public_keys" {
  description = "Public keys as name => PEM; when not empty it replaces the files in public_keys_dir."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(var.public_keys) <= 5
    error_message = "public_keys holds at most 5 keys (a CloudFront key group's limit)."
  }

  validation {
    condition = alltrue([
      for name, pem in var.public_keys :
      can(regex("^[A-Za-z0-9_-]{1,64}$", name)) &&
      can(regex("^\\s*-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\\s]+-----END PUBLIC KEY-----\\s*$", pem))
    ])
    error_message = "Each public_keys name must be 1-64 letters, digits, - or _, and each value a PEM \"PUBLIC KEY\" block."
  }
}

variable "active_key_name" {
  description = "Key that signs, listed first in the edgepass config output; null picks the last name in sorted order."
  type        = string
  default     = null

  validation {
    condition = (
      var.active_key_name == null ? true :
      can(regex("^[A-Za-z0-9_-]{1,64}$", var.active_key_name))
    )
    error_message = "active_key_name must be 1-64 letters, digits, - or _."
  }
}

variable "signing_hash" {
  description = "Hash edgepass signs with, written into the edgepass config output: sha256 or sha1."
  type        = string
  default     = "sha256"

  validation {
    condition     = contains(["sha256", "sha1"], var.signing_hash)
    error_message = "signing_hash must be sha256 or sha1."
  }
}

# Behaviors.

variable "default_behavior" {
  description = "Whether paths outside private_paths are public or need a signature too: public or private."
  type        = string
  default     = "private"

  validation {
    condition     = contains(["public", "private"], var.default_behavior)
    error_message = "default_behavior must be public or private."
  }
}

variable "private_paths" {
  description = "Path patterns that need a signed URL or signed cookies, most specific first."
  type        = list(string)
  default     = ["/private/*"]

  validation {
    condition = length(var.private_paths) <= 20 && alltrue([
      for p in var.private_paths :
      can(regex("^/[A-Za-z0-9_.~/*?+-]{0,254}$", p)) && p != "/*"
    ])
    error_message = "private_paths holds up to 20 patterns, each starting with / (not /*, use default_behavior), at most 255 characters of letters, digits, / * ? . _ ~ + -."
  }
}

variable "viewer_protocol_policy" {
  description = "Viewer protocol for a public default behavior: https-only or redirect-to-https."
  type        = string
  default     = "https-only"

  validation {
    condition     = contains(["https-only", "redirect-to-https"], var.viewer_protocol_policy)
    error_message = "viewer_protocol_policy must be https-only or redirect-to-https."
  }
}

variable "index_rewrite" {
  description = "Attach a CloudFront Function that serves /dir/ from /dir/index.html."
  type        = bool
  default     = false
}

variable "cache_ttl" {
  description = "Minimum, default and maximum time objects stay cached at the edge, in seconds."
  type = object({
    min     = optional(number, 0)
    default = optional(number, 86400)
    max     = optional(number, 31536000)
  })
  default = {}

  validation {
    condition = (
      var.cache_ttl.min >= 0 &&
      var.cache_ttl.min <= var.cache_ttl.default &&
      var.cache_ttl.default <= var.cache_ttl.max &&
      var.cache_ttl.max > 0 &&
      var.cache_ttl.max <= 31536000
    )
    error_message = "cache_ttl must satisfy 0 <= min <= default <= max <= 31536000 and max > 0."
  }
}

# Response headers.

variable "cors_allowed_origins" {
  description = "App origins (scheme://host[:port]) allowed to read with credentials; empty adds no CORS headers."
  type        = list(string)
  default     = []

  validation {
    condition = alltrue([
      for o in var.cors_allowed_origins :
      can(regex("^https://[a-z0-9.-]+(:[0-9]{1,5})?$", o)) ||
      can(regex("^http://(localhost|127\\.0\\.0\\.1)(:[0-9]{1,5})?$", o))
    ])
    error_message = "Each cors_allowed_origins entry must be https://host[:port] (http only for localhost), with no path and no wildcard."
  }
}

variable "cors_max_age_seconds" {
  description = "How long browsers may cache a CORS preflight answer, in seconds."
  type        = number
  default     = 600

  validation {
    condition     = var.cors_max_age_seconds >= 0 && var.cors_max_age_seconds <= 86400
    error_message = "cors_max_age_seconds must be from 0 to 86400."
  }
}

variable "hsts_max_age_seconds" {
  description = "max-age of the Strict-Transport-Security header, in seconds."
  type        = number
  default     = 31536000

  validation {
    condition     = var.hsts_max_age_seconds >= 86400 && var.hsts_max_age_seconds <= 63072000
    error_message = "hsts_max_age_seconds must be from 86400 (one day) to 63072000 (two years)."
  }
}

# Distribution.

variable "aliases" {
  description = "Custom host names; the first is the CDN URL's host. They need acm_certificate_arn."
  type        = list(string)
  default     = []

  validation {
    condition = alltrue([
      for a in var.aliases : can(regex("^(\\*\\.)?([a-z0-9-]+\\.)+[a-z]{2,63}$", a))
    ])
    error_message = "Each alias must be a lower-case DNS name (optionally *.-prefixed)."
  }

  # The first alias becomes cdn_url and edgepass's cdn.url: it must be a
  # host a browser can be sent to, not a wildcard.
  validation {
    condition     = length(var.aliases) == 0 ? true : !startswith(var.aliases[0], "*")
    error_message = "The first alias is the CDN URL's host: it must not be a wildcard."
  }
}

variable "acm_certificate_arn" {
  description = "ACM certificate in us-east-1 covering aliases; null uses the *.cloudfront.net certificate."
  type        = string
  default     = null

  validation {
    condition = (
      var.acm_certificate_arn == null ? true :
      can(regex("^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/[0-9a-f-]{36}$", var.acm_certificate_arn))
    )
    error_message = "acm_certificate_arn must be an ACM certificate ARN in us-east-1."
  }
}

variable "enable_ipv6" {
  description = "Answer on IPv6; turn off when signed policies restrict viewers by IPv4 address."
  type        = bool
  default     = true
}

variable "price_class" {
  description = "Edge locations used: PriceClass_100, PriceClass_200 or PriceClass_All."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "logging" {
  description = "Standard access logs: bucket domain such as logs.s3.amazonaws.com (ACLs enabled), prefix, cookies; null turns them off."
  type = object({
    bucket          = string
    prefix          = optional(string, "cloudfront/")
    include_cookies = optional(bool, false)
  })
  default = null

  validation {
    condition = (
      var.logging == null ? true :
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\\.s3\\.amazonaws\\.com$", var.logging.bucket))
    )
    error_message = "logging.bucket must be a bucket domain name such as logs.s3.amazonaws.com."
  }
}

variable "web_acl_arn" {
  description = "ARN of a WAFv2 web ACL with CLOUDFRONT scope to attach; null attaches none."
  type        = string
  default     = null

  validation {
    condition = (
      var.web_acl_arn == null ? true :
      can(regex("^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global/webacl/.+$", var.web_acl_arn))
    )
    error_message = "web_acl_arn must be a WAFv2 web ACL ARN with global (CLOUDFRONT) scope."
  }
}

variable "geo_restriction" {
  description = "Country restriction: type none, whitelist or blacklist, with ISO 3166-1 alpha-2 codes."
  type = object({
    type      = string
    locations = optional(list(string), [])
  })
  default = { type = "none" }

  validation {
    condition     = contains(["none", "whitelist", "blacklist"], var.geo_restriction.type)
    error_message = "geo_restriction.type must be none, whitelist or blacklist."
  }

  validation {
    condition = (
      (var.geo_restriction.type == "none") == (length(var.geo_restriction.locations) == 0) &&
      alltrue([for c in var.geo_restriction.locations : can(regex("^[A-Z]{2}$", c))])
    )
    error_message = "geo_restriction.locations must be empty for none and otherwise hold upper-case two-letter country codes."
  }
}

# Issuer origin.

variable "issuer" {
  description = "edgepass service behind the CDN: domain_name, path_pattern (default /edgepass/*); null adds no issuer origin."
  type = object({
    domain_name  = string
    path_pattern = optional(string, "/edgepass/*")
  })
  default = null

  validation {
    condition = (
      var.issuer == null ? true :
      can(regex("^([a-z0-9-]+\\.)+[a-z]{2,63}$", var.issuer.domain_name))
    )
    error_message = "issuer.domain_name must be a lower-case DNS name with no scheme or path."
  }

  validation {
    condition = (
      var.issuer == null ? true :
      can(regex("^/[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*/\\*$", var.issuer.path_pattern))
    )
    error_message = "issuer.path_pattern must look like /prefix/* (a fixed prefix ending in /*)."
  }
}
