"""Multi-literal keyword prefilter: one pass over a chunk finds every keyword hit.

Two backends behind one interface, both case-insensitive on ASCII and both returning the same
hits: Hyperscan (fast, default) and pyahocorasick (fallback).
"""

from __future__ import annotations

import contextlib
import platform
import threading
from collections.abc import Sequence
from typing import Protocol

import ahocorasick

from . import cache

try:  # Hyperscan ships wheels for x86-64 Linux/macOS only.
    import hyperscan
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    hyperscan = None
_HS_VERSION = getattr(hyperscan, "__version__", "")

BACKENDS = ("hyperscan", "ahocorasick")


class Prefilter(Protocol):
    """Finds keyword hits: ``(keyword index, end offset)`` pairs, in any order."""

    name: str

    def hits(self, data: bytes) -> list[tuple[int, int]]: ...


class AhoCorasickPrefilter:
    """pyahocorasick over the chunk's bytes, lower-cased on ASCII and read as Latin-1 (offsets kept)."""

    name = "ahocorasick"

    def __init__(self, keywords: Sequence[str]):
        self._automaton = ahocorasick.Automaton()
        for index, keyword in enumerate(keywords):
            self._automaton.add_word(keyword.lower(), index)
        self._empty = not keywords
        if not self._empty:
            self._automaton.make_automaton()

    def hits(self, data: bytes) -> list[tuple[int, int]]:
        if self._empty:
            return []
        text = data.lower().decode("latin-1")
        return [(index, end + 1) for end, index in self._automaton.iter(text)]


def hs_literal(text: bytes) -> bytes:
    """``text`` as a Hyperscan expression that matches exactly it: every byte escaped."""
    return b"".join(b"\\x%02x" % byte for byte in text)


class HyperscanPrefilter:
    """Hyperscan block-mode database of the keywords; one scratch space per thread.

    ``gates`` are regexes compiled into the same database, each reported at most once per chunk,
    with the indexes that follow the keywords'."""

    name = "hyperscan"

    def __init__(self, keywords: Sequence[str], gates: Sequence[str] = ()):
        if hyperscan is None:
            raise RuntimeError("hyperscan is not installed; use the 'ahocorasick' engine")
        self._db = None
        if keywords or gates:
            expressions = [hs_literal(k.lower().encode("utf-8")) for k in keywords] + [g.encode("utf-8") for g in gates]
            flags = [hyperscan.HS_FLAG_CASELESS] * len(keywords) + [hyperscan.HS_FLAG_SINGLEMATCH] * len(gates)
            self._db = compile_database(expressions, flags)
        self._local = threading.local()

    def hits(self, data: bytes) -> list[tuple[int, int]]:
        if self._db is None or not data:
            return []
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        found: list[tuple[int, int]] = []
        append = found.append

        def on_match(index: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
            append((index, end))

        self._db.scan(data, on_match, 0, None, scratch)  # positional: the binding parses keywords slowly
        return found


def gate_error(pattern: str) -> str | None:
    """Why Hyperscan cannot compile ``pattern`` as a gate (``None``: it can, or Hyperscan is absent)."""
    if hyperscan is None:
        return None
    try:
        HyperscanPrefilter((), [pattern])
    except hyperscan.error as exc:
        return str(exc)
    return None


def compile_database(expressions: list[bytes], flags: list[int]) -> hyperscan.Database:
    """Compile ``expressions``, or load them compiled by an earlier run (see cache.py): compiling
    hundreds of keywords and a few regexes costs tens of milliseconds at every start."""
    name = f"hyperscan-{cache.key_of(_HS_VERSION, platform.machine(), expressions, flags)}.db"
    body = cache.load(name)
    if body is not None:
        with contextlib.suppress(hyperscan.error):
            return hyperscan.loadb(body, hyperscan.HS_MODE_BLOCK)
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions), flags=flags)
    cache.store(name, hyperscan.dumpb(db))
    return db


def default_backend() -> str:
    return "hyperscan" if hyperscan is not None else "ahocorasick"


def make_prefilter(keywords: Sequence[str], backend: str | None = None, gates: Sequence[str] = ()) -> Prefilter:
    """A prefilter for ``keywords`` (and ``gates``: Hyperscan only) with the named backend (``None``:
    the fastest available)."""
    backend = backend or default_backend()
    if backend == "hyperscan":
        return HyperscanPrefilter(keywords, gates)
    if backend == "ahocorasick":
        return AhoCorasickPrefilter(keywords)
    raise ValueError(f"unknown engine {backend!r}; choose one of {', '.join(BACKENDS)}")
