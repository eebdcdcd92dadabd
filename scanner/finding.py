"""Findings: an engine match placed in its source (path, origin), masked by default."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from .engine import Match

# scrypt at N=2**9, r=8 (512 KiB of memory): about 0.9 ms per fingerprint on one core, so 1,000
# findings cost under a second, while each guess at a secret from a published fingerprint costs
# the same 0.9 ms and half a megabyte (a fast hash costs nanoseconds). Changing these changes
# every fingerprint: bump baseline.FORMAT_VERSION with them.
_SCRYPT = {"n": 2**9, "r": 8, "p": 1, "dklen": 16}
_SALT = "veil-fingerprint/2"


def mask(secret: str) -> str:
    """``ghp_…OL8d``-style: four characters of each end from 32 characters on, two from 16, none below."""
    keep = 4 if len(secret) >= 32 else 2 if len(secret) >= 16 else 0
    if keep == 0:
        return "…"
    return f"{secret[:keep]}…{secret[-keep:]}"


@lru_cache(maxsize=65536)
def fingerprint(rule_id: str, path: str, secret: str) -> str:
    """Stable identity of a finding: a slow hash (scrypt) of the secret, salted with the rule and path.

    Never the secret itself, and costly to reverse by guessing, even for a short password. It does
    not depend on the line, so a finding keeps its identity when lines move. ``path`` is
    :attr:`Finding.root_path`, so the identity does not depend on the directory Veil runs from.
    """
    salt = f"{_SALT}\0{rule_id}\0{path}".encode("utf-8", "surrogateescape")
    return hashlib.scrypt(secret.encode("utf-8", "surrogateescape"), salt=salt, **_SCRYPT).hex()


@dataclass(frozen=True)
class Finding:
    """One secret in one place. ``secret`` is the clear value; reports mask it unless told not to."""

    rule_id: str
    description: str
    path: str
    line: int
    column: int
    secret: str
    entropy: float
    confidence: str
    tags: tuple[str, ...] = ()
    origin: dict = field(default_factory=dict)
    decoded: str = ""  # "base64": found in a decoded value (a Kubernetes Secret's data), see decoders.py
    root_path: str = ""  # the path from the scanned root (Suppressor.root_path), which the fingerprint hashes
    fingerprint: str = ""  # computed from rule, root_path and secret unless given (as a masked copy keeps it)
    partner: str = ""  # a paired rule's other half (the key id beside an AWS secret key), masked like the secret

    def __post_init__(self) -> None:
        if not self.root_path:
            object.__setattr__(self, "root_path", self.path)
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", fingerprint(self.rule_id, self.root_path, self.secret))

    @classmethod
    def from_match(cls, match: Match, path: str, origin: dict | None = None, root_path: str = "") -> Finding:
        """A finding of ``match`` at ``path``, identified by ``root_path`` (``path`` when not given)."""
        rule = match.rule
        return cls(
            rule.id, rule.description, path, match.line, match.column, match.secret,
            round(match.entropy, 3), rule.confidence, rule.tags, origin or {}, match.decoded, root_path,
            partner=match.partner,
        )

    def shown_secret(self, show_secrets: bool) -> str:
        return self.secret if show_secrets else mask(self.secret)

    def pair_note(self, show_secrets: bool) -> str:
        """`` with AK…4L`` after the secret of a pair in a report line (the partner masked), or nothing."""
        return f" with {self.partner if show_secrets else mask(self.partner)}" if self.partner else ""

    @property
    def decoded_note(self) -> str:
        """`` (decoded from base64)`` after the secret in a report line, or nothing."""
        return f" (decoded from {self.decoded})" if self.decoded else ""

    def to_dict(self, show_secrets: bool = False) -> dict:
        """The JSON shape of a finding (``secret`` and ``partner`` masked unless ``show_secrets``; ``decoded``
        and ``partner`` only when set)."""
        shape = {
            "rule": self.rule_id,
            "description": self.description,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "secret": self.shown_secret(show_secrets),
            "fingerprint": self.fingerprint,
            "entropy": self.entropy,
            "confidence": self.confidence,
            "tags": list(self.tags),
            "origin": self.origin,
        }
        if self.decoded:
            shape["decoded"] = self.decoded
        if self.partner:
            shape["partner"] = self.partner if show_secrets else mask(self.partner)
        return shape
