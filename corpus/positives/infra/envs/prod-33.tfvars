environment = "prod"
region      = "eu-central-1"
cloudflare_origin_ca_key = "v1.0-629cd2dfa695dcc3e8d488f6-2cd66059b4ed0eca7f178ff3fc478baf21b2ec36fa13835dfca7c8532b973a0381e735501a856ed7eea5c8ed8487d635615cdeed5523254df8af94ee12d8971d169ef66ec1874d924b"
openrouter_api_key = "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"
