"""Runtime configuration."""

import os
import logging

PRIVATE_KEY = """-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACC3Op+CmpgRNi5ixCM4cNc9HZhpe86gFpc4nODasl5BOAAAAJCUO4qNlDuK
jQAAAAtzc2gtZWQyNTUxOQAAACC3Op+CmpgRNi5ixCM4cNc9HZhpe86gFpc4nODasl5BOA
AAAECqsr2A7/Io0Wy+u5rBocFfJyegmrucOTmXxzMkDfs6grc6n4KamBE2LmLEIzhw1z0d
mGl7zqAWlzic4NqyXkE4AAAACWRlcGxveUBjaQECAwQ=
-----END OPENSSH PRIVATE KEY-----
"""
BREVO_API_KEY = os.getenv("BREVO_API_KEY", "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")

log = logging.getLogger(__name__)
DEBUG = os.getenv("DEBUG") == "1"
