terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  app_key = "base64:YnE/We+ftfFf/A79uDL2n9bVLeZdGjiWSaN0o4rJOig="
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
