"""Multi-literal keyword prefilter: one pass over a chunk finds every keyword hit.

Two backends behind one interface, both case-insensitive on ASCII and both returning the same
hits: Hyperscan (fast, default) and pyahocorasick (fallback).
"""

from __future__ import annotations

import contextlib
import os
import platform
import threading
import time
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

    ``gates`` are regexes compiled into the same database, reported at the end of each match, with the
    indexes that follow the keywords'; ``spans`` are regexes reported at every end of every match, with
    the indexes after the gates'."""

    name = "hyperscan"

    def __init__(self, keywords: Sequence[str], gates: Sequence[str] = (), spans: Sequence[str] = ()):
        if hyperscan is None:
            raise RuntimeError("hyperscan is not installed; use the 'ahocorasick' engine")
        self._db = None
        expressions = [hs_literal(k.lower().encode("utf-8")) for k in keywords]
        expressions += [g.encode("utf-8") for g in (*gates, *spans)]
        flags = [hyperscan.HS_FLAG_CASELESS] * len(keywords) + [0] * len(gates)
        flags += [0] * len(spans)
        ids = list(range(len(expressions)))
        first_span = len(keywords) + len(gates)
        self.spans_ok = [True] * len(spans)  # which span regexes Hyperscan took (the others never report)
        if expressions:
            try:
                self._db = compile_database(expressions, flags, ids)
            except hyperscan.error:
                if not spans:
                    raise
                self.spans_ok = [compiles_alone(e) for e in expressions[first_span:]]
                keep = [i for i in ids if i < first_span or self.spans_ok[i - first_span]]
                if keep:
                    self._db = compile_database([expressions[i] for i in keep], [flags[i] for i in keep], keep)
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


class SpanDatabase:
    """Span regexes (see :class:`HyperscanPrefilter`) in a database of their own, built in the
    background: hundreds of whole-rule regexes take seconds to compile, and a process that has no
    compiled copy in the cache yet (a fresh CI runner, an agent's first log record) must not wait for
    them. The build starts once :data:`BUILD_AFTER` bytes have asked for it (a short run never pays
    for it); until :meth:`ready` returns the database, callers do without it.

    One process builds it: the first to ask for it that takes the cache's build lock. It finishes the
    build before it exits (else the work would be lost and every run would start it again) and stores
    it; other processes (a pool's workers) look for it in the cache now and then and load it from there."""

    BUILD_AFTER = 64 << 20  # bytes: without the database, the rules' windows cost about the build's time
    LOOK_EVERY = 0.5  # seconds between looks for another process's build in the cache
    STALE_LOCK = 600  # seconds after which a build lock is taken for abandoned

    def __init__(self, spans: Sequence[str]):
        self._spans = list(spans)
        self._built: HyperscanPrefilter | None = None
        self._asked = 0  # bytes that asked for the database before it was built
        self._lock = threading.Lock()
        # (process id, the build's thread here, or None: another process builds it); a fork has none
        self._builder: tuple[int, threading.Thread | None] | None = None
        self._looked = 0.0  # when this process last looked for another's build
        self._marker = f"spans-built-{cache.key_of(_HS_VERSION, platform.machine(), self._spans)}"
        if cache.load(self._marker) is not None:  # built by an earlier run: loading it is quick
            self._build()

    def ready(self, size: int = 0) -> HyperscanPrefilter | None:
        """The database if it is built; otherwise ``None``, and its build is under way (here, or in the
        process holding the build lock) once ``size`` and the sizes asked before add up to
        :data:`BUILD_AFTER`."""
        if self._built is None:
            self._asked += size
            if self._asked < self.BUILD_AFTER:
                return None
            with self._lock:
                if self._builder is None or self._builder[0] != os.getpid():
                    if self._take_build_lock():
                        # not a daemon: the process finishes the build before it exits, and stores it
                        thread = threading.Thread(target=self._build_and_unlock, name="veil-span-database")
                        self._builder = (os.getpid(), thread)
                        thread.start()
                    else:
                        self._builder = (os.getpid(), None)
                        self._looked = time.monotonic()
                elif self._builder[1] is None and time.monotonic() - self._looked >= self.LOOK_EVERY:
                    self._looked = time.monotonic()
                    if cache.load(self._marker) is not None:
                        self._build()
        return self._built

    def wait(self) -> HyperscanPrefilter:
        """The database, built now if it is not yet (or loaded, when another process stored it)."""
        self.ready(self.BUILD_AFTER)
        if self._builder is not None and self._builder[0] == os.getpid() and self._builder[1] is not None:
            self._builder[1].join()
        if self._built is None:  # built elsewhere, not yet, or the build failed in its thread: here, now
            self._build()
        assert self._built is not None
        return self._built

    def _build(self) -> None:
        self._built = HyperscanPrefilter((), (), self._spans)
        cache.store(self._marker, b"1")

    def _build_and_unlock(self) -> None:
        try:
            self._build()
        finally:
            cache.remove(self._marker + ".lock")

    def _take_build_lock(self) -> bool:
        """Whether this process is the one to build (it took the lock, or no cache can hold one)."""
        return cache.take_lock(self._marker + ".lock", self.STALE_LOCK)


def gate_error(pattern: str) -> str | None:
    """Why Hyperscan cannot compile ``pattern`` as a gate (``None``: it can, or Hyperscan is absent)."""
    if hyperscan is None:
        return None
    try:
        HyperscanPrefilter((), [pattern])
    except hyperscan.error as exc:
        return str(exc)
    return None


def compiles_alone(pattern: bytes) -> bool:
    """Whether Hyperscan compiles ``pattern`` alone, as a span regex (remembered in the cache)."""
    name = f"compiles-{cache.key_of(_HS_VERSION, platform.machine(), pattern)}"
    known = cache.load(name)
    if known is not None:
        return known == b"1"
    try:
        hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK).compile(expressions=[pattern], ids=[0], elements=1, flags=[0])
        ok = True
    except hyperscan.error:
        ok = False
    cache.store(name, b"1" if ok else b"0")
    return ok


def compile_database(expressions: list[bytes], flags: list[int], ids: list[int] | None = None) -> hyperscan.Database:
    """Compile ``expressions``, or load them compiled by an earlier run (see cache.py): compiling
    hundreds of keywords and a few regexes costs tens of milliseconds at every start."""
    ids = list(range(len(expressions))) if ids is None else ids
    name = f"hyperscan-{cache.key_of(_HS_VERSION, platform.machine(), expressions, flags, ids)}.db"
    body = cache.load(name)
    if body is not None:
        with contextlib.suppress(hyperscan.error):
            return hyperscan.loadb(body, hyperscan.HS_MODE_BLOCK)
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=expressions, ids=ids, elements=len(expressions), flags=flags)
    cache.store(name, hyperscan.dumpb(db))
    return db


def default_backend() -> str:
    return "hyperscan" if hyperscan is not None else "ahocorasick"


def make_prefilter(keywords: Sequence[str], backend: str | None = None, gates: Sequence[str] = ()) -> Prefilter:
    """A prefilter for ``keywords`` (and ``gates``: Hyperscan only) with the named backend (``None``: the
    fastest available)."""
    backend = backend or default_backend()
    if backend == "hyperscan":
        return HyperscanPrefilter(keywords, gates)
    if backend == "ahocorasick":
        return AhoCorasickPrefilter(keywords)
    raise ValueError(f"unknown engine {backend!r}; choose one of {', '.join(BACKENDS)}")
