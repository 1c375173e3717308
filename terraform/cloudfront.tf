# The distribution: the private S3 origin through OAC, signed access on the
# private paths, and optionally the edgepass issuer on the CDN's own host.

resource "aws_cloudfront_origin_access_control" "this" {
  name                              = "${var.name}-s3"
  description                       = "edgepass: CloudFront signs every request to the origin bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_distribution" "this" {
  enabled         = true
  comment         = "${var.name}: private content signed by edgepass"
  http_version    = "http2and3"
  is_ipv6_enabled = var.enable_ipv6
  price_class     = var.price_class
  aliases         = var.aliases
  web_acl_id      = var.web_acl_arn
  tags            = var.tags

  origin {
    origin_id                = local.s3_origin_id
    domain_name              = local.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this.id
  }

  dynamic "origin" {
    for_each = var.issuer == null ? [] : [var.issuer]

    content {
      origin_id   = local.issuer_origin_id
      domain_name = origin.value.domain_name

      custom_origin_config {
        http_port              = 80
        https_port             = 443
        origin_protocol_policy = "https-only"
        origin_ssl_protocols   = ["TLSv1.2"]
      }
    }
  }

  default_cache_behavior {
    target_origin_id           = local.s3_origin_id
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = aws_cloudfront_cache_policy.this.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.this.id
    trusted_key_groups         = var.default_behavior == "private" ? [aws_cloudfront_key_group.this.id] : []

    # A behavior that demands a signature is https-only: with a redirect a
    # signed query string (or CloudFront-* cookies not marked Secure) would
    # first cross plain HTTP. viewer_protocol_policy applies to a public
    # default only.
    viewer_protocol_policy = (
      var.default_behavior == "private" ? "https-only" : var.viewer_protocol_policy
    )

    dynamic "function_association" {
      for_each = aws_cloudfront_function.index_rewrite

      content {
        event_type   = "viewer-request"
        function_arn = function_association.value.arn
      }
    }
  }

  # The issuer comes first so that its prefix wins over broader private
  # patterns.
  dynamic "ordered_cache_behavior" {
    for_each = var.issuer == null ? [] : [var.issuer]

    content {
      path_pattern               = ordered_cache_behavior.value.path_pattern
      target_origin_id           = local.issuer_origin_id
      viewer_protocol_policy     = "https-only"
      allowed_methods            = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
      cached_methods             = ["GET", "HEAD"]
      compress                   = true
      cache_policy_id            = data.aws_cloudfront_cache_policy.caching_disabled[0].id
      origin_request_policy_id   = data.aws_cloudfront_origin_request_policy.all_viewer_except_host[0].id
      response_headers_policy_id = aws_cloudfront_response_headers_policy.issuer[0].id
    }
  }

  dynamic "ordered_cache_behavior" {
    for_each = var.private_paths

    content {
      path_pattern               = ordered_cache_behavior.value
      target_origin_id           = local.s3_origin_id
      viewer_protocol_policy     = "https-only"
      allowed_methods            = ["GET", "HEAD", "OPTIONS"]
      cached_methods             = ["GET", "HEAD"]
      compress                   = true
      cache_policy_id            = aws_cloudfront_cache_policy.this.id
      response_headers_policy_id = aws_cloudfront_response_headers_policy.this.id
      trusted_key_groups         = [aws_cloudfront_key_group.this.id]

      dynamic "function_association" {
        for_each = aws_cloudfront_function.index_rewrite

        content {
          event_type   = "viewer-request"
          function_arn = function_association.value.arn
        }
      }
    }
  }

  dynamic "logging_config" {
    for_each = var.logging == null ? [] : [var.logging]

    content {
      bucket          = logging_config.value.bucket
      prefix          = logging_config.value.prefix
      include_cookies = logging_config.value.include_cookies
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = var.geo_restriction.type
      locations        = var.geo_restriction.locations
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = var.acm_certificate_arn == null
    acm_certificate_arn            = var.acm_certificate_arn
    ssl_support_method             = var.acm_certificate_arn == null ? null : "sni-only"
    minimum_protocol_version       = var.acm_certificate_arn == null ? "TLSv1" : "TLSv1.2_2021"
  }

  lifecycle {
    precondition {
      condition     = length(var.aliases) == 0 || var.acm_certificate_arn != null
      error_message = "aliases need acm_certificate_arn (an ACM certificate in us-east-1)."
    }

    precondition {
      condition     = var.default_behavior == "public" || var.viewer_protocol_policy == "https-only"
      error_message = "redirect-to-https needs default_behavior = public; signed paths are https-only."
    }

    # The issuer behavior comes first, so a private pattern equal to or
    # under its prefix would never apply: those requests would go to the
    # issuer, not to the bucket.
    precondition {
      condition = var.issuer == null ? true : alltrue([
        for p in var.private_paths : !startswith(p, trimsuffix(var.issuer.path_pattern, "*"))
      ])
      error_message = "A private_paths pattern must not equal or sit under issuer.path_pattern."
    }
  }
}
