variable "name" {
  description = "Prefix for resource names."
  type        = string
  default     = "edgepass"
}

variable "domain_name" {
  description = "Host name viewers use for the CDN, e.g. cdn.example.com."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a lower-case DNS name."
  }
}

variable "acm_certificate_arn" {
  description = "ACM certificate in us-east-1 that covers domain_name."
  type        = string
}

variable "log_bucket" {
  description = "Existing bucket (ACLs enabled) receiving CloudFront and S3 access logs."
  type        = string
}

variable "issuer_domain_name" {
  description = "Host name of the edgepass service (serve), reached over HTTPS."
  type        = string
}

variable "public_keys" {
  description = "Public keys as name => PEM; empty uploads every keys/*.pub.pem of the repository."
  type        = map(string)
  default     = {}
}

variable "cors_allowed_origins" {
  description = "App origins that may fetch private objects with credentials."
  type        = list(string)
  default     = []
}
