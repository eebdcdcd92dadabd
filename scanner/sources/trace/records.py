"""Split a trace file into JSON records: one JSON document, JSON Lines, or plain text.

A JSON Lines file may hold broken lines (a truncated last write, a log prefix): each is reported
with its line number and scanned as plain text. A file where most lines are not JSON is text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

SAMPLE_LINES = 50


@dataclass(slots=True)
class Record:
    """A parsed record; ``line`` is its 1-based line in a JSON Lines file, None for a whole document.

    ``raw`` is the record's JSON text when kept (JSON Lines): a record whose text holds no rule keyword
    is not walked at all.
    """

    line: int | None
    value: Any
    raw: bytes | None = None


@dataclass(slots=True)
class Broken:
    """A line that is not JSON, kept as bytes to be scanned as text."""

    line: int
    text: bytes
    error: str


def _error(exc: Exception) -> str:
    """orjson's complaint without its line number (always 1 for one line): ``… at column 8``."""
    message, _, where = str(exc).partition(": line ")
    column = where.split("column ", 1)[-1].split(" ", 1)[0] if "column " in where else ""
    return f"{message} at column {column}" if column else message


def mode_of(data: bytes) -> str:
    """``document``, ``jsonl`` or ``text``."""
    body = data.strip()
    if not body:
        return "jsonl"
    if b"\n" in body:
        try:
            orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
        else:
            return "document"
    good = bad = 0
    for line in body.split(b"\n", SAMPLE_LINES)[:SAMPLE_LINES]:
        if line.strip():
            try:
                orjson.loads(line)
                good += 1
            except orjson.JSONDecodeError:
                bad += 1
    return "jsonl" if good >= bad else "text"


def document(data: bytes) -> Record:
    return Record(None, orjson.loads(data), data)


def json_lines(data: bytes, first_line: int = 1) -> Iterator[Record | Broken]:
    """Each non-empty line of ``data``, parsed, or :class:`Broken` with the parser's complaint."""
    number = first_line - 1
    for line in data.split(b"\n"):
        number += 1
        if not line.strip():
            continue
        try:
            yield Record(number, orjson.loads(line), line)
        except orjson.JSONDecodeError as exc:
            yield Broken(number, line.rstrip(b"\r"), _error(exc))


def strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data
