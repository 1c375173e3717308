# Values shared by several files, and the account the module runs in.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  # The origin bucket, created here or looked up by name.
  bucket_id                   = var.create_bucket ? aws_s3_bucket.this[0].id : data.aws_s3_bucket.existing[0].id
  bucket_arn                  = var.create_bucket ? aws_s3_bucket.this[0].arn : data.aws_s3_bucket.existing[0].arn
  bucket_regional_domain_name = var.create_bucket ? aws_s3_bucket.this[0].bucket_regional_domain_name : data.aws_s3_bucket.existing[0].bucket_regional_domain_name

  # SSE-KMS with no key given creates one (kms.tf).
  create_kms_key = var.sse_algorithm == "aws:kms" && var.kms_key_arn == null
  kms_key_arn    = var.sse_algorithm != "aws:kms" ? null : (local.create_kms_key ? aws_kms_key.this[0].arn : var.kms_key_arn)

  # Public keys: the map given, or every *.pub.pem file in the keys folder,
  # named by the file name without ".pub.pem". The local playground's
  # dev.pub.pem (from edgepass dev) is left out: its private half is not
  # for production. Other names, dev-2027 included, are kept.
  public_keys_dir = var.public_keys_dir != null ? var.public_keys_dir : "${path.module}/../keys"
  public_key_files = {
    for f in fileset(local.public_keys_dir, "*.pub.pem") :
    trimsuffix(f, ".pub.pem") => file("${local.public_keys_dir}/${f}")
    if f != "dev.pub.pem"
  }
  public_keys = length(var.public_keys) > 0 ? var.public_keys : local.public_key_files

  # The signing key comes first in the edgepass config; the others stay
  # loaded for rotation.
  key_names  = sort(keys(local.public_keys))
  active_key = var.active_key_name != null ? var.active_key_name : (length(local.key_names) > 0 ? local.key_names[length(local.key_names) - 1] : "")
  signing_key_names = concat(
    [local.active_key],
    [for k in local.key_names : k if k != local.active_key],
  )

  s3_origin_id     = "s3-${var.name}"
  issuer_origin_id = "issuer-${var.name}"
  issuer_base_path = var.issuer == null ? "" : trimsuffix(var.issuer.path_pattern, "/*")

  cdn_host = length(var.aliases) > 0 ? var.aliases[0] : aws_cloudfront_distribution.this.domain_name
  cdn_url  = "https://${local.cdn_host}"

  # Fragment of edgepass.yaml (see DESIGN.md, "Configuration").
  edgepass_config = <<EOT
%{if local.issuer_base_path != ""~}
base_path: ${local.issuer_base_path}
%{endif~}
cdn:
  url: ${local.cdn_url}
signing:
  hash: ${var.signing_hash}
  keys:
%{for name in local.signing_key_names~}
    - id: ${aws_cloudfront_public_key.this[name].id}
      private_key_file: keys/${name}.pem
%{endfor~}
EOT
}
