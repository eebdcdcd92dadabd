"""Scan trace files: JSON, JSON Lines (OTLP JSON included) or text, compressed or not, on several cores.

A finding's ``line``/``column`` are within the string that holds the secret; ``origin`` says where that
string is: ``record_line`` (the JSON Lines record), ``json_path``, and what the framework calls it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ...engine import Engine, ScanResult, Skipped
from ...outcome import ScanOutcome, Skip, findings_of, timeout_skip
from ...pool import Pool, Worker
from ...ruleset import RuleSet
from ...suppress import Suppressor
from ..compress import DECOMPRESS_ERRORS, BombError, Guarded, Limits, compression_of, decompressed
from ..files import walk
from .frameworks import MCPState, describe
from .hits import Hit, hits
from .records import Broken, Record, document, json_lines, mode_of, strip_bom
from .walk import MAX_DEPTH, json_path

PARALLEL_MIN_BYTES = 16 * 1024**2
CHUNK_BYTES = 8 * 1024**2
SNIFF_BYTES = 256 * 1024


@dataclass(frozen=True)
class TraceOptions:
    jobs: int = os.cpu_count() or 1
    engine: str | None = None
    max_depth: int = MAX_DEPTH
    limits: Limits = Limits()
    suppressor: Suppressor | None = None  # drops accepted findings


TRACE_SUFFIXES = (".json", ".jsonl", ".ndjson")
COMPRESSED_SUFFIXES = ("", ".gz", ".zst", ".bz2", ".xz")


def is_trace_name(name: str) -> bool:
    """A file name a directory's trace files have: ``*.json``, ``*.jsonl``, ``*.ndjson``, maybe compressed."""
    return name.endswith(tuple(t + c for t in TRACE_SUFFIXES for c in COMPRESSED_SUFFIXES))


def trace_files(paths: Iterable[str]) -> Iterator[str | Skip]:
    """``paths`` with each directory replaced by the trace files under it (see :func:`is_trace_name`),
    in a stable order; a directory holding none is an error."""
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            yield path
            continue
        found = False
        for item in walk([path]):
            if isinstance(item, Skip):
                yield item
            elif is_trace_name(os.path.basename(item.path)):
                found = True
                yield item.path
        if not found:
            yield Skip(path, "missing", "a directory without trace files ("
                       + ", ".join(f"*{t}" for t in TRACE_SUFFIXES) + ", compressed or not)")


def read_trace(path: str, limits: Limits) -> tuple[bytes, str]:
    """The bytes of ``path`` (``-`` is stdin), decompressed when gzip, zstd, bzip2 or xz (bounded), and
    what damage stopped the decompression ("" if none): the bytes before the damage are kept."""
    if path == "-":
        raw: bytes = sys.stdin.buffer.read()
        kind, stream = decompressed(_BytesReader(raw), limits)
        return _read_all(stream) if kind else (strip_bom(raw), "")
    with open(path, "rb") as handle:
        return _read_all(decompressed(handle, limits)[1])


def _read_all(stream: Guarded) -> tuple[bytes, str]:
    pieces: list[bytes] = []
    damage = ""
    try:
        while piece := stream.read(CHUNK_BYTES):
            pieces.append(piece)
    except DECOMPRESS_ERRORS as exc:
        damage = f"truncated or corrupt ({type(exc).__name__}: {exc})"
    return strip_bom(b"".join(pieces)), damage


class _BytesReader:
    def __init__(self, data: bytes):
        self._data, self._pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._pos + size
        chunk, self._pos = self._data[self._pos:end], min(end, len(self._data))
        return chunk


def origin_of(hit: Hit, mcp: MCPState | None) -> dict:
    origin: dict = {}
    if hit.record.line is not None:
        origin["record_line"] = hit.record.line
    loc = hit.leaf[2]
    origin["json_path"] = json_path(loc)
    origin.update(describe(loc, mcp))
    if hit.in_key:
        origin["in"] = "key"
    return origin


def _timeouts(path: str, skipped: list[tuple[Record, Skipped]]) -> list[Skip]:
    return [timeout_skip(path, s, f"a string in the record on line {record.line}" if record.line is not None
                         else "a string in the document") for record, s in skipped]


def scan_records(engine: Engine, path: str, items: Iterable[Record | Broken], max_depth: int,
                 mcp: MCPState | None = None, suppressor: Suppressor | None = None) -> ScanOutcome:
    """Findings in parsed records, and broken lines scanned as text (reported as ``broken-json``),
    less those ``suppressor`` drops."""
    outcome = ScanOutcome()
    broken: list[Broken] = []
    mcp = mcp if mcp is not None else MCPState()

    def records() -> Iterator[Record]:
        for item in items:
            if isinstance(item, Broken):
                broken.append(item)
            else:
                mcp.see(item.value)
                yield item

    skipped: list[tuple[Record, Skipped]] = []
    for hit in hits(engine, records(), skipped, max_depth):
        outcome.add(findings_of(ScanResult([hit.match], []), path, origin_of(hit, mcp), suppressor))
    outcome.skipped.extend(_timeouts(path, skipped))
    for item in broken:
        outcome.skipped.append(Skip(path, "broken-json", f"line {item.line} is not JSON ({item.error}); "
                                                         "scanned as plain text"))
        outcome.add(findings_of(engine.scan(item.text), path, {"record_line": item.line}, suppressor))
    outcome.findings.sort(key=lambda f: f.origin.get("record_line", 0))
    return outcome


