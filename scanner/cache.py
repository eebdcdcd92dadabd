"""A small on-disk cache for what every run would otherwise redo at start-up (compiled Hyperscan
databases, the parsed built-in rules): a pre-commit hook or a pipeline stage starts many times a day.

Entries are keyed by everything they derive from and carry a digest of their body; a missing,
damaged or unwritable cache only means the work is done again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path


def cache_dir() -> Path:
    """``$VEIL_CACHE_DIR``, else ``$XDG_CACHE_HOME/veil``, else ``~/.cache/veil``."""
    if os.environ.get("VEIL_CACHE_DIR"):
        return Path(os.environ["VEIL_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "veil"


def key_of(*parts: object) -> str:
    """A file-name-safe key for ``parts`` (anything with a stable ``repr``)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:40]


def load(name: str) -> bytes | None:
    """The body stored under ``name``, or ``None`` when absent or damaged."""
    with contextlib.suppress(OSError):
        blob = (cache_dir() / name).read_bytes()
        digest, body = blob[:32], blob[32:]
        if hashlib.sha256(body).digest() == digest:
            return body
    return None


def store(name: str, body: bytes) -> None:
    """Keep ``body`` under ``name`` (atomically); silently skipped where the cache cannot be written."""
    with contextlib.suppress(OSError):
        path = cache_dir() / name
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(hashlib.sha256(body).digest() + body)
        os.replace(temporary, path)
