environment = "prod"
region      = "eu-central-1"
azdo_personal_access_token = "xreqlj62ac4gnb5uatitk4ya25l6khebugegxk3w662zz36vhz5b"
shopify_admin_token = "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"
