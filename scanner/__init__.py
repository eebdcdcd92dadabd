"""Veil: find secrets where they leak, and mask them at egress."""

__version__ = "0.1.0"