def scan_trace_bytes(engine: Engine, path: str, data: bytes, options: TraceOptions,
                     mcp: MCPState | None = None) -> ScanOutcome:
    """Scan one trace held in memory, serially."""
    mode = mode_of(data)
    if mode == "document":
        outcome = scan_records(engine, path, [document(data)], options.max_depth, mcp, options.suppressor)
    elif mode == "jsonl":
        outcome = scan_records(engine, path, json_lines(data), options.max_depth, mcp, options.suppressor)
    else:
        outcome = findings_of(engine.scan(data), path, None, options.suppressor)
        outcome.skipped.append(Skip(path, "broken-json", "not JSON or JSON Lines; scanned as plain text"))
    outcome.files, outcome.bytes = 1, len(data)
    return outcome


def scan_trace(path: str, rules: RuleSet, options: TraceOptions | None = None, engine: Engine | None = None,
               mcp: MCPState | None = None) -> ScanOutcome:
    """Scan the trace file at ``path`` (``-``: stdin); a large JSON Lines file is split over processes."""
    options = options or TraceOptions()
    if path != "-" and not os.path.exists(path):
        return ScanOutcome(skipped=[Skip(path, "missing", "no such file or directory")])
    try:
        if options.jobs > 1 and _splittable(path):
            return _scan_parallel(path, rules, options)
        data, damage = read_trace(path, options.limits)
    except BombError as exc:
        return ScanOutcome(skipped=[Skip(path, "corrupt", f"{exc}; not scanned")])
    except OSError as exc:
        return ScanOutcome(skipped=[Skip(path, "unreadable", exc.strerror or str(exc))])
    if engine is None:
        with Pool(1, rules, options.engine) as pool:
            outcome = scan_trace_bytes(pool.here.engine, path, data, options, mcp)
    else:
        outcome = scan_trace_bytes(engine, path, data, options, mcp)
    if damage:
        outcome.skipped.append(Skip(path, "corrupt", f"{damage}; the {len(data)} bytes before it were scanned"))
    return outcome


def _splittable(path: str) -> bool:
    """A large, uncompressed JSON Lines file: worth splitting, and splittable by byte ranges."""
    if path == "-" or not os.path.isfile(path) or os.path.getsize(path) < PARALLEL_MIN_BYTES:
        return False
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if compression_of(head) is not None:
        return False
    head = strip_bom(head)
    return mode_of(head[: head.rfind(b"\n") + 1] or head) == "jsonl"


def chunks(handle: BinaryIO, size: int | None = None) -> Iterator[tuple[int, int, int]]:
    """(start, end, first line number) of pieces of about ``size`` bytes of ``handle``, cut after newlines.

    The file is read once, a block at a time, to count lines; it is never held whole.
    """
    size = size or CHUNK_BYTES
    start, line, carry = 0, 1, b""
    while True:
        block = handle.read(size)
        if not block:
            break
        cut = block.rfind(b"\n")
        if cut < 0:
            carry += block
            continue
        piece = carry + block[: cut + 1]
        yield start, start + len(piece), line
        line += piece.count(b"\n")
        start += len(piece)
        carry = block[cut + 1:]
    if carry:
        yield start, start + len(carry), line


def _scan_piece(worker: Worker, path: str, start: int, end: int, first_line: int) -> ScanOutcome:
    """A pool task: the records in bytes ``[start, end)`` of the JSON Lines file at ``path``."""
    options: TraceOptions = worker.settings
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    if start == 0:
        data = strip_bom(data)
    return scan_records(worker.engine, path, json_lines(data, first_line), options.max_depth, None, options.suppressor)


def _scan_parallel(path: str, rules: RuleSet, options: TraceOptions) -> ScanOutcome:
    outcome = ScanOutcome(files=1, bytes=os.path.getsize(path))
    with Pool(options.jobs, rules, options.engine, settings=options) as pool, open(path, "rb") as handle:
        for part in pool.map(_scan_piece, [(path, *piece) for piece in chunks(handle)]):
            outcome.add(part)  # a part counts no files or bytes: the whole file is counted above
    return outcome


def scan_traces(paths: Iterable[str], rules: RuleSet, options: TraceOptions) -> ScanOutcome:
    """Scan every trace file of ``paths`` (directories: the trace files under them; ``-``: stdin), with one
    engine and one record of MCP tool calls, so a result in one file can name the tool called in another."""
    outcome = ScanOutcome()
    mcp = MCPState()
    with Pool(1, rules, options.engine) as pool:
        for path in trace_files(paths):
            if isinstance(path, Skip):
                outcome.skipped.append(path)
            else:
                outcome.add(scan_trace(path, rules, options, pool.here.engine, mcp))
    return outcome
