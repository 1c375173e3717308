output "cdn_url" {
  description = "Base URL for edgepass's cdn.url (the custom domain)."
  value       = module.edgepass.cdn_url
}

output "distribution_id" {
  description = "Distribution ID, for invalidations."
  value       = module.edgepass.distribution_id
}

output "distribution_domain_name" {
  description = "Target of the DNS alias record for domain_name."
  value       = module.edgepass.distribution_domain_name
}

output "distribution_hosted_zone_id" {
  description = "Route 53 zone ID for the alias record."
  value       = module.edgepass.distribution_hosted_zone_id
}

output "bucket_name" {
  description = "Bucket to upload private objects to."
  value       = module.edgepass.bucket_name
}

output "kms_key_arn" {
  description = "KMS key encrypting the bucket; uploaders need kms:GenerateDataKey on it."
  value       = module.edgepass.kms_key_arn
}

output "public_key_ids" {
  description = "Key name => CloudFront public key ID (Key-Pair-Id)."
  value       = module.edgepass.public_key_ids
}

output "edgepass_config" {
  description = "base_path, cdn and signing sections for edgepass.yaml."
  value       = module.edgepass.edgepass_config
}
