terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  github_token = "ghp_Tk2r0UbclikKqbtMlekQdQsd0gtu5xJQtPnr"
  teams_webhook_url = "https://acmecorp.webhook.office.com/webhookb2/120bd5be-3b08-4071-856e-8d6012680143@2cfde6b3-20e5-4140-a665-804a09163c01/IncomingWebhook/4e17aaee5a09163b2b29fdda3a2bbebb/b62e0f57-9168-439a-b14b-45ec1320cdbc"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
