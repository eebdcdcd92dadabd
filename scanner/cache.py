"""A small on-disk cache for what every run would otherwise redo at start-up (compiled Hyperscan
databases, the parsed built-in rules): a pre-commit hook or a pipeline stage starts many times a day.

Entries are keyed by everything they derive from and carry a digest of their body; a missing,
damaged or unwritable cache only means the work is done again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
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


def take_lock(name: str, stale_after: float) -> bool:
    """Create the lock file ``name`` if no other process holds it (one older than ``stale_after`` seconds,
    or whose process is gone, is taken for abandoned); True also where the cache cannot be written (each
    process then decides for itself)."""
    path = cache_dir() / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError, ValueError):
            if time.time() - path.stat().st_mtime > stale_after or not _alive(int(path.read_text() or 0)):
                path.unlink()
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    except OSError:
        return True
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    return True


def remove(name: str) -> None:
    """Remove ``name`` from the cache, if it is there."""
    with contextlib.suppress(OSError):
        (cache_dir() / name).unlink()


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (on this machine); an unreadable lock counts as held."""
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
