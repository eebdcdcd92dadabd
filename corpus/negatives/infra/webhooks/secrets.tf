resource "random_password" "db" {
  length  = 32
  special = true
}

resource "aws_db_instance" "main" {
  username = "app"
  password = random_password.db.result
}

data "aws_secretsmanager_secret_version" "api" {
  secret_id = "prod/api/key"
}

variable "api_token" {
  type      = string
  sensitive = true
}

locals {
  api_key = jsondecode(data.aws_secretsmanager_secret_version.api.secret_string)["key"]
}
