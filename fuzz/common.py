"""What every harness shares: the defect exception, time bounds, and engines built once per process."""

from __future__ import annotations

import functools
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from scanner.engine import Engine
from scanner.ruleset import RuleSet

MAX_LEN = 64 * 1024  # longer inputs are cut: the fuzzer's -max_len is smaller anyway
TIME_BOUND = 15.0  # seconds one input may take in one harness before it counts as a hang
IGNORED: set[str] = set()  # defect kinds not raised (``run.py --ignore``): keep fuzzing past a known one


class Defect(AssertionError):
    """An invariant broke. ``kind`` names which one (``backend-mismatch``, ``leak``, ``hang`` …)."""

    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}")
        self.kind = kind


def defect(kind: str, message: str) -> None:
    """Raise :class:`Defect` unless ``kind`` is ignored for this run."""
    if kind not in IGNORED:
        raise Defect(kind, message)


@contextmanager
def bounded(what: str, seconds: float = TIME_BOUND) -> Iterator[None]:
    """Raise a ``hang`` defect when the body ran longer than ``seconds`` (checked when it ends;
    the fuzzer's own ``-timeout`` catches a body that never ends)."""
    began = time.monotonic()
    yield
    spent = time.monotonic() - began
    if spent > seconds:
        defect("hang", f"{what} took {spent:.1f}s (bound {seconds:g}s)")


def choice(data: bytes, n: int, salt: int = 0) -> int:
    """A number in ``range(n)`` derived from ``data``: how a harness picks a variant (a split point, a
    file suffix) without consuming input bytes, so seeds stay plain real inputs."""
    return zlib.crc32(data, salt) % n if n > 0 else 0


@functools.cache
def engine(backend: str = "hyperscan") -> Engine:
    """The shipped rule set compiled for ``backend``, once per process. Both backends share one table
    of measured regex pass speeds, so they make the same dense-or-windowed choice for each rule."""
    built = Engine(RuleSet.default(), backend=backend)
    if backend != "hyperscan":
        built._pass_speed = engine("hyperscan")._pass_speed  # noqa: SLF001 - keep timing out of the comparison
    return built
