# The smallest useful deployment: a private bucket behind a new
# distribution on its *.cloudfront.net name, /private/* signed by the keys
# in the repository's keys/ folder (or those passed in public_keys).

provider "aws" {
  region = var.region
}

module "edgepass" {
  source = "../.."

  name                 = var.name
  public_keys          = var.public_keys
  cors_allowed_origins = var.cors_allowed_origins
}
