environment = "prod"
region      = "eu-central-1"
slack_webhook_url = "https://hooks.slack.com/services/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"
pulumi_access_token = "pul-6254dbec15f29808aa445e98680b31c17991c860"
