terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  twilio_api_key = "SKf4d21f51bd61a75b21b1d54dc15a5b84"
  twilio_api_secret = "1ad86551b4f70664a2857b94bf6d19e9"
  launchdarkly_sdk_key = "sdk-71720ed6-e523-438a-8303-4f74bdf1ae75"
  sonar_token = "sqp_15041912f0526532a27fa216d0633569e33c6561"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
