# Cache, response headers and origin request policies, and the optional
# index rewrite function.

# Nothing from the request enters the cache key: signing parameters
# (Expires, Signature, Key-Pair-Id, Policy, Hash-Algorithm) and CloudFront-*
# cookies must never split the cache, and S3 needs none of them.
resource "aws_cloudfront_cache_policy" "this" {
  name        = "${var.name}-private-objects"
  comment     = "edgepass: cache key is the path only"
  min_ttl     = var.cache_ttl.min
  default_ttl = var.cache_ttl.default
  max_ttl     = var.cache_ttl.max

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_gzip   = true
    enable_accept_encoding_brotli = true

    cookies_config {
      cookie_behavior = "none"
    }

    headers_config {
      header_behavior = "none"
    }

    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_cloudfront_response_headers_policy" "this" {
  name    = "${var.name}-security-headers"
  comment = "edgepass: security headers and CORS for the app origins"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = var.hsts_max_age_seconds
      include_subdomains         = true
      preload                    = false
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
  }

  # Browsers send signed cookies cross-origin only with credentials, which
  # in turn needs named origins (never "*").
  dynamic "cors_config" {
    for_each = length(var.cors_allowed_origins) > 0 ? [var.cors_allowed_origins] : []

    content {
      access_control_allow_credentials = true
      access_control_max_age_sec       = var.cors_max_age_seconds
      origin_override                  = true

      access_control_allow_origins {
        items = cors_config.value
      }

      access_control_allow_methods {
        items = ["GET", "HEAD", "OPTIONS"]
      }

      access_control_allow_headers {
        items = ["Range", "If-None-Match", "If-Modified-Since"]
      }

      access_control_expose_headers {
        items = ["Content-Length", "Content-Range", "ETag"]
      }
    }
  }
}

# The issuer's answers get the same security headers but no CORS from
# CloudFront: edgepass answers CORS itself, for its own methods (POST,
# DELETE) and headers (Authorization), and an overriding CloudFront CORS
# config would replace that.
resource "aws_cloudfront_response_headers_policy" "issuer" {
  count = var.issuer == null ? 0 : 1

  name    = "${var.name}-issuer-security-headers"
  comment = "edgepass: security headers for the issuer, which answers CORS itself"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = var.hsts_max_age_seconds
      include_subdomains         = true
      preload                    = false
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
  }
}

# The issuer origin is dynamic: nothing cached, and every viewer header
# except Host, every cookie and every query string forwarded.
data "aws_cloudfront_cache_policy" "caching_disabled" {
  count = var.issuer == null ? 0 : 1

  name = "Managed-CachingDisabled"
}

data "aws_cloudfront_origin_request_policy" "all_viewer_except_host" {
  count = var.issuer == null ? 0 : 1

  name = "Managed-AllViewerExceptHostHeader"
}

resource "aws_cloudfront_function" "index_rewrite" {
  count = var.index_rewrite ? 1 : 0

  name    = "${var.name}-index-rewrite"
  comment = "Serve /dir/ from /dir/index.html"
  runtime = "cloudfront-js-2.0"
  publish = true
  code    = file("${path.module}/functions/index-rewrite.js")
}
