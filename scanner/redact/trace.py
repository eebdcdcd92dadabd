"""Write a trace back with every finding masked, keeping its JSON structure (``veil trace --redact``).

The trace's own walk finds the secrets (every string, JSON and base64 inside strings decoded, each
scanned with its key); the one masker (:class:`~scanner.redact.core.Redactor`, as ``veil redact`` uses)
masks them: its mask template, known values, character boundaries and rescan around each mask. The
secret span is replaced inside its string; a string that held JSON (or base64) is re-encoded at its
own level, so tool-call arguments stay a JSON string and a ``bytesValue`` stays base64. The record's
own bytes are kept: only the strings that held a secret are spliced in
(:func:`scanner.redact.json_spans.mask_strings`, the routine ``veil redact --jsonl`` uses). Records
without findings are copied byte for byte, unless they hold a known value; broken lines and text files
are masked as text.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from dataclasses import dataclass, field

from ..engine import Engine
from ..sources.trace.hits import Hit, hits
from ..sources.trace.records import Broken, Record, document, json_lines, mode_of
from ..sources.trace.walk import MAX_DEPTH, Loc
from .core import KNOWN_LABEL, Redactor
from .json_spans import mask_strings


@dataclass
class Redaction:
    data: bytes
    masked: dict[str, int] = field(default_factory=dict)  # rule id → secrets masked
    broken_lines: list[int] = field(default_factory=list)
    unmasked: int = 0  # secrets found in a JSON key, reported but left in place

    @property
    def count(self) -> int:
        return sum(self.masked.values())


def dumps_like(value: object, original: str) -> str:
    """``value`` as JSON in the style of ``original``: indent, separators, ASCII escapes ."""
    body = original.strip()
    ensure_ascii = "\\u" in body
    if "\n" in body:
        indent_line = next((line for line in body.split("\n")[1:] if line.startswith((" ", "\t"))), "")
        indent = len(indent_line) - len(indent_line.lstrip(" ")) or 2
        return json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)
    colon = body.find('":')  # the first key's colon: never inside a string
    spaced = colon >= 0 and body[colon + 2:colon + 3] == " "
    return json.dumps(value, separators=(", ", ": ") if spaced else (",", ":"), ensure_ascii=ensure_ascii)


def _reencode(decoded: object, original: str, codec: str) -> str:
    if codec == "base64":
        return base64.b64encode(str(decoded).encode("utf-8", "surrogatepass")).decode("ascii")
    return dumps_like(decoded, original)


def _write_back(loc: Loc, text: str) -> None:
    """Put ``text`` where the string at ``loc`` was, re-encoding every decoding step above it."""
    loc[3][loc[4]] = text
    while loc is not None:
        parent = loc[0]
        if loc[5] and parent is not None:
            original = parent[3][parent[4]]
            parent[3][parent[4]] = _reencode(loc[3][loc[4]], original, loc[5])
        loc = parent


def _apply(masker: Redactor, found: list[Hit], redaction: Redaction) -> dict[str, str]:
    """Mask each hit in its string and re-encode every level above it; return each string that
    changed, at any level, mapped to its new text."""
    by_leaf: dict[int, list[Hit]] = defaultdict(list)
    for hit in found:
        if hit.in_key:
            redaction.unmasked += 1
        else:
            by_leaf[id(hit.leaf)].append(hit)
    for group in by_leaf.values():
        _, text, loc = group[0].leaf
        spans = [span for h in group for span in h.match.mask_spans()]
        masked = masker.mask_found(text.encode("utf-8", "surrogatepass"), spans).decode("utf-8", "surrogatepass")
        _write_back(loc, masked)
        for h in group:
            redaction.masked[h.match.rule.id] = redaction.masked.get(h.match.rule.id, 0) + 1
    changed: dict[str, str] = {}
    for group in by_leaf.values():
        loc = group[0].leaf[2]
        while loc is not None:
            if type(loc[2]) is str:
                changed[loc[2]] = loc[3][loc[4]]
            loc = loc[0]
    return changed


def _masked_json(masker: Redactor, raw: bytes, changed: dict[str, str], max_depth: int,
                 redaction: Redaction) -> bytes:
    """``raw`` JSON text with the strings in ``changed`` replaced, and any other string holding a
    known value masked; every other byte kept."""
    if changed:
        raw = mask_strings(raw, lambda value: changed.get(value, value), max_depth)
    if masker.known_values:
        raw = mask_strings(raw, lambda value: _known_masked(masker, value, redaction), max_depth)
    return raw


def _known_masked(masker: Redactor, value: str, redaction: Redaction) -> str:
    """``value`` with the known values in it masked (counted once per string that held any)."""
    new = masker.mask_found(value.encode("utf-8", "surrogatepass"), []).decode("utf-8", "surrogatepass")
    if new != value:
        redaction.masked[KNOWN_LABEL] = redaction.masked.get(KNOWN_LABEL, 0) + 1
    return new


def _mask_text(masker: Redactor, text: bytes, redaction: Redaction) -> bytes:
    matches = masker.engine.scan(text).matches
    for m in matches:
        redaction.masked[m.rule.id] = redaction.masked.get(m.rule.id, 0) + 1
    return masker.mask_found(text, [span for m in matches for span in m.mask_spans()])


def redact_bytes(masker: Redactor | Engine, data: bytes, max_depth: int = MAX_DEPTH) -> Redaction:
    """A masked copy of the trace ``data`` (JSON, JSON Lines or text); an engine alone masks with the
    default template and no known values."""
    masker = Redactor(masker) if isinstance(masker, Engine) else masker
    engine = masker.engine
    redaction = Redaction(data)
    mode = mode_of(data)
    if mode == "text":
        redaction.data = _mask_text(masker, data, redaction)
        return redaction
    if mode == "document":
        record = document(data)
        found = list(hits(engine, [record], [], max_depth))
        if found or masker.known_values:
            redaction.data = _masked_json(masker, data, _apply(masker, found, redaction), max_depth, redaction)
        return redaction
    lines = data.split(b"\n")
    records: list[Record] = []
    for item in json_lines(data):
        if isinstance(item, Broken):
            redaction.broken_lines.append(item.line)
            masked = _mask_text(masker, lines[item.line - 1], redaction)
            lines[item.line - 1] = masked
        else:
            records.append(item)
    by_record: dict[int, list[Hit]] = defaultdict(list)
    for hit in hits(engine, records, [], max_depth):
        by_record[hit.record.line or 0].append(hit)
    for record in records:
        found = by_record.get(record.line or 0)
        if found or masker.known_values:
            index = (record.line or 1) - 1
            lines[index] = _masked_json(masker, lines[index], _apply(masker, found or [], redaction), max_depth,
                                        redaction)
    redaction.data = b"\n".join(lines)
    return redaction
