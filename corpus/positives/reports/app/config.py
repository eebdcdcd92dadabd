"""Runtime configuration."""

import os
import logging

SUPABASE_ACCESS_TOKEN = os.getenv("SUPABASE_ACCESS_TOKEN", "sbp_2cc7a0414174702d8d92d01a6a5a6885b9bc9741")
AMQP_URL = "amqp://etl_loader:qO~qf4PGnyGUXIARu0L~@rds-main.eu:5672/vhost"

log = logging.getLogger(__name__)
DEBUG = os.getenv("DEBUG") == "1"
