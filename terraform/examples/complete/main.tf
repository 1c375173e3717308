# Everything the module offers: a custom host name with an ACM certificate,
# SSE-KMS with a key only this distribution may use, access logs, a WAF
# web ACL, the index rewrite function, and the edgepass issuer routed
# through the CDN so its cookies are set on the CDN's own host.

provider "aws" {
  # CloudFront-scoped WAF web ACLs and CloudFront's ACM certificates live
  # in us-east-1.
  region = "us-east-1"
}

resource "aws_wafv2_web_acl" "cdn" {
  name        = "${var.name}-cdn"
  description = "Managed protections in front of the edgepass distribution"
  scope       = "CLOUDFRONT"

  default_action {
    allow {}
  }

  rule {
    name     = "aws-common-rule-set"
    priority = 1

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-ip-reputation"
    priority = 2

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesAmazonIpReputationList"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-ip-reputation"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-cdn"
    sampled_requests_enabled   = true
  }
}

module "edgepass" {
  source = "../.."

  name        = var.name
  public_keys = var.public_keys

  sse_algorithm = "aws:kms"

  aliases             = [var.domain_name]
  acm_certificate_arn = var.acm_certificate_arn
  web_acl_arn         = aws_wafv2_web_acl.cdn.arn
  price_class         = "PriceClass_200"

  logging = {
    bucket = "${var.log_bucket}.s3.amazonaws.com"
    prefix = "cloudfront/${var.name}/"
  }
  s3_access_logging = {
    target_bucket = var.log_bucket
    target_prefix = "s3/${var.name}/"
  }

  default_behavior     = "public"
  private_paths        = ["/private/*", "/media/premium/*"]
  index_rewrite        = true
  cors_allowed_origins = var.cors_allowed_origins

  issuer = {
    domain_name = var.issuer_domain_name
  }
}
