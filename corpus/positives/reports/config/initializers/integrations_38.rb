# frozen_string_literal: true

Rails.application.configure do
  config.x.square_application_secret = 'sq0csp-y3azopvzK6opYyuyhfVPGQhDREW8uvKpG8mnSmtn393'
  config.x.rabbitmq_password = '7F74h-q0A~4s!roHg^NNtDz4vB2^U'
end
