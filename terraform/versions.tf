terraform {
  required_version = ">= 1.5"

  required_providers {
    # Not 5.0: releases before the cloudfront-js-2.0 runtime (late 2023)
    # refuse it for the index rewrite function; 5.31 (December 2023) and
    # later accept it.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.31"
    }
  }
}
