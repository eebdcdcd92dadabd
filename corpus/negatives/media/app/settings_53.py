"""Settings read from the environment; no values live here."""

import os

API_KEY = os.environ["API_KEY"]
password = os.getenv("DB_PASSWORD", "")
secret_key = get_secret("django-secret-key")
token = request.headers.get("Authorization", "").removeprefix("Bearer ")
client_secret = config["oauth"]["client_secret"]
STRIPE_KEY = settings.STRIPE_SECRET_KEY
signing_key = load_key(os.environ["SIGNING_KEY_PATH"])
access_token = cache.get(f"token:{user_id}")
PASSWORD_RESET_TIMEOUT = 259200
