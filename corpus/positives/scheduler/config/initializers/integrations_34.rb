# frozen_string_literal: true

Rails.application.configure do
  config.x.service_password = '67668bc3d18684799867e754dae5ea4b0cf48447'
  config.x.pypi_api_token = 'pypi-AgEIcHlwaS5vcmceYsrbEm6HWTkzZbtQl63djgf78HeuwcnZ6oAZWqyw5GDSSGNFwJQprD8JS0przsX9-HorU66Ftpc8lv0mQx9BuiqccuUNuC5EnFBOsAjW7hdKR8vm6LtAjVz3BwO0DEWFFmFNo09Wce28WvGkaMkvGbeepB2WcVv'
  config.x.figma_access_token = 'figd_bSRq5Xh8l6wpsrGk9vVA4w0QaKbgMqP_bJNrEd6d'
  config.x.slack_user_token = 'xoxp-439778305833-752483812456-7192699551250-04acdb397a764120bd5be3b085071356'
end
