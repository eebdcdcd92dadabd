"""Container images — ``docker save`` tarballs, OCI archives, OCI layout directories — scanned without Docker."""

from ..compress import Limits
from .layout import NOT_AN_IMAGE
from .runner import ImageOptions, scan_image

__all__ = ["NOT_AN_IMAGE", "ImageOptions", "Limits", "scan_image"]
