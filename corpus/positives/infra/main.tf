provider "digitalocean" {
  token = "dop_v1_a1461192cbea61381d6b2b3123f6266936a2b493a44ae82d37604733bdd52259"
}

resource "azurerm_storage_account" "logs" {
  name                = "prodlogs"
  resource_group_name = "prod"
}

locals {
  storage_connection = "DefaultEndpointsProtocol=https;AccountName=prodlogs;AccountKey=mkwt3uVkWwljSDgqqKhiyZ3NsQ1eaNGLuNaH19gsA0Zm+iUCj1JU8GlE8ELsn7DgBPZ2P6KsqzodK95451b254==;EndpointSuffix=core.windows.net"
}
