variable "region" {
  description = "AWS region for the origin bucket."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "name" {
  description = "Prefix for resource names."
  type        = string
  default     = "edgepass-minimal"
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
