"""The progress line: silent off a terminal and on short scans, erased when done."""

from __future__ import annotations

import io

from scanner import progress
from scanner.progress import ProgressLine


def test_silent_when_not_a_terminal():
    stream = io.StringIO()
    line = ProgressLine(stream)
    line(1, 2, 100)
    line.close()
    assert stream.getvalue() == ""


def test_shown_on_a_long_scan_and_erased(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    stream = io.StringIO()
    line = ProgressLine(stream, enabled=True)
    line(5, 10, 3_000_000)
    line.close()
    shown = stream.getvalue()
    assert shown.startswith("\rveil: 5/10 files (50%) · 3.0 MB · ")
    assert shown.endswith("\r\033[K")
