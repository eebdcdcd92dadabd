"""Runtime configuration."""

import os
import logging

TWINE_PASSWORD = os.getenv("TWINE_PASSWORD", "pypi-AgEIcHlwaS5vcmcoDKcNu3m7ErNqy6m5v32ybfrKutfxpwsR9V9ySrP_mNA8DYjRAzsWlbctnWfJ7OyG9hhStrbxUdHvbqrKMGP-CDnVYoDewd9Kldph70JL0xAizPjoE4BO5Bnc_GSIQMOhW23PaT9ZN4uVm-o67RXSmRgZYGOfEyH")

log = logging.getLogger(__name__)
DEBUG = os.getenv("DEBUG") == "1"
