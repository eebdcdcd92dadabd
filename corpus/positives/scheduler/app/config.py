"""Runtime configuration."""

import os
import logging

RAZORPAY_KEY_SECRET = "Wesmfsg2YzdKn3RYvvzUUec3"

log = logging.getLogger(__name__)
DEBUG = os.getenv("DEBUG") == "1"
