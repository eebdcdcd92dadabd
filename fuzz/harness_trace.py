"""JSON/trace parser: ``scan_trace`` on arbitrary bytes saved as ``.json``, ``.jsonl``, ``.json.gz`` (whole
or truncated), and ``redact_bytes`` (``veil trace --redact``) on the same bytes.

``scan_trace`` documents no exception: damage becomes a skip. ``veil trace --redact`` catches only
``OSError``/``BombError`` from reading, so ``redact_bytes`` may raise nothing. Further defects: a JSON
Lines trace loses or gains a line in redaction, a valid JSON document or line comes out invalid,
either takes longer than the time bound.
"""

from __future__ import annotations

import atexit
import gzip
import json
import os
import shutil
import tempfile

from scanner.outcome import ScanOutcome
from scanner.redact.trace import redact_bytes
from scanner.sources.trace import TraceOptions, scan_trace
from scanner.sources.trace.records import mode_of, strip_bom

from .common import MAX_LEN, bounded, choice, defect, engine

_DIR = tempfile.mkdtemp(prefix="veil-fuzz-trace-")
atexit.register(shutil.rmtree, _DIR, True)
OPTIONS = TraceOptions(jobs=1)
NL = b"\n"


def as_file(data: bytes) -> str:
    """``data`` written as a trace file, in one of four forms chosen from its bytes."""
    form = choice(data, 4)
    if form == 2:
        name, body = "trace.json.gz", gzip.compress(data, mtime=0)
    elif form == 3:
        packed = gzip.compress(data, mtime=0)
        name, body = "trace.jsonl.gz", packed[:choice(data, len(packed), 1) + 1]  # truncated
    else:
        name, body = ("trace.json", "trace.jsonl")[form], data
    path = os.path.join(_DIR, name)
    with open(path, "wb") as handle:
        handle.write(body)
    return path


def _valid(text: bytes) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def fuzz_one(data: bytes) -> None:
    data = data[:MAX_LEN]
    eng = engine("hyperscan")
    path = as_file(data)
    with bounded(f"scanning a {len(data)}-byte trace"):
        outcome = scan_trace(path, eng.rules, OPTIONS, engine=eng)
    if not isinstance(outcome, ScanOutcome):
        defect("bad-outcome", f"scan_trace returned {type(outcome).__name__}")
    body = strip_bom(data)
    with bounded(f"redacting a {len(data)}-byte trace"):
        redaction = redact_bytes(eng, body)
    out = redaction.data
    mode = mode_of(body)
    if mode == "jsonl" and out.count(b"\n") != body.count(b"\n"):
        defect("trace-redact-lines", f"{body.count(NL)} line breaks in, {out.count(NL)} out")
    if mode == "document" and redaction.count and not _valid(out):
        defect("trace-redact-invalid", "a JSON document came out of redaction as invalid JSON")
    if mode == "jsonl" and redaction.count:
        for before, after in zip(body.split(b"\n"), out.split(b"\n"), strict=False):
            if before != after and _valid(before) and not _valid(after):
                defect("trace-redact-invalid", "a valid JSON line came out of redaction as invalid JSON")
