"""Runtime configuration."""

import os
import logging
from groq import Groq

groq_client = Groq(api_key="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")
RESEND_API_KEY = "re_feGDiVEx_58g3RXGJqSsmw7EFzUVfxmas"
PAYPAL_CLIENT_SECRET = "EfgwVYKNxMddkL51V4wn2DbHmZWacvNeM3whvxx9xJztZUr7ztvfWC50r_gEYhcJyXRamZ3cuynPzj0c"

log = logging.getLogger(__name__)
DEBUG = os.getenv("DEBUG") == "1"
