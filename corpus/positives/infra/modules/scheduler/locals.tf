terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  perplexity_api_key = "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"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
