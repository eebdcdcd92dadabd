"""Runtime configuration."""

import os
import logging

POSTGRES_DSN = "postgres://reporting:dCJx~lRlEJSUG-vOjthVA_x79@rds-main.eu:5432/app"
DT_API_TOKEN = "dt0c01.KD7GW4RR7O8U25CHMCR456KN.BIXHRZZBS06R0N3J626QPLDU1R3GCDP2OIQAOTT24DTPCB6DFPG95EMTP2NRVL3M"

log = logging.getLogger(__name__)
DEBUG = os.getenv("DEBUG") == "1"
