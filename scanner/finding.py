"""Findings: an engine match placed in its source (path, origin), masked by default."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .engine import Match


def mask(secret: str) -> str:
    """``ghp_…OL8d``-style: at most four characters of each end, none for short values."""
    keep = min(4, len(secret) // 8)
    if keep == 0:
        return "…"
    return f"{secret[:keep]}…{secret[-keep:]}"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


def fingerprint(rule_id: str, path: str, secret: str) -> str:
    """Stable identity of a finding: rule, path and a hash of the secret — never the secret itself.

    It does not depend on the line, so a finding keeps its identity when lines move.
    """
    return hashlib.sha256(f"{rule_id}\0{path}\0{secret_hash(secret)}".encode()).hexdigest()[:32]


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

    @classmethod
    def from_match(cls, match: Match, path: str, origin: dict | None = None) -> Finding:
        rule = match.rule
        return cls(
            rule.id, rule.description, path, match.line, match.column, match.secret,
            round(match.entropy, 3), rule.confidence, rule.tags, origin or {}, match.decoded,
        )

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.rule_id, self.path, self.secret)

    def shown_secret(self, show_secrets: bool) -> str:
        return self.secret if show_secrets else mask(self.secret)

    @property
    def decoded_note(self) -> str:
        """`` (decoded from base64)`` after the secret in a report line, or nothing."""
        return f" (decoded from {self.decoded})" if self.decoded else ""

    def to_dict(self, show_secrets: bool = False) -> dict:
        """The JSON shape of a finding (``secret`` masked unless ``show_secrets``; ``decoded`` only when set)."""
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
        return shape
