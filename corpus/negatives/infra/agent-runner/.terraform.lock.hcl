# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "7.3.8"
  constraints = "~> 5.0"
  hashes = [
    "h1:kwKvvteITW0Y5Y+501Yb7W0+EEupHwtG4nOto30toFc=",
    "zh:4ddc0fb4e459d125d0a93f2747b31f033d819eb1f84da4d14f777bfdc5acac45",
    "zh:e31ce6a7a4af7777897ae4432c9143c429114cb83c709d5a096cc09a10371fd6",
    "zh:0930d0bdf2652118b39ca72ba13633a29317a738e6d060cc763933b64bcb8cb7",
    "zh:0c895a7672d26cb9b1b96c7a80770acd8597bbf046c54123d8ec51be75257406",
    "zh:e964ff0913fb100beaee68ce195757be79cf4901fc451ddb9f0311bbd3db01a0",
    "zh:9f7ebc55b3004f8050c5414ba584748e6dd71d68196f1cf66707762b44685fa1",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version     = "3.21.13"
  constraints = "~> 5.0"
  hashes = [
    "h1:pzhz6ZYpImseE+0CWVaP55ukJ3RqoSr8WApFzndw3do=",
    "zh:247926160b00814550eb5cdbb6ebe3130ecb50d119a486ab24466df80c6d77ed",
    "zh:a86637206fb64c39e20aaa2bea1eae417ed4635f114eb1143a677766cc0f7869",
    "zh:ef40f6b455cb319ac1c249d91ec1e3229b1a3cecc3ed152aa7269d12794270b9",
    "zh:6073c26af1950332f042d1ec22c475b9af334f362d9f0b8e55a764b9ca8fe4a0",
    "zh:4abf7212c8511b019b8242808382bfa9f787ee401a7ef84719956a4b48b9e910",
    "zh:1e0c4182664341f33a2da3c3defc963df2c3f068bd24281aa96f7edbe6c202b8",
  ]
}

provider "registry.terraform.io/cloudflare/cloudflare" {
  version     = "1.13.11"
  constraints = "~> 5.0"
  hashes = [
    "h1:28PNUkpO144kuzzZKK/E/zeSt3PvpVx/cHuoKJ2NArw=",
    "zh:e76e08a845bc6ab8351f448797a37b9d59c8fa2c220191f700d36209844b8ca3",
    "zh:4a6690b5870a71257344ab381323629075bc87b86629443180be73d2ab615067",
    "zh:3d5aa721540a527f1994ecf4cd6ce2fbda29ac1e472ba958ed7b8a1e618fa858",
    "zh:6453e12925deb666e215769cd43f78387ea49588712583d775f4ab4beb2e4f9c",
    "zh:4c1169438aeee184048ffdf7987557d9859ecc9011e8fa53a0d65b3f2702772b",
    "zh:87f9b634f9aa7af4159bc3ab8da1b662dc75bcb4c4cdb571c70385d6b54bd314",
  ]
}
