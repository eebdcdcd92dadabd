"""Runtime configuration."""

import os
import logging

GOOGLE_ACCESS_TOKEN = os.getenv("GOOGLE_ACCESS_TOKEN", "ya29.a0ta_3eFc4zGVMFfHJunwUgtWCbQjIotZ9wE8B1RHkqJIVYzedDyD7UrYbcHCF5ARQoBKw8LJRv9I4lXldWIBwYcfwKp_wia7xNy6lQZx8L1wytNGhKBYVXgPjBxTAoP0jgThzbDqcXfCV_cm_jhKvqL")
GOOGLE_API_KEY = "AIzaN-nYmR5abZ-ulmqeyyamt2c0EkcItZ7JUiW"

log = logging.getLogger(__name__)
DEBUG = os.getenv("DEBUG") == "1"
