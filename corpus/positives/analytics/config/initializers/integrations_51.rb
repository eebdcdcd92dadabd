# frozen_string_literal: true

Rails.application.configure do
  config.x.square_access_token = 'EAAAcatNPuZMwXZWsRmfhEPdkjnI0eYYtrV9GbGGDfvbshMhl-duiyvplOkC8QjJ'
  config.x.zendesk_api_token = 'PPnpgBoIgERGRzywOIb0WfYpqheSSGIlSPSylBx1'
  config.x.asana_access_token = '2/5811926783972149/6530158873097715:ce76f8e18b793a8392e88e9b7fe3a4cc'
  config.x.supabase_access_token = 'sbp_e821b20ed3b56d2895278e0ca206547db1dd5ab6'
end
