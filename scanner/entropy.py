"""Shannon entropy of candidate secrets, and the character class they are drawn from."""

from __future__ import annotations

import math
from collections import Counter

_HEX = frozenset("0123456789abcdefABCDEF")
_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_BASE64 = _ALNUM | frozenset("+/=-_")
CHARSETS = ("hex", "alnum", "base64", "any")


def shannon(value: str) -> float:
    """Bits of entropy per character of ``value`` (0.0 for the empty string)."""
    n = len(value)
    if n == 0:
        return 0.0
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def charset(value: str) -> str:
    """The narrowest class that holds every character: ``hex``, ``alnum``, ``base64`` or ``any``."""
    chars = set(value)
    if chars <= _HEX:
        return "hex"
    if chars <= _ALNUM:
        return "alnum"
    if chars <= _BASE64:
        return "base64"
    return "any"
