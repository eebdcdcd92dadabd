"""A progress line on stderr: shown only on a terminal, and only once a scan has run a while."""

from __future__ import annotations

import sys
import time
from typing import TextIO

DELAY = 1.0  # seconds before a scan counts as long
INTERVAL = 0.1


class ProgressLine:
    """Call with (files done, files in all, bytes); ``close()`` erases the line. ``unit``: what is counted."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None, unit: str = "files"):
        self._unit = unit
        self._stream = stream or sys.stderr
        self._enabled = self._stream.isatty() if enabled is None else enabled
        self._started = time.monotonic()
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int, nbytes: int) -> None:
        now = time.monotonic()
        if not self._enabled or now - self._started < DELAY or now - self._last < INTERVAL:
            return
        self._last = now
        percent = 100 * done // total if total else 100
        rate = nbytes / (now - self._started) / 1e6
        self._stream.write(f"\rveil: {done}/{total} {self._unit} ({percent}%) · {nbytes / 1e6:.1f} MB · "
                           f"{rate:.1f} MB/s ")
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()
