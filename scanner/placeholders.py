"""Recognise values that look like secrets but are placeholders, templates or test filler."""

from __future__ import annotations

import regex

_WORDS = (
    "xxxx", "****", "example", "placeholder", "changeme", "change_me", "redacted", "dummy",
    "your_", "your-", "yourkey", "yoursecret", "yourtoken", "<your", "insert_", "replace_me",
    "replaceme", "123456789", "abcdefghij", "qwerty", "fakekey",
)
# In long values (key blocks) a four-letter word turns up by chance: only longer markers count there.
_LONG_WORDS = tuple("xxxxxxxx" if w == "xxxx" else w for w in _WORDS)
_LONG = 128
_TEMPLATE = regex.compile(
    r"""\$\{[^}]*\}|\{\{[^}]*\}\}|\$\([^)]*\)|%\([^)]*\)s|<[A-Za-z][A-Za-z0-9_ .-]{1,62}>|\#\{[^}]*\}"""
)
_SHELL_VAR = regex.compile(r"\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%")
_RUN = regex.compile(r"(.)\1{7,}")
_NOT_ALNUM = regex.compile(r"[^A-Za-z0-9]")
RUN_SHARE = 4  # a run of one character is filler when it makes up a quarter of the value or more


def is_placeholder(secret: str) -> bool:
    """True when ``secret`` is a template variable, a filler pattern or a documentation value."""
    lowered = secret.lower()
    if any(word in lowered for word in (_WORDS if len(secret) <= _LONG else _LONG_WORDS)):
        return True
    if _TEMPLATE.search(secret) or _SHELL_VAR.fullmatch(secret):
        return True
    body = _NOT_ALNUM.sub("", secret)
    chars = set(body)
    # a handful of characters, or one of them in half the places (a zeroed UUID): then no more than half
    # the places plus one hold distinct characters, which rules most values out before counting
    if body and (len(chars) <= 3 or 2 * len(chars) <= len(body) + 2 and max(map(body.count, chars)) * 2 >= len(body)):
        return True
    run = _RUN.search(secret) if len(secret) <= 64 else None
    return run is not None and len(run.group()) * RUN_SHARE >= len(secret)  # filler, not a format's fixed run
