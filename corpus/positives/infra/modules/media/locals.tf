terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  azure_client_secret = "edA4Q~6c2PaXT~umlsPhsYpEFVmaWlCWRxRg48Ke"
  grafana_token = "glsa_RGIzlLOAaO57EyHhDbxeJKA9dydgxw1b_af52e5e5"
  notion_token = "secret_MaI9nxfds5Av29vRQsHsBxIn4K7BDDpOvx2ML9GqAk6"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
