# Plans and applies the module against a mocked AWS provider: no AWS
# account and no credentials, but the real provider's schema and argument
# validation, so a misspelt argument or an out-of-range value fails here as
# it would for a user. Needs the hashicorp/aws provider installed
# (terraform init); see "Checks" in ../README.md.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }

  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }

  mock_resource "aws_cloudfront_distribution" {
    defaults = {
      arn         = "arn:aws:cloudfront::111111111111:distribution/E2EXAMPLE"
      domain_name = "d111111abcdef8.cloudfront.net"
    }
  }

  mock_resource "aws_cloudfront_public_key" {
    defaults = { id = "K2JCJMDEHXQW5F" }
  }

  mock_resource "aws_cloudfront_function" {
    defaults = { arn = "arn:aws:cloudfront::111111111111:function/edgepass-index-rewrite" }
  }

  mock_data "aws_kms_key" {
    defaults = {
      id  = "11111111-2222-3333-4444-555555555555"
      arn = "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555" }
  }
}

variables {
  public_keys = {
    "edgepass-2026-12" = <<-EOT
      -----BEGIN PUBLIC KEY-----
      MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9WtElKK9hbX/yCiCPpgp0HkBKCqV
      2mLGTC4E9t23f5Zs7ad3o9uwdmWekSoY2MmV9c7OA5w/1zEGPi3tZhoW6w==
      -----END PUBLIC KEY-----
    EOT
  }
}

run "defaults" {
  command = apply

  assert {
    condition     = length(aws_cloudfront_distribution.this.default_cache_behavior[0].trusted_key_groups) == 1
    error_message = "The default behavior must be private by default."
  }

  assert {
    condition     = aws_cloudfront_distribution.this.default_cache_behavior[0].viewer_protocol_policy == "https-only"
    error_message = "A private default behavior must be https-only."
  }

  assert {
    condition     = output.cdn_url == "https://d111111abcdef8.cloudfront.net"
    error_message = "cdn_url must be the cloudfront.net host without an alias."
  }

  assert {
    condition     = strcontains(output.edgepass_config, "- id: K2JCJMDEHXQW5F") && !strcontains(output.edgepass_config, "base_path")
    error_message = "edgepass_config must list the key ID and, without an issuer, no base_path."
  }

  assert {
    condition     = length(aws_kms_key.this) == 0 && output.kms_key_arn == null
    error_message = "SSE-S3 by default: no KMS key."
  }

  assert {
    condition     = output.kms_key_policy_statement == null
    error_message = "With SSE-S3 there is no key policy statement."
  }
}

run "complete" {
  command = apply

  variables {
    sse_algorithm          = "aws:kms"
    aliases                = ["cdn.example.com"]
    acm_certificate_arn    = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555"
    web_acl_arn            = "arn:aws:wafv2:us-east-1:111111111111:global/webacl/cdn/11111111-2222-3333-4444-555555555555"
    logging                = { bucket = "example-logs.s3.amazonaws.com" }
    s3_access_logging      = { target_bucket = "example-logs" }
    default_behavior       = "public"
    viewer_protocol_policy = "redirect-to-https"
    private_paths          = ["/private/*", "/media/premium/*"]
    index_rewrite          = true
    cors_allowed_origins   = ["https://app.example.com"]
    issuer                 = { domain_name = "edgepass.internal.example.com" }
    geo_restriction        = { type = "whitelist", locations = ["DE", "FR"] }
  }

  assert {
    condition     = aws_cloudfront_distribution.this.viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021"
    error_message = "An ACM certificate must raise the minimum to TLSv1.2_2021."
  }

  assert {
    condition     = aws_cloudfront_distribution.this.ordered_cache_behavior[0].path_pattern == "/edgepass/*"
    error_message = "The issuer behavior must come first."
  }

  assert {
    condition = alltrue([
      for b in slice(aws_cloudfront_distribution.this.ordered_cache_behavior, 1, 3) :
      length(b.trusted_key_groups) == 1 && b.viewer_protocol_policy == "https-only"
    ])
    error_message = "Every private path needs the key group and https-only."
  }

  assert {
    condition     = length(aws_kms_key.this) == 1 && output.kms_key_arn == aws_kms_key.this[0].arn
    error_message = "aws:kms without kms_key_arn must create a key."
  }

  assert {
    condition     = strcontains(output.kms_key_policy_statement, aws_cloudfront_distribution.this.arn)
    error_message = "With a created key the statement is still there, naming this distribution."
  }

  assert {
    condition     = output.cdn_url == "https://cdn.example.com" && startswith(output.edgepass_config, "base_path: /edgepass\n")
    error_message = "With an alias and an issuer, the config names the alias and base_path."
  }
}

run "existing_bucket_and_key" {
  command = apply

  variables {
    create_bucket = false
    bucket_name   = "existing-origin"
    sse_algorithm = "aws:kms"
    kms_key_arn   = "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  }

  assert {
    condition     = length(aws_s3_bucket.this) == 0 && length(aws_kms_key.this) == 0
    error_message = "An existing bucket and key must not be created."
  }

  assert {
    condition = jsondecode(output.kms_key_policy_statement) == {
      Sid       = "AllowCloudFrontDecrypt"
      Effect    = "Allow"
      Principal = { Service = ["cloudfront.amazonaws.com"] }
      Action    = ["kms:Decrypt"]
      Resource  = "*"
      Condition = { StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.this.arn } }
    }
    error_message = "A given key needs the statement letting CloudFront decrypt only for this distribution."
  }
}

# An existing key whose policy the caller manages takes the statement in
# (tests/own_key): no dependency cycle, and the policy names this
# distribution.
run "own_key_takes_statement" {
  command = apply

  module {
    source = "./tests/own_key"
  }

  assert {
    condition     = jsondecode(aws_kms_key_policy.origin.policy).Statement[1].Condition.StringEquals["AWS:SourceArn"] == module.edgepass.distribution_arn
    error_message = "The key's policy must admit CloudFront only for this distribution."
  }

  assert {
    condition     = module.edgepass.kms_key_arn == data.aws_kms_key.origin.arn
    error_message = "The bucket must be encrypted with the key brought."
  }
}

run "unknown_active_key" {
  command = plan

  variables {
    active_key_name = "missing"
  }

  expect_failures = [aws_cloudfront_key_group.this]
}

run "private_default_refuses_redirect" {
  command = plan

  variables {
    viewer_protocol_policy = "redirect-to-https"
  }

  expect_failures = [aws_cloudfront_distribution.this]
}
