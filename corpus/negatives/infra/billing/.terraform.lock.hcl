# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "9.8.20"
  constraints = "~> 5.0"
  hashes = [
    "h1:GYC+HuZf9FBCQEQtN+8G5wXfwouFZRHmvYEk86GsSmg=",
    "zh:d302e7eec5aa84a6c19677633af54e406f5a72c1877d60fa6f923580504d81f9",
    "zh:e822b99d8106e00929a53b4e3918c678ee15e9880c8fe15befaa5248481229fb",
    "zh:574cd39b4efe2d336f3e2c6b74e3f53c6e8da15aa1cfaa92c132585d1139192e",
    "zh:589e9a3a0d5d9b762f1d11098c1060b5aed7508d682720609a3805c6df74e9c2",
    "zh:13a8a4174ed7cf2b11835e27591d7171757e2620a784f7cbf3a93b4366b277c0",
    "zh:822a63a503ad0bff5ca6f8682b6d7438a7606098bfcde30533e47eb22efaad31",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version     = "2.0.0"
  constraints = "~> 5.0"
  hashes = [
    "h1:1hkMguM8yNd6mEvoo8hhDhsd94gDqiM5ec3e72f6Lls=",
    "zh:0d9dcd315a04260c2d4fb1fa0531f7445505fcdd2b95c60fef88e20086da559f",
    "zh:1268cca6164db12edb4ff1ab86873bda7c22fed8d7b6482ea4b94de56cb616c5",
    "zh:cfdcdc237abd8bc5caca0c34232e90fa68bceb35a47748ea956c501e13e73848",
    "zh:5ba370c9d701d3fffbc8e53f866f234cc0af33195b9823ff29b1c862dc8589fd",
    "zh:1e956d8a9a98e3a6c88b0394e306b015d0794f246bee5dca01448d4c9c7a9678",
    "zh:c8d617cb8b10ba56c6b3109af8018cf98f0f14ba34b4763da723d95542f15b8d",
  ]
}

provider "registry.terraform.io/cloudflare/cloudflare" {
  version     = "0.15.13"
  constraints = "~> 5.0"
  hashes = [
    "h1:Rgjpl7fq8K6i6k5vmfGzvSC7f0LMNDLAzscKWZFpvuk=",
    "zh:12335995fa96bf040534b657019e28c89d6e36a6185cd07ad27e5474ede04bf1",
    "zh:c26109a1ccd40048a623ec0e6717fb3e8e14e80409db7b19e5a08abb3d20b5aa",
    "zh:88ba9bd54a3d425c41d522141b5927b6da719c146e2287341cff2614af84b63e",
    "zh:1bee53b70d937acddb72039f215bcad0b4370786b31d9ff5bc18ffe3e3fc4e12",
    "zh:e87637f2d5d6bade0ecc4dbd86ca062ae9d909fae63850112c2e8d574c35c116",
    "zh:400e21cf9d28fcbd409903a5bd8fc51cb1e91a7c4eee1884166bd477919445a1",
  ]
}
