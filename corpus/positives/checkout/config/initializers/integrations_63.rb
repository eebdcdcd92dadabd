# frozen_string_literal: true

Rails.application.configure do
  config.x.deepseek_api_key = 'sk-a9ef4de746b69f52dd0a4670955ff136'
  config.x.sendgrid_api_key = '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'
  config.x.netlify_auth_token = 'nfp_WS9Q0C48dbY1JiNONUCu8WN9F19Qiw9NELR4'
end
