# With sse_algorithm = "aws:kms" and no kms_key_arn, a key of our own whose
# policy lets CloudFront decrypt only on behalf of this distribution.
#
# A key brought through kms_key_arn keeps its own policy, which the module
# cannot edit: the kms_key_policy_statement output hands its owner the same
# grant as AllowCloudFrontDecrypt below, one JSON statement to add to that
# policy. It is there with every SSE-KMS key (for a created key it restates
# what the key's policy already holds) and null with SSE-S3. It must not
# depend on var.kms_key_arn: a caller whose key takes this statement into
# its policy, and whose ARN comes back in as kms_key_arn, would make a cycle.

locals {
  kms_key_policy_statement = var.sse_algorithm == "aws:kms" ? jsonencode({
    Sid       = "AllowCloudFrontDecrypt"
    Effect    = "Allow"
    Principal = { Service = ["cloudfront.amazonaws.com"] }
    Action    = ["kms:Decrypt"]
    Resource  = "*"
    Condition = {
      StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.this.arn }
    }
  }) : null
}

data "aws_iam_policy_document" "kms" {
  count = local.create_kms_key ? 1 : 0

  statement {
    sid       = "AccountAdministers"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "AllowCloudFrontDecrypt"
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

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
}

resource "aws_kms_key" "this" {
  count = local.create_kms_key ? 1 : 0

  description             = "${var.name}: encrypts the private CloudFront origin bucket"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms[0].json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  count = local.create_kms_key ? 1 : 0

  name          = "alias/${var.name}-origin"
  target_key_id = aws_kms_key.this[0].key_id
}
