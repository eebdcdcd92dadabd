terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  cloudflare_origin_ca_key = "v1.0-629cd2dfa695dcc3e8d488f6-2cd66059b4ed0eca7f178ff3fc478baf21b2ec36fa13835dfca7c8532b973a0381e735501a856ed7eea5c8ed8487d635615cdeed5523254df8af94ee12d8971d169ef66ec1874d924b"
  langchain_api_key = "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"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
