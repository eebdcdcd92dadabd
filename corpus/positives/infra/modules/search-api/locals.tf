terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  gem_host_api_key = "rubygems_6a237e6ae630f8b8a9a1cdda0bfc9e5b3f3eeacb3a1cc8a1"
  fireworks_api_key = "fw_H1ItJcEtPYIQ4pfzrG2PmUTf"
  huggingface_hub_token = "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"
  postmark_server_token = "fda90b30-e943-4a80-b9c7-4355a097e5fd"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
