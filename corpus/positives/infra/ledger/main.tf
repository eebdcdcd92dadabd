terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  private_key = <<-EOT
    -----BEGIN ENCRYPTED PRIVATE KEY-----
    MIIFCDAyBgkqhkiG9w0BBQ0wJTAjBgkqhkiG9w0BBQwwFgQQx4/S4kO/48vQ0y31
    cj+COQICCAAEggTQEMukM9kdmhNo5XjZzDiJKU3sJ/C1QwPMwgQ90liiOZdW6ltY
    L4mm0bxC6EX2BRhughLDYnfo6odzgyuPvAlszxvotFWOJYno8evMzlQSVgQ6jdKg
    UN9NLsxIbL4r79XfmQWLqcnFU3fR9vrqt1IR0gHS8cqyro1wmKSI/FJgeL4u3qTA
    Jk3vuBZCeDSbZlKv+uoBzvaNbo38GF0utSac3NEWZ0PmGOO9Qp7zX6wLnLvpAIMQ
    CoAMCsYoUaWhf0c7MGlti2bSDOfNYJnzOCAJh9s8WD7cweTsJw7lRttKNwwK71yy
    ZXRS+4+5FT4Xmr/1w7olmhZnntLKbdM9q3uuBM4h113RwyDkyU1e2fBsC33s6uUh
    yggz3yUIYWN0YAt9sHygAQvVbO7HhmSLSYpu/+/tKrqFPqEU3wjF499xVvHuVpyG
    HxZCjymxmaXKkrMez3PArZVaxYnw562bmuFveRIsOg1fjyZJxiW6mnKkflLLJvUH
    d9DhSAMyyw0PuU75kZrtvZSbOL2aAXakFuMrhUAdCDmm12T3lg+35uUbIzkx4dVW
    h9QOCK9TDsCbSJ2hlo0Hg6oDjoJhqzLBqyRbhJUcL8UdGSifOhKyEpMGfalrbZWH
    yhACiF5A7Rrc+gMEkCv7kBucxQ2c0Jx+29dFTD3ar0kYY78iLBRLdlz8vZD/tMdL
    TviXnhQJdBhvpZXRW/z4J2pCpAzjvnERVlpvQDPKJ5s72ZtBmk+FojFYOEB/6+ai
    j61OFZFOS1ja8RFjCmSrMFWfnWF2lnOut71EMLGMmBPLMPXfyQl5FdKnOcorfDiR
    EHDU11Jpz+pRnznRrVHiF6XEbGYd3pQSuOeBTCQU7+yAl9splGBSNoQYAvYQDbwX
    zYbg+18uU3EV3jNUSzBQO+s9VGYQy88dZNak0UNPkAv/hWTei/m5PicvM6UGVZaj
    Wwc2W4vEx/EjsJJTM3bZQAjjWu4dEptbgV6iobRJU8fcHmDTOwQYEGLGyPpYUVIs
    Lr17guOo9uuecp1JXAN4C81ICU+eb/GouliK3CSJjJZAGKh/hIlP1p14OxykLNiR
    3NXNGzM3/LB3X6GuyUe6ovek83LqBjUq24O27a2HuqwhOUIzcKglRivKh0J5px8+
    Q2bu5S4P+EHqfETl/vedAL5aaJUVhqXj7CJCx9vZsZz4aAi18I4zDDaLgOiHbdIT
    4l5Crrw4lmnOo9r2WnmuzkGlfbRsi3DDIjvyvYrMAqvmkJNODZk2QjolwmnZnFLo
    29eohfk8VqyryfVd6SIa1dqm2ofIFIpiYOZ4JNmPOycHfPYSZYNmKGaE4XvArmHb
    H5H3i8F4IpvcbMYzPeSNxLnxQve2R71W0VKHtxcDR389qNoMAaSz4/X7T818fXci
    ZhW9LL8QhTcbfvkhwVGueWlLV1+SoJgsM25wxLfnyAtxtidYh9v6VsuyRLNzzwX6
    zRjvJb8jQc5Q7TMGihEZMG8XfELy1nSfPz3M6VwQ3gNiPhNbeIi2JUh//NDrGNhr
    vBYEg35s3a5KzezTYd2IzQdGbAM/OsRZOecUKLGdLXU3GQoZuJMDrvdjI/FBWCaB
    2t8T4nGqNPk6c3Kqg5+AdieNkJxT8+kNUtdvLrWupUYf5gWvAwVtb5z8AgY=
    -----END ENCRYPTED PRIVATE KEY-----
  EOT
  azure_devops_pat = "zfon2kcgzzdbnip3qvkwcc2ouutaamuhbfi2y3fplkjb7hqddw4a"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
