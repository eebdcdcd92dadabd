"""Runtime configuration."""

import os
import logging

SENDGRID_API_KEY = os.getenv("SENDGRID_API_KEY", "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")
AIRTABLE_TOKEN = "patAguurWfDfFlWW3.5ad198302e52ba16a66395800d0fc0a975cf840af7706f40f1b2ba23eb8b492e"
TAVILY_API_KEY = "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"

log = logging.getLogger(__name__)
DEBUG = os.getenv("DEBUG") == "1"
