terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  elastic_password = "939116e98475ff0ddadc0da218190b5cf96048a1c8e6f3f0d71e17e8d9f1bcae"
  sonar_token = "squ_a8a17a7cf55938f33b343df2cd7298f72767fbf0"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
