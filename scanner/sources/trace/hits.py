"""Run the engine over the strings of many records at once, and place each match back in its string.

Strings are scanned in their JSON context — ``"key": "value"``, so rules that need the key
(``"password": "…"``) still fire — and many strings go to the engine in one call, separated so
that no match can span two of them (a match that would is rescanned string by string).
Offsets, line and column of a hit are those within its own string.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from ...engine import Engine, Match, Skipped
from .records import Record
from .walk import MAX_DEPTH, Leaf, leaves

SEP = "\n\x00\n"
BATCH_CHARS = 1 << 20


@dataclass(slots=True)
class Hit:
    """A match in one string of one record. ``in_key``: the secret is in the key, not the value."""

    record: Record
    leaf: Leaf
    match: Match
    in_key: bool = False


def place(match: Match, text: bytes, start: int, end: int) -> Match:
    """``match`` with offsets, line and column relative to ``text`` (the secret at ``[start, end)``)."""
    line_start = text.rfind(b"\n", 0, start) + 1
    column = len(text[line_start:start].decode("utf-8", "replace")) + 1
    moved = match.moved(start - match.start)
    return replace(moved, line=text.count(b"\n", 0, start) + 1, column=column,
                   match_start=max(0, moved.match_start), match_end=max(0, moved.match_end))


class _Batch:
    """Strings waiting for one engine call: ``prefix + text + suffix`` each, joined by :data:`SEP`."""

    def __init__(self) -> None:
        self.owners: list[tuple[Record, Leaf]] = []
        self.parts: list[str] = []
        self.prefix: list[str] = []
        self.size = 0

    def add(self, record: Record, leaf: Leaf) -> None:
        context, text, _ = leaf
        prefix = f'"{context}": "' if context else ""
        self.owners.append((record, leaf))
        self.prefix.append(prefix)
        self.parts.append(f"{prefix}{text}\"" if prefix else text)
        self.size += len(text) + len(prefix) + 4

    def scan(self, engine: Engine, skipped: list[tuple[Record, Skipped]]) -> Iterator[Hit]:
        if not self.parts:
            return
        joined = SEP.join(self.parts)
        data = joined.encode("utf-8", "surrogatepass")
        ascii_only = len(data) == len(joined)
        seg_start, val_start, val_end, seg_end = [], [], [], []
        pos, sep = 0, len(SEP)
        for k, part in enumerate(self.parts):
            prefix, text = self.prefix[k], self.owners[k][1][1]
            if ascii_only:
                plen, tlen, slen = len(prefix), len(text), len(part)
            else:
                plen = len(prefix.encode("utf-8", "surrogatepass"))
                tlen = len(text.encode("utf-8", "surrogatepass"))
                slen = plen + tlen + (1 if prefix else 0)
            seg_start.append(pos)
            val_start.append(pos + plen)
            val_end.append(pos + plen + tlen)
            seg_end.append(pos + slen)
            pos += slen + sep
        result = engine.scan(data)
        found: dict[int, list[Match]] = {}
        rescan: set[int] = set()
        for m in result.matches:
            k = bisect_right(seg_start, m.start) - 1
            if m.match_start < seg_start[k] or m.match_end > seg_end[k]:
                last = bisect_right(seg_start, max(m.match_end - 1, m.start)) - 1
                rescan.update(range(bisect_right(seg_start, m.match_start) - 1, last + 1))
            else:
                found.setdefault(k, []).append(m)
        for s in result.skipped:
            k = max(0, bisect_right(seg_start, s.start) - 1)
            skipped.append((self.owners[k][0], s))
        for k in rescan:
            segment = data[seg_start[k]:seg_end[k]]
            alone = engine.scan(segment)
            found[k] = [m.moved(seg_start[k]) for m in alone.matches]
        for k in sorted(found):
            record, leaf = self.owners[k]
            text = data[val_start[k]:val_end[k]]
            for m in found[k]:
                if val_start[k] <= m.start and m.end <= val_end[k]:
                    yield Hit(record, leaf, place(m, text, m.start - val_start[k], m.end - val_start[k]))
                else:
                    yield Hit(record, leaf, replace(m, start=0, end=0, line=1, column=1), in_key=True)


def may_match(engine: Engine, raw: bytes | None) -> bool:
    r"""False when no rule can fire in any string of the record whose JSON text is ``raw``.

    Every rule needs one of its keywords, and decoding JSON inside a string only removes the
    backslashes before quotes, so a keyword absent from the text is absent from every decoded string —
    unless the text has ``\u`` or ``\/`` escapes or base64 values: those records are always walked.
    """
    if raw is None or engine.may_match(raw):
        return True
    return b"\\u" in raw or b"\\/" in raw or b"bytes" in raw or b'"blob"' in raw  # four searches: faster than one regex


def hits(engine: Engine, records: Iterable[Record], skipped: list[tuple[Record, Skipped]],
         max_depth: int = MAX_DEPTH) -> Iterator[Hit]:
    """Every match in every string of ``records``, in record order; timed-out windows go to ``skipped``."""
    keywordless = any(not rule.keywords for rule in engine.rules)  # such a rule must see every string
    batch = _Batch()
    for record in records:
        if not keywordless and not may_match(engine, record.raw):
            continue
        for leaf in leaves(record.value, max_depth):
            batch.add(record, leaf)
        if batch.size >= BATCH_CHARS:
            yield from batch.scan(engine, skipped)
            batch = _Batch()
    yield from batch.scan(engine, skipped)
