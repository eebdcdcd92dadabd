"""Runtime configuration."""

import os
import logging

AUTH_TOKEN = os.getenv("AUTH_TOKEN", "BZkvXB4B/N6/rFY9ey49sGATN0HliDCKW+qMIkIJ2wE=")
TFE_TOKEN = "D6BsB9DF200Nd0.atlasv1.QCyVUnMwdoq1yLiJn4uXpuo5a_fYNSJRIPgwVsblcNyY9_DDXpuZrvoyLlR3GVAQAO7"
SENTRY_AUTH_TOKEN = "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"
SESSION_SECRET = "l6iLE1xDt7ZPl1Sz7b0AkArfRn8Ov"

log = logging.getLogger(__name__)
DEBUG = os.getenv("DEBUG") == "1"
