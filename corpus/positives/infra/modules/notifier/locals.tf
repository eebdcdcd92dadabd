terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  cargo_registry_token = "cioBQLEXlcOVxCr8B4PmRZYS6JCRw6LMc8M"
  paypal_client_secret = "EK2Mx4v3jo2LX5qYTm1ks6zwfoeu_R22uRQMjLqUc7O-qnK-RIJRpZItqVuUNcUjb3KuuY2YT5kUxteA"
  azure_client_secret = "edA4Q~6c2PaXT~umlsPhsYpEFVmaWlCWRxRg48Ke"
  elevenlabs_api_key = "sk_2b1f585cf756d628f671bbe80c924ebe5e878bb036d61f65"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
