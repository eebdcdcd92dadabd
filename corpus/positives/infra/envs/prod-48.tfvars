environment = "prod"
region      = "eu-central-1"
cookie_secret = "civ2TdoqKWZIJCyIyYqTTboVoOlLEytr04GgitoupXk26Zi8yeLNhhybketfUC3t"
