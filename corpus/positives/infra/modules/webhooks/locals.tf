terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  wandb_api_key = "8282530a402c8fb8ce6713c82f7ae457e4b216d8"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
