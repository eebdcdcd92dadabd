environment = "prod"
region      = "eu-central-1"
nuget_api_key = "oy2v2e10x3wjt3z4in47wiyeey3iwae0dkqpsniv7ig0b9"
