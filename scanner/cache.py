"""A small on-disk cache for what every run would otherwise redo at start-up (compiled Hyperscan
databases, the parsed built-in rules): a pre-commit hook or a pipeline stage starts many times a day.

Entries are keyed by everything they derive from and carry a digest of their body; a missing,
damaged or unwritable cache only means the work is done again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
from pathlib import Path

UNUSED_FOR = 30 * 24 * 3600  # seconds: an entry no run has loaded for this long is removed
TOUCH_AFTER = 24 * 3600  # seconds: a loaded entry's time is brought up to date at most this often
_swept = False  # whether this process has swept the cache (see _sweep)
_ENTRY = re.compile(r"(?:hyperscan|rules|spans-built|compiles)-[0-9a-f]{40}")  # the names Veil stores under


def cache_dir() -> Path:
    """``$VEIL_CACHE_DIR``, else ``$XDG_CACHE_HOME/veil``, else ``~/.cache/veil``."""
    if os.environ.get("VEIL_CACHE_DIR"):
        return Path(os.environ["VEIL_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "veil"


def key_of(*parts: object) -> str:
    """A file-name-safe key for ``parts`` (anything with a stable ``repr``)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:40]


def load(name: str) -> bytes | None:
    """The body stored under ``name``, or ``None`` when absent or damaged. An entry loaded is marked
    as used (its time), so :func:`store`'s sweep keeps it."""
    with contextlib.suppress(OSError):
        path = cache_dir() / name
        blob = path.read_bytes()
        digest, body = blob[:32], blob[32:]
        if hashlib.sha256(body).digest() == digest:
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime > TOUCH_AFTER:
                    os.utime(path)
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
    _sweep()


def _sweep() -> None:
    """Once a process, remove Veil's entries (:data:`_ENTRY`: nothing else a shared folder holds) that no
    run has used for :data:`UNUSED_FOR` seconds: each release's rules compile to databases of their own
    (megabytes), and the old ones would pile up for ever."""
    global _swept
    if _swept:
        return
    _swept = True
    cutoff = time.time() - UNUSED_FOR
    with contextlib.suppress(OSError):
        for entry in os.scandir(cache_dir()):
            with contextlib.suppress(OSError):
                if _ENTRY.match(entry.name) and entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)


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
