output "distribution_id" {
  description = "ID of the CloudFront distribution (for invalidations)."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_arn" {
  description = "ARN of the CloudFront distribution, the AWS:SourceArn the bucket and key policies trust."
  value       = aws_cloudfront_distribution.this.arn
}

output "distribution_domain_name" {
  description = "The distribution's *.cloudfront.net host name (the target for alias DNS records)."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "distribution_hosted_zone_id" {
  description = "Route 53 zone ID to use in alias records pointing at the distribution."
  value       = aws_cloudfront_distribution.this.hosted_zone_id
}

output "cdn_url" {
  description = "Base URL signed URLs point at: https:// and the first alias, or the cloudfront.net host."
  value       = local.cdn_url
}

output "bucket_name" {
  description = "Name of the private origin bucket; upload objects here."
  value       = local.bucket_id
}

output "bucket_arn" {
  description = "ARN of the private origin bucket."
  value       = local.bucket_arn
}

output "kms_key_arn" {
  description = "KMS key encrypting the bucket, or null with SSE-S3."
  value       = local.kms_key_arn
}

output "kms_key_policy_statement" {
  description = "JSON key policy statement letting CloudFront kms:Decrypt only for this distribution, for the policy of a key given as kms_key_arn; null with SSE-S3."
  value       = local.kms_key_policy_statement
}

output "origin_access_control_id" {
  description = "ID of the origin access control CloudFront signs origin requests with."
  value       = aws_cloudfront_origin_access_control.this.id
}

output "key_group_id" {
  description = "ID of the key group every private cache behavior trusts."
  value       = aws_cloudfront_key_group.this.id
}

output "public_key_ids" {
  description = "Map from key name to CloudFront public key ID, the Key-Pair-Id edgepass signs with."
  value       = { for name, key in aws_cloudfront_public_key.this : name => key.id }
}

output "edgepass_config" {
  description = "YAML fragment for edgepass.yaml: cdn.url, signing keys (signing key first) and, with an issuer, base_path."
  value       = local.edgepass_config
}
