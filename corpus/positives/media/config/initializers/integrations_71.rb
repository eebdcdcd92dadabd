# frozen_string_literal: true

Rails.application.configure do
  config.x.vercel_token = 'WbxGtZU8Lgy721dm3LieTTCV'
  config.x.plaid_access_token = 'access-production-ba4074db-54fd-4d59-bb35-ed847f6d4053'
  config.x.stripe_api_key = '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'
end
