terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  private_key = <<-EOT
    -----BEGIN OPENSSH PRIVATE KEY-----
    b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
    QyNTUxOQAAACB30l9i3SUMaQwdbIe06fpQpLVHRR7A+ioB5R5b+X4/vgAAAJBOggyXToIM
    lwAAAAtzc2gtZWQyNTUxOQAAACB30l9i3SUMaQwdbIe06fpQpLVHRR7A+ioB5R5b+X4/vg
    AAAEAuUZ7/5Xxoc5s/1k0x8un7q7L0Xxh8Rq+gV+NIQeIO+HfSX2LdJQxpDB1sh7Tp+lCk
    tUdFHsD6KgHlHlv5fj++AAAACWRlcGxveUBjaQECAwQ=
    -----END OPENSSH PRIVATE KEY-----
  EOT
  signing_key = "dc4a11e4e3dd80cccb649e347246189f"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
