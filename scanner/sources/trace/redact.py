"""Write a trace back with every finding masked (``[REDACTED:rule-id]``), keeping its JSON structure.

The secret span is replaced inside its string; a string that held JSON (or base64) is re-encoded at
its own level, so tool-call arguments stay a JSON string and a ``bytesValue`` stays base64. The
record's own bytes are kept: only the strings that held a secret are spliced in
(:func:`scanner.redact.json_spans.mask_strings`, the routine ``veil redact --jsonl`` uses). Records
without findings are copied byte for byte; broken lines and text files are masked as text.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from dataclasses import dataclass, field

from ...engine import Engine
from ...redact.json_spans import mask_strings
from .hits import Hit, hits
from .records import Broken, Record, document, json_lines, mode_of
from .walk import MAX_DEPTH, Loc


@dataclass
class Redaction:
    data: bytes
    masked: dict[str, int] = field(default_factory=dict)  # rule id → secrets masked
    broken_lines: list[int] = field(default_factory=list)
    unmasked: int = 0  # secrets found in a JSON key, reported but left in place

    @property
    def count(self) -> int:
        return sum(self.masked.values())


def mask_spans(data: bytes, spans: list[tuple[int, int, str]]) -> bytes:
    """``data`` with each ``[start, end)`` replaced by ``[REDACTED:rule]``; overlapping spans merge."""
    merged: list[list] = []
    for start, end, rule in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, rule])
    for start, end, rule in reversed(merged):
        data = data[:start] + f"[REDACTED:{rule}]".encode() + data[end:]
    return data


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


def _apply(found: list[Hit], redaction: Redaction) -> dict[str, str]:
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
        spans = [(h.match.start, h.match.end, h.match.rule.id) for h in group]
        masked = mask_spans(text.encode("utf-8", "surrogatepass"), spans).decode("utf-8", "surrogatepass")
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


def _masked_json(raw: bytes, changed: dict[str, str], max_depth: int) -> bytes:
    """``raw`` JSON text with the strings in ``changed`` replaced, every other byte kept."""
    return mask_strings(raw, lambda value: changed.get(value, value), max_depth)


def _mask_text(engine: Engine, text: bytes, redaction: Redaction) -> bytes:
    matches = engine.scan(text).matches
    for m in matches:
        redaction.masked[m.rule.id] = redaction.masked.get(m.rule.id, 0) + 1
    return mask_spans(text, [(m.start, m.end, m.rule.id) for m in matches])


def redact_bytes(engine: Engine, data: bytes, max_depth: int = MAX_DEPTH) -> Redaction:
    """A masked copy of the trace ``data`` (JSON, JSON Lines or text)."""
    redaction = Redaction(data)
    mode = mode_of(data)
    if mode == "text":
        redaction.data = _mask_text(engine, data, redaction)
        return redaction
    if mode == "document":
        record = document(data)
        found = list(hits(engine, [record], [], max_depth))
        if found:
            redaction.data = _masked_json(data, _apply(found, redaction), max_depth)
        return redaction
    lines = data.split(b"\n")
    records: list[Record] = []
    for item in json_lines(data):
        if isinstance(item, Broken):
            redaction.broken_lines.append(item.line)
            masked = _mask_text(engine, lines[item.line - 1], redaction)
            lines[item.line - 1] = masked
        else:
            records.append(item)
    by_record: dict[int, list[Hit]] = defaultdict(list)
    for hit in hits(engine, records, [], max_depth):
        by_record[hit.record.line or 0].append(hit)
    for record in records:
        found = by_record.get(record.line or 0)
        if found:
            index = (record.line or 1) - 1
            lines[index] = _masked_json(lines[index], _apply(found, redaction), max_depth)
    redaction.data = b"\n".join(lines)
    return redaction
