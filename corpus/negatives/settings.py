"""Settings read from the environment; no values live here."""

import os

API_KEY = os.environ["API_KEY"]
password = os.getenv("DB_PASSWORD", "")
secret_key = get_secret("django-secret-key")
token = request.headers.get("Authorization", "").removeprefix("Bearer ")
auth_token = settings.AUTH_TOKEN
client_secret = config["oauth"]["client_secret"]
PASSWORD_RESET_TIMEOUT = 259200
password_hash = make_password(raw_password)
token_url = "https://oauth2.googleapis.com/token"
secret_name = "projects/acme/secrets/db-password/versions/latest"
api_key_header = "X-API-Key"
getUserPasswordHash = lambda user: user.password_hash
my_secret_key_name = "SECRET_KEY"
