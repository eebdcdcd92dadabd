terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  azure_storage_connection_string = "DefaultEndpointsProtocol=https;AccountName=tfstateacct;AccountKey=s1xVCPkSkraA9usmvZ144zbUlz7NpvaRLyjW6BP2wnSq8LHdK80sdg793XjXw11n2KBsIXnMIqAgpRrwQdQmso==;EndpointSuffix=core.windows.net"
  bitbucket_app_password = "ATBBg7LjRDAO5mBFvtsa1lNMwEkxknDXQT3j"
  cache_url = "redis://app:0jG-EeLdutZqLxF8-dO3zB@cluster0.x7kqm.net:6379/0"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
