"""Runtime configuration."""

import os
import logging

AZURE_BLOB_SAS_URL = "https://ingestdata.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-12-31T23:59:59Z&st=2025-01-01T00:00:00Z&spr=https&sig=xf1coEGnyMYSjCcIIG3jg8xA0Un81ecZGR5qQhvD%2BQ6E%2FmQ%3D"
FLY_ACCESS_TOKEN = os.getenv("FLY_ACCESS_TOKEN", "fo1_lWJOWlaeBrlGHks0ftKUTtuA4YDD5WD0MWol8Werk6Z")
SLACK_APP_TOKEN = os.getenv("SLACK_APP_TOKEN", "xapp-1-A1718SI07O6-6321575134331-4630b384b4d6d56a680599e686a1ddbc48f5c9947d21844e0ac6ae40dec5b856")

log = logging.getLogger(__name__)
DEBUG = os.getenv("DEBUG") == "1"
