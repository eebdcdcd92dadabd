# frozen_string_literal: true

Rails.application.configure do
  config.x.hubspot_access_token = 'pat-eu1-05e03a82-3378-46a7-8ba8-260793f23ed8'
  config.x.telegram_bot_token = '8604685188:AAjPhpoYLaAuRm6o7gU5cBWtQsxfb5AFXog'
end
