# A root module that brings an existing KMS key, looked up by alias so
# that its ARN is known at plan, and manages that key's policy with the
# module's kms_key_policy_statement in it. ../mock.tftest.hcl applies it:
# the policy waits for the distribution, the bucket encryption for the key,
# and neither waits for the other.

variable "public_keys" {
  description = "Public keys as name => PEM, passed to the module."
  type        = map(string)
}

data "aws_caller_identity" "current" {}

data "aws_kms_key" "origin" {
  key_id = "alias/existing-origin"
}

resource "aws_kms_key_policy" "origin" {
  key_id = data.aws_kms_key.origin.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      jsondecode(module.edgepass.kms_key_policy_statement),
    ]
  })
}

module "edgepass" {
  source = "../.."

  public_keys   = var.public_keys
  sse_algorithm = "aws:kms"
  kms_key_arn   = data.aws_kms_key.origin.arn
}
