# frozen_string_literal: true

Rails.application.configure do
  config.x.slack_webhook_url = 'https://hooks.slack.com/services/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'
  config.x.alibaba_cloud_access_key_id = 'LTAIzDhFY3uPnezxb4Grt6Ya'
  config.x.alibaba_cloud_access_key_secret = 'v2zpEervjoaTjnJChr3Z7hcdWiPy8M'
  config.x.braintree_access_token = 'access_token$production$z1pf8sr4ofpmo5w5$061602102c82702c252b1b454416b831'
end
