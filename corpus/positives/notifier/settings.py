"""Runtime configuration."""

import os
import logging

DIGITALOCEAN_TOKEN = "dop_v1_5846773b78b0d112de847fbe03aeae44ab453a55a7dc09ac1887d7009482597e"
DATABASE_PASSWORD = os.getenv("DATABASE_PASSWORD", "pscale_pw_AfDigcW-UYydxtwxQSRhE3joGcroPGNO7uOUTzToFqv")
TWILIO_AUTH_TOKEN = "1c964642fb96c5e2586ab352a009b34f"
GOOGLE_CLIENT_SECRET = os.getenv("GOOGLE_CLIENT_SECRET", "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")

log = logging.getLogger(__name__)
DEBUG = os.getenv("DEBUG") == "1"
