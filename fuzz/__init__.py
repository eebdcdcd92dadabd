"""Fuzz harnesses for Veil: one module per target, each with ``fuzz_one(data: bytes) -> None``.

``fuzz_one`` raises only on a real defect: an unexpected exception escapes, or it raises
:class:`fuzz.common.Defect` (an invariant broke, or the call ran past its time bound).
Run them with ``python -m fuzz.run`` (see ``fuzz/README.md``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE / "seeds"
CRASHES = HERE / "crashes"
TARGETS = {  # target name → module holding its fuzz_one
    "engine": "fuzz.harness_engine",
    "stream": "fuzz.harness_stream",
    "trace": "fuzz.harness_trace",
    "image": "fuzz.harness_image",
}


def harness(target: str) -> Callable[[bytes], None]:
    """The ``fuzz_one`` of ``target``."""
    return importlib.import_module(TARGETS[target]).fuzz_one


def target_of(path: Path) -> str:
    """The target a crash file (``<target>-<sha1>.bin``) or seed (``seeds/<target>/…``) belongs to."""
    if path.parent.name in TARGETS:
        return path.parent.name
    return path.name.split("-", 1)[0]
