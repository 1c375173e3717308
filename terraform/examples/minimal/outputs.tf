output "cdn_url" {
  description = "Base URL for edgepass's cdn.url."
  value       = module.edgepass.cdn_url
}

output "bucket_name" {
  description = "Bucket to upload private objects to."
  value       = module.edgepass.bucket_name
}

output "public_key_ids" {
  description = "Key name => CloudFront public key ID (Key-Pair-Id)."
  value       = module.edgepass.public_key_ids
}

output "edgepass_config" {
  description = "cdn and signing sections for edgepass.yaml."
  value       = module.edgepass.edgepass_config
}
