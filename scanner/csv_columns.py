"""Secrets in CSV columns: a credentials export, a password-manager dump, a ``service,key,created`` table.

In a CSV file the name that says "this is a secret" is in the header row, far from the value, so no
rule sees name and value together. When a chunk holds a header row with a column named like a
secret (``password``, ``Secret access key``, ``api_key``, ``token`` — but not ``key_id`` or
``token_type``), each value of that column in the rows below is scanned by the same engine behind
that name (``password=…``), and a match is reported where the value sits. Rows end at a blank line or
a line with a different number of fields. Cost: with Hyperscan, the engine's prefilter holds the header
trigger and hands over the lines it matched, the only ones read as headers; without Hyperscan, every
line that starts a row and holds a comma is looked at.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

import regex

from .engine import lines_of, register_decoder

if TYPE_CHECKING:
    from .engine import Engine, Match, ScanResult

_NAMES = (  # (word in the column's name, the name its values are scanned behind)
    ("password", "password"), ("passwd", "password"), ("secret", "secret"), ("token", "token"), ("key", "api_key")
)
_FIELD = r'(?:"[A-Za-z][\w .()/-]{0,40}"|[A-Za-z][\w .()/-]{0,40})'
_WORD = "(?:" + "|".join(word for word, _name in _NAMES) + ")"
_SECRET_FIELD = rf'"?[\w .()/-]{{0,30}}{_WORD}[\w .()/-]{{0,30}}"?'
_SECRET_FIRST = rf'"?(?:[A-Za-z][\w .()/-]{{0,29}})?{_WORD}[\w .()/-]{{0,30}}"?'  # a row starts with a letter
# a header row: two or more named fields separated by commas, one of them named like a secret; not a line
# of code that looks like one (``from typing import Any, KeyType``)
_HEADER_ROW = rf"(?!(?:from|import)\s)(?:(?:{_FIELD},)+{_SECRET_FIELD}(?:,{_FIELD})*|{_SECRET_FIRST}(?:,{_FIELD})+)"
HEADER = rf"(?i)(?:^|\n){_HEADER_ROW}\r?\n"
_HEADER_LINE = regex.compile(rf"(?i){_HEADER_ROW}\r?".encode())
# a line that starts a row, with a comma (the standard library's re: three times faster on this one)
_CANDIDATE = re.compile(br'(?im)^"?[A-Za-z][^\n,]*,[^\n]*$')
_SECRET_WORDS = tuple(word.encode() for word, _name in _NAMES)
# What the engine's prefilter looks for (a superset of HEADER: the same shape with unbounded fields, which
# Hyperscan compiles in a tenth of the time, and every engine compiles it once)
TRIGGER = (
    rf'(?i)(?:^|\n)"?[A-Za-z][\w .()/"-]*,[\w .()/",-]*{_WORD}[\w .()/",-]*\r?\n'
    rf'|(?:^|\n)"?(?:[A-Za-z][\w .()/"-]*)?{_WORD}[\w .()/"-]*,[\w .()/",-]*\r?\n'
)
_NOT_SECRET = regex.compile(
    r"(?i)(?:id|ids|name|type|url|uri|count|hash|length|size|date|expir\w*|created|path|file)\W*$"
)  # a column about a secret, not holding one
MAX_ROWS = 100_000


class CsvColumns:
    """The engine plug-in (:class:`scanner.engine.Decoder`) for secret-named CSV columns."""

    trigger = TRIGGER

    def add_decoded(self, engine: Engine, data: bytes, result: ScanResult, ends: list[int] | None) -> None:
        add_column_matches(engine, data, result, ends)


def column_name(header: str) -> str | None:
    """The name a value of column ``header`` is scanned behind, or ``None`` for a column that holds
    no secret (an id, a name, a type …)."""
    low = header.strip().lower()
    if _NOT_SECRET.search(low):
        return None
    return next((name for word, name in _NAMES if word in low), None)


def add_column_matches(engine: Engine, data: bytes, result: ScanResult, ends: list[int] | None = None) -> None:
    """Add to ``result`` what ``engine`` finds in the secret-named columns of the CSV tables in ``data``
    (values a match already covers are left to it). ``ends``: where :data:`TRIGGER`'s matches end, after
    the newline of each line that may be a header (None: look at every line)."""
    if b"," not in data:
        return
    taken = [(m.start, m.end) for m in result.matches]
    added: list[Match] = []
    for start, end in _candidates(data, ends):
        text = data[start:end]
        if end >= len(data) or not _names_a_secret(text) or not _HEADER_LINE.fullmatch(text):
            continue  # not a header, or no row below it
        header = data[start : end + 1]
        fields = _row(header)
        names = {i: name for i, f in enumerate(fields) if (name := column_name(f))}
        if not names:
            continue
        pos = end + 1
        line = data.count(b"\n", 0, pos) + 1  # the first row and its line number
        for _ in range(MAX_ROWS):
            eol = data.find(b"\n", pos)
            eol = len(data) if eol < 0 else eol
            row = _row(data[pos:eol])
            if len(row) != len(fields):
                break
            cursor = pos
            for i, value in enumerate(row):
                raw = value.encode("utf-8", "surrogateescape")
                at = data.find(raw, cursor, eol) if raw else -1
                if at < 0:
                    continue
                cursor = at + len(raw)
                if i in names and not any(lo < at + len(raw) and at < hi for lo, hi in taken):
                    added.extend(_matches(engine, data, names[i], raw, at, line))
            if eol >= len(data):
                break
            pos, line = eol + 1, line + 1
    if added:
        result.matches = sorted(result.matches + added, key=lambda m: (m.start, m.rule.id))


def _candidates(data: bytes, ends: list[int] | None) -> Iterator[tuple[int, int]]:
    """The span of each line (without its newline) that starts a row and holds a comma: every such line,
    or those among the trigger's lines."""
    if ends is None:
        for candidate in _CANDIDATE.finditer(data):
            yield candidate.span()
        return
    for end in sorted(set(ends)):
        start = data.rfind(b"\n", 0, end - 1) + 1
        if _CANDIDATE.fullmatch(data, start, end - 1):
            yield start, end - 1


def _names_a_secret(line: bytes) -> bool:
    low = line.lower()
    return any(word in low for word in _SECRET_WORDS)


def _row(line: bytes) -> list[str]:
    text = line.rstrip(b"\r").decode("utf-8", "surrogateescape")
    if not text.strip():
        return []
    return next(csv.reader([text]), [])


def _matches(engine: Engine, data: bytes, name: str, value: bytes, at: int, line: int) -> list[Match]:
    """The matches of ``name=value`` that lie in the value, placed where the value is in ``data`` (on
    ``line``: counted row by row, not from the start of the data for every match)."""
    prefix = len(name) + 1
    hits = [m for m in engine.scan(name.encode() + b"=" + value).matches if m.start >= prefix]
    out = []
    for m in hits:
        start, end = at + m.start - prefix, at + m.end - prefix
        line_start, line_text = lines_of(data, start, end)
        column = len(data[line_start:start].decode("utf-8", "replace")) + 1
        out.append(replace(m, start=start, end=end, line=line, column=column, match_start=at,
                           match_end=at + len(value), match_text=value.decode("utf-8", "replace"),
                           line_text=line_text))
    return out


register_decoder(CsvColumns())
