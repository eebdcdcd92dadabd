terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  langsmith_api_key = "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"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
