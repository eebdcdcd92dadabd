"""Runtime configuration."""

import os
import logging

BITBUCKET_APP_PASSWORD = os.getenv("BITBUCKET_APP_PASSWORD", "ATBBEVuonCYOeVsThaFYSmwQrM5ok6a0FvsS")

log = logging.getLogger(__name__)
DEBUG = os.getenv("DEBUG") == "1"
