terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  private_key = <<-EOT
    -----BEGIN RSA PRIVATE KEY-----
    MIIEpQIBAAKCAQEAxHwdPaSJ/TeZbbNAYFZkEPgFUxqaKlUyFx95lNxRYzeT0zUn
    RfZPCbD5qjDasy1i7jau/OIH3W1cF5wAhw4yCIqGgCv9jw2Eu+wLITUw+I0uLD/+
    kqLK59LAQg5dwJngwtRKkUpnBg/cAA3jr7J/dlTqDTzXaem0k+r81X19MJeNuUcM
    bDzczOrq8I+p4jIriHrM/BAZEo7XKd2akVZiJcuBnWihUA9650eB/7ZsR6ViWMB/
    FZE/sFeBt6rR3UWFnjSQCauZu/YrgWXCp3xD2iv69cucUw0vzCcgcTbxKMcO1TsG
    5eJsC4kwjIPZsoyQlC/77HoPVbSY5qZSuqvKRwIDAQABAoIBAHa0wVXAPW4CQcF+
    Jp3u9/y2B4fuZbp+U+F4EJ++iT8Rb/EBXbRZF2+QLnceKQnJxGc10D45i0vNfDih
    rq9am1LTssqkzfleU6CkikJ5/ilZFyMAl3gsJVAqhLrt4n8ti/TefQy5/y9IHBnI
    qcXLitVAhw2020fGibLXimCFafQjLBfJzLykDUVL9u+DRrvvMCXRgKuT2Oa9lkvC
    FVUPS9GNwPRqhB1WkI+N2gRpzK5VCA0P0a3Losd8uGDoIaD1MoeubaQTXK6VwUeC
    jvLxhMCQficKZF0pomr7MsWshzycHQmdqxtnJL/j0mfCNsYVnoNzZt8m+tpVSUCy
    NN2hU2cCgYEA7p71dOI+2Ssdm6VHoeaf29y66Elafi6NLwyrRu1VU+sU69NobmQ1
    u8ROq21SvSOPEDiDQ1XbR35zVhSDihnIiGCF56gxgFcwBc5AYqZ79JAF7EuuCYgP
    1/t1KEmhH6gu9tpnmJHeuHA8N94C8daTA/CN4q9DmZl3cjivQ7/dFfUCgYEAydDm
    Nu8s26k2OReFTBAcuy97xLVPA7K4XXlTQDy16R1/4iQZ1LFF+FSktRnHgvozLOgR
    myVvHTDWEaMth37aBIChInfm9rQHsKnrZI+YWY2ldyas+gek3++t8ZOe6UQalI2A
    07UJxeky1zJs6WEj+PXcOICnD0+12wyV4ehrN9ECgYEApwxo+PeUR1dSlEZu4wkQ
    h/bjhwE0y2cJOb/GeO+H9u2qr1nbee9QnmNa3myprMMIYyLge/HB6L/SlKi9Y9Gf
    2PcSkx7j1EsOp/ikStjBVyATxte2eUcXpxELlp1kDlBCf1qr6jYePtZmF9t3QP98
    MiRmzbOUnDJ1aKkXbKf1DnECgYEA2pr6RjNHVJA5Ww2aTzOLiD30yzf5+JtIs2wB
    fM4Z6XNoSGu2728Th0SW0LofFWgadyz2IZGDHK5c5vM3InUB1eSIddo1IVSSOeTj
    DXHIeY/1PdBFkmbKlQFSrFkqxeGcdxVxvmEDfRDYOg2tIzM/p//6krLeJjvTbNtr
    PuokyAUCgYEAskNnlqxYUpFnp75EEPYbR7OztWDWyDhNUAZy3r4nvoabmeh86x3x
    gbl2RJITqQIXHYKXKbZDguNrCQAGwmooFHWxNMHXn9iw/ZtH2239Qrloc/BKV4Vo
    OtRbMWqIlooYaJg9dXcxHLPq0XXgIdpAb5sawqXwvs7LulTa/2LX4EU=
    -----END RSA PRIVATE KEY-----
  EOT
  gh_pat = "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"
}

module "app" {
  source = "./modules/app"
  env    = local.env_vars
}
