# frozen_string_literal: true

Rails.application.configure do
  config.x.artifactory_api_key = 'AKCpHTlaKryyNgGXDq7ZhiyLvGTYSnJu61JYOR8Vn5M2yTdOsdmO4Qbl8EAiOL8mA7hwEIWDt'
end
