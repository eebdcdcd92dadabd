"""JSON Lines: mask secrets inside JSON string values so that every line stays valid JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .json_spans import mask_strings

if TYPE_CHECKING:
    from .core import Redactor, Span

ESCAPES = (b"\\u", b"\\/")  # escapes that can hide a secret from a scan of the raw line
_PUNCT = " \t\"',:;{}[]"
_MIN_EXTRA = 4


def escapes_in(block: bytes) -> Iterator[int]:
    """Where each of :data:`ESCAPES` occurs in ``block`` (each escape is two bytes long)."""
    for escape in ESCAPES:
        at = block.find(escape)
        while at >= 0:
            yield at
            at = block.find(escape, at + 2)


def redact_jsonl(redactor: Redactor, block: bytes, found: list[Span] | None = None) -> bytes:
    """Mask a block of complete JSON lines. Clean lines pass through byte for byte; in a line with a
    secret only the strings that hold one are re-encoded, every other byte stays (numbers, key order,
    duplicate keys, spacing). A line that is not JSON is masked as plain text. ``found``: the block's
    ``redactor.spans``, when the caller has them already (to count them)."""
    spans = redactor.spans(block) if found is None else found
    if not spans and not any(e in block for e in ESCAPES):
        return block
    lines: dict[int, list[Span]] = {}
    for span in spans:
        lines.setdefault(block.rfind(b"\n", 0, span[0]) + 1, []).append(span)
    for at in escapes_in(block):
        lines.setdefault(block.rfind(b"\n", 0, at) + 1, [])
    out, pos = [], 0
    starts = sorted(lines)
    i = 0
    while i < len(starts):
        start, region = starts[i], list(lines[starts[i]])
        end = _line_end(block, max([start, *(s[1] for s in region)]))
        while i + 1 < len(starts) and starts[i + 1] <= end:  # a span that runs over a line break
            i += 1
            region += lines[starts[i]]
            end = _line_end(block, max([end, *(s[1] for s in region)]))
        i += 1
        content_end = end - 1 if end > start and block[end - 1] == 0x0D else end
        out.append(block[pos:start])
        out.append(_redact_line(redactor, block[start:content_end], region, start))
        pos = content_end
    out.append(block[pos:])
    return b"".join(out)


def _line_end(block: bytes, at: int) -> int:
    end = block.find(b"\n", at)
    return len(block) if end < 0 else end


def _unescape(raw: str) -> str:
    try:
        return json.loads(f'"{raw}"')
    except ValueError:
        return raw


def _redact_line(redactor: Redactor, line: bytes, spans: list[Span], offset: int) -> bytes:
    try:
        json.loads(line)  # only to tell a JSON line from text: masking works on the original bytes
    except (ValueError, UnicodeDecodeError, RecursionError):
        return redactor.masked(line, spans, offset) if spans else line
    # Secrets found only with the line's JSON around them (``"password": "…"``) are masked by value.
    extra: dict[str, bytes] = {}
    for start, end, label, secret in spans:
        text = _unescape(line[max(start - offset, 0):end - offset].decode("utf-8", "replace")).strip(_PUNCT)
        if len(text) >= _MIN_EXTRA:
            extra[text] = redactor.mask_for(label, secret)

    def fix(value: str) -> str:
        new = redactor.redact(value)
        for text, mask in extra.items():
            if text in new:
                new = new.replace(text, mask.decode("utf-8"))
        return new

    out = mask_strings(line, fix)
    if out is line and not spans:
        return line  # only an escape sequence brought the line here, and it hid nothing
    left = redactor.spans(out)
    if not left:
        return out
    # Last resort: a string that still holds a secret is masked whole; failing that, mask as text.
    leftovers = [(_unescape(out[s:e].decode("utf-8", "replace")).strip(_PUNCT), redactor.mask_for(label, secret))
                 for s, e, label, secret in left]

    def fix_whole(value: str) -> str:
        for text, mask in leftovers:
            if text and text in value:
                return mask.decode("utf-8")
        return value

    out = mask_strings(out, fix_whole)
    left = redactor.spans(out)
    return redactor.masked(out, left) if left else out
