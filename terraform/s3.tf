# The private origin bucket: no public access, owner-enforced objects,
# default encryption, versioning, and a policy that lets only this
# distribution read, over TLS.
#
# The settings below name the bucket resource directly rather than through
# local.bucket_id so that scanners (trivy) can tie them to the bucket.

resource "aws_s3_bucket" "this" {
  count = var.create_bucket ? 1 : 0

  bucket        = var.bucket_name
  bucket_prefix = var.bucket_name == null ? "${var.name}-" : null
  force_destroy = var.force_destroy
  tags          = var.tags
}

data "aws_s3_bucket" "existing" {
  count = var.create_bucket ? 0 : 1

  bucket = var.bucket_name

  lifecycle {
    precondition {
      condition     = var.bucket_name != null
      error_message = "bucket_name is required when create_bucket is false."
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = var.create_bucket ? aws_s3_bucket.this[0].id : data.aws_s3_bucket.existing[0].id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = var.create_bucket ? aws_s3_bucket.this[0].id : data.aws_s3_bucket.existing[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = var.create_bucket ? aws_s3_bucket.this[0].id : data.aws_s3_bucket.existing[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.sse_algorithm
      kms_master_key_id = local.kms_key_arn
    }
    bucket_key_enabled = var.sse_algorithm == "aws:kms"
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = var.create_bucket ? aws_s3_bucket.this[0].id : data.aws_s3_bucket.existing[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "this" {
  count = var.s3_access_logging == null ? 0 : 1

  bucket        = var.create_bucket ? aws_s3_bucket.this[0].id : data.aws_s3_bucket.existing[0].id
  target_bucket = var.s3_access_logging.target_bucket
  target_prefix = var.s3_access_logging.target_prefix
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AllowCloudFrontRead"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${local.bucket_arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.this.arn]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = var.create_bucket ? aws_s3_bucket.this[0].id : data.aws_s3_bucket.existing[0].id
  policy = data.aws_iam_policy_document.bucket.json

  # A bucket policy is refused while public access is being blocked.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
