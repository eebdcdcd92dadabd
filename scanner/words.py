"""Tell identifiers from secrets: a value that splits into dictionary words and identifier parts
(``getUserPasswordHash``, ``my_secret_key_name``, ``passwordResetTokenV2``) is a name, not a key."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import regex

_PARTS = regex.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_IDENTIFIER = regex.compile(r"[A-Za-z0-9_.:/-]+")  # ``Summer2024!Secret`` is a password, not a name
MIN_WORDS = 2  # a single word (``password1``) is left to the entropy and placeholder checks
MAX_ACRONYM = 5  # an upper-case part this short (``PKCS``, ``HTTPS``) is an acronym: neither word nor noise
MAX_OTHER_LETTERS = 2  # letters outside words a name may have: a version tag (``V2``), a stray ``x``


@cache
def words() -> frozenset[str]:
    """The dictionary (``data/words.txt``: common English words and words of code), loaded on first use."""
    text = (Path(__file__).parent / "data" / "words.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def looks_like_name(value: str) -> bool:
    """True when ``value`` is made of identifier characters, at least two dictionary words and
    identifier parts, and at most :data:`MAX_OTHER_LETTERS` letters outside them."""
    if not _IDENTIFIER.fullmatch(value):
        return False
    vocabulary = words()
    found = other = 0
    for part in _PARTS.findall(value):
        if part.isdigit() or (part.isupper() and len(part) <= MAX_ACRONYM):
            continue
        if _is_word(part.lower(), vocabulary):
            found += 1
        else:
            other += len(part)
            if other > MAX_OTHER_LETTERS:
                return False
    return found >= MIN_WORDS


def _is_word(part: str, vocabulary: frozenset[str]) -> bool:
    """``part`` or its stem (``users``, ``cached``, ``loading``) is in ``vocabulary``."""
    if part in vocabulary:
        return True
    return any(part.endswith(end) and part[: -len(end)] in vocabulary for end in ("s", "es", "ed", "d", "ing", "er"))
