# frozen_string_literal: true

Rails.application.configure do
  config.x.new_relic_api_key = 'NRAK-XOJTIURITXOPVJY5XEDFNO1CUZW'
  config.x.master_password = 'aAuRTuaVcP0ku4DowaTln0evOaSkvx/t'
  config.x.redis_url = 'redis://billing:A1WJpB~Hw~x3n66ie6@rds-main.eu:6379/0'
end
