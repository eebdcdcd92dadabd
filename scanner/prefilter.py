"""Multi-literal keyword prefilter: one pass over a chunk finds every keyword hit.

Two backends behind one interface, both case-insensitive on ASCII and both returning the same
hits: Hyperscan (fast, default) and pyahocorasick (fallback).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

import ahocorasick

try:  # Hyperscan ships wheels for x86-64 Linux/macOS only.
    import hyperscan
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    hyperscan = None

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


def _hs_literal(keyword: str) -> bytes:
    return b"".join(b"\\x%02x" % byte for byte in keyword.lower().encode("utf-8"))


class HyperscanPrefilter:
    """Hyperscan block-mode database of the keywords; one scratch space per thread."""

    name = "hyperscan"

    def __init__(self, keywords: Sequence[str]):
        if hyperscan is None:
            raise RuntimeError("hyperscan is not installed; use the 'ahocorasick' engine")
        self._db = None
        if keywords:
            self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            self._db.compile(
                expressions=[_hs_literal(k) for k in keywords],
                ids=list(range(len(keywords))),
                elements=len(keywords),
                flags=[hyperscan.HS_FLAG_CASELESS] * len(keywords),
            )
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

        self._db.scan(data, match_event_handler=on_match, scratch=scratch)
        return found


def default_backend() -> str:
    return "hyperscan" if hyperscan is not None else "ahocorasick"


def make_prefilter(keywords: Sequence[str], backend: str | None = None) -> Prefilter:
    """A prefilter for ``keywords`` with the named backend (``None``: the fastest available)."""
    backend = backend or default_backend()
    if backend == "hyperscan":
        return HyperscanPrefilter(keywords)
    if backend == "ahocorasick":
        return AhoCorasickPrefilter(keywords)
    raise ValueError(f"unknown engine {backend!r}; choose one of {', '.join(BACKENDS)}")
