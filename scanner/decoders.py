"""Secrets behind an encoding: the base64 ``data`` values of Kubernetes Secret manifests.

A Secret's ``data`` values are base64, so no rule sees what they hold. When a chunk holds a Secret —
YAML (multi-document, ``kind: List`` items, Helm output) or JSON (``kubectl get secret -o json``,
``kubectl get secrets -o json``) — every ``data`` value is decoded and scanned by the same engine,
behind its key (``password=…``) so that rules which need a name see one. A match is reported at the
encoded value in the original bytes, with the decoded secret and ``decoded="base64"``.

``stringData`` (plain text, scanned as it is) and other kinds (``ConfigMap``, ``SealedSecret`` …) are
left alone. Cost for anything else: nothing beyond the engine's prefilter, which holds a
``kind: Secret`` gate (without Hyperscan, one ``re`` search of the chunk).

Limits: YAML is read line by line, not parsed — block mappings with plain, quoted or block-scalar
(``|``, ``>``) values; flow mappings (``data: {a: b}``) and items whose first key is on the line
after the ``-`` are not read. JSON is read by a tolerant tokenizer (strings and braces), so a
truncated document still yields the values before the cut. Values that are not valid base64, that
decode to binary (not UTF-8, or a NUL byte) or that are longer than :data:`MAX_ENCODED` are skipped.
"""

from __future__ import annotations

import base64
import binascii
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import orjson
import regex

from .engine import lines_of, register_decoder

if TYPE_CHECKING:
    from .engine import Engine, Match, ScanResult

MAX_ENCODED = 1 << 20  # Kubernetes caps a whole Secret at 1 MiB
DECODED_BASE64 = "base64"

_KIND_YAML = regex.compile(rb"""(?m)^[ ]*(?:-[ ]+)*kind[ \t]{0,8}:[ \t]{0,8}(["']?)Secret\1[ \t]*(?:#[^\n]*)?\r?$""")
_KIND_JSON = regex.compile(rb'"kind"\s{0,8}:\s{0,8}"Secret"')
KIND_SECRET = r"""kind["']?\s{0,8}:\s{0,8}["']?Secret"""  # a Kubernetes Secret manifest, YAML or JSON
_MAY_HOLD = re.compile(KIND_SECRET.encode())  # ``re``: a literal prefix, searched fast
_DOC_BREAK = regex.compile(rb"(?m)^(?:---|\.\.\.)(?=[ \t\r\n]|$)")
_KEY_LINE = regex.compile(  # indentation, "- " of sequence items, key, value (with its trailing blanks)
    rb"""([ ]*)((?:-[ ]+)*)(?P<key>[A-Za-z0-9_./-]++|"[^"\n]*"|'[^'\n]*')[ \t]*:"""
    rb"""(?:[ \t]+(?P<value>[^\r\n]*+))?\r?$"""
)
_SCALAR = regex.compile(  # a base64 value, plain or quoted, and a comment
    rb"""(?:"(?P<v>[A-Za-z0-9+/=]*)"|'(?P<v>[A-Za-z0-9+/=]*)'|(?P<v>[A-Za-z0-9+/=]++))[ \t]*(?:#.*)?"""
)
_BLOCK = regex.compile(rb"[|>][-+1-9]{0,2}[ \t]*(?:#.*)?")
_WORD = regex.compile(rb"""["']?(?P<w>[A-Za-z]++)["']?[ \t]*(?:#.*)?""")
# A string runs to its closing quote, or to the end of its line when it has none: never rescanned.
_JSON_TOKEN = regex.compile(rb'(?P<s>"(?:[^"\\\r\n]++|\\[^\r\n]?)*+(?:"|(?=[\r\n])|\Z))(?P<colon>\s*:)?|(?P<b>[{}])')
_SPACE = regex.compile(rb"\s+")


@dataclass(frozen=True, slots=True)
class Encoded:
    """One ``data`` value of a Secret: its key, where its encoded text sits, and that text."""

    key: bytes
    start: int
    end: int
    text: bytes  # the base64, without quotes or line breaks


class KubernetesSecrets:
    """The engine plug-in (:class:`scanner.engine.Decoder`) for Kubernetes Secrets' ``data`` values."""

    trigger = KIND_SECRET

    def add_decoded(self, engine: Engine, data: bytes, result: ScanResult, ends: list[int] | None) -> None:
        add_decoded(engine, data, result)


def add_decoded(engine: Engine, data: bytes, result: ScanResult) -> None:
    """Add to ``result`` what ``engine`` finds in the decoded ``data`` values of the Secrets in ``data``.

    A match of the encoded text itself (a generic rule seeing a high-entropy value) gives way to the
    matches of its decoded form; a value whose decoded form matches nothing keeps it.
    """
    if not _MAY_HOLD.search(data):
        return
    decoded: list[Match] = []
    spans: list[tuple[int, int]] = []
    line, pos = 1, 0
    for value in secret_values(data):
        plain = decode_base64(value.text)
        if plain is None:
            continue
        prefix = len(value.key) + 1
        inner = engine.scan(value.key + b"=" + plain)
        hits = [m for m in inner.matches if m.start >= prefix]
        result.skipped.extend(
            replace(s, start=value.start, end=value.end, reason=f"{s.reason} (in a decoded base64 value)")
            for s in inner.skipped
        )
        if not hits:
            continue
        line += data.count(b"\n", pos, value.start)
        pos = value.start
        line_start, line_text = lines_of(data, value.start, value.end)
        column = len(data[line_start : value.start].decode("utf-8", "replace")) + 1
        spans.append((value.start, value.end))
        decoded.extend(
            replace(m, start=value.start, end=value.end, line=line, column=column, match_start=value.start,
                    match_end=value.end, line_text=line_text, decoded=DECODED_BASE64)
            for m in hits
        )
    if decoded:
        kept = [m for m in result.matches if not _overlaps(spans, m.start, m.end)]
        result.matches = sorted(kept + decoded, key=lambda m: (m.start, m.rule.id))


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of ``spans`` (sorted, disjoint)."""
    i = bisect_left(spans, (end,))
    return i > 0 and spans[i - 1][1] > start


def decode_base64(text: bytes) -> bytes | None:
    """The decoded text, or ``None`` for invalid base64, binary data and values over the cap."""
    if not text or len(text) > MAX_ENCODED:
        return None
    try:
        raw = base64.b64decode(text, validate=True)
        raw.decode("utf-8")
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        return None
    return raw if raw and b"\0" not in raw else None


def secret_values(data: bytes) -> list[Encoded]:
    """The ``data`` values of every Kubernetes Secret in ``data`` (YAML or JSON), in order of position."""
    found: dict[int, Encoded] = {}
    if _KIND_YAML.search(data):
        found.update((v.start, v) for v in _yaml_values(data))
    if _KIND_JSON.search(data):
        found.update((v.start, v) for v in _json_values(data))
    return [found[start] for start in sorted(found)]


# ------------------------------------------------------------------------------------------------ YAML


def _yaml_values(data: bytes) -> list[Encoded]:
    """Values under ``data:`` in the YAML documents of ``data`` that hold a ``kind: Secret`` line."""
    kinds = [m.start() for m in _KIND_YAML.finditer(data)]
    breaks = [m.start() for m in _DOC_BREAK.finditer(data)]
    out: list[Encoded] = []
    for lo, hi in zip([0, *breaks], [*breaks, len(data)], strict=True):
        i = bisect_left(kinds, lo)
        if i < len(kinds) and kinds[i] < hi:
            out.extend(_yaml_document(data, lo, hi))
    return out


def _yaml_document(data: bytes, lo: int, hi: int) -> list[Encoded]:
    """Read the block mappings of one YAML document by indentation and keep the Secrets' data values.

    Each key line belongs to a mapping (an "object"): the one open at its column, or a new one when
    it is deeper than the open mapping or starts a sequence item. A mapping that is the value of a
    ``data`` key of a ``kind: Secret`` mapping holds the values.
    """
    open_maps: list[tuple[int, int]] = []  # (column, object) of the mappings open at this line
    parent: list[tuple[int, bytes]] = []  # per object: the enclosing object and the key it is the value of
    last_key: list[bytes] = []  # per object: its latest key
    kinds: dict[int, bytes] = {}
    values: list[tuple[int, Encoded]] = []  # (object, value)
    pos = lo
    while pos < hi:
        eol = data.find(b"\n", pos, hi)
        eol = hi if eol < 0 else eol
        line = _KEY_LINE.match(data, pos, eol)
        pos = eol + 1
        if line is None:
            continue
        column, item = line.start("key") - line.start(), bool(line.group(2))
        while open_maps and (open_maps[-1][0] > column or (item and open_maps[-1][0] == column)):
            open_maps.pop()
        if not open_maps or open_maps[-1][0] < column:
            outer = open_maps[-1][1] if open_maps else -1
            parent.append((outer, last_key[outer] if outer >= 0 else b""))
            last_key.append(b"")
            open_maps.append((column, len(parent) - 1))
        obj = open_maps[-1][1]
        key = line["key"].strip(b"\"'")
        last_key[obj] = key
        value_at = line.start("value")
        if value_at < 0:
            continue
        if key == b"kind" and (word := _WORD.fullmatch(data, value_at, line.end("value"))):
            kinds[obj] = word["w"]
        block = _BLOCK.fullmatch(data, value_at, line.end("value"))
        if block is not None:
            start, end, pos = _block_scalar(data, pos, hi, column)
            if parent[obj][1] == b"data" and start < end:
                values.append((parent[obj][0], Encoded(key, start, end, _SPACE.sub(b"", data[start:end]))))
        elif parent[obj][1] == b"data" and (scalar := _SCALAR.fullmatch(data, value_at, line.end("value"))):
            values.append((parent[obj][0], Encoded(key, scalar.start("v"), scalar.end("v"), scalar["v"])))
    return [value for obj, value in values if kinds.get(obj) == b"Secret"]


def _block_scalar(data: bytes, pos: int, hi: int, column: int) -> tuple[int, int, int]:
    """The content of a block scalar whose key sits at ``column``: start and end of its text, and the
    position of the first line after it."""
    start = end = -1
    while pos < hi:
        eol = data.find(b"\n", pos, hi)
        eol = hi if eol < 0 else eol
        text = data[pos:eol].rstrip()
        indent = len(text) - len(text.lstrip(b" "))
        if text and indent <= column:
            break
        if text:
            start = pos + indent if start < 0 else start
            end = pos + len(text)
        pos = eol + 1
    return start, end, min(pos, hi)


# ------------------------------------------------------------------------------------------------ JSON


@dataclass(slots=True)
class _Object:
    in_data: bool  # this object is the value of a "data" key
    kind: bytes = b""
    key: bytes | None = None  # the key whose value comes next
    values: list[Encoded] = field(default_factory=list)


def _json_values(data: bytes) -> list[Encoded]:
    """Values of the ``"data"`` objects of JSON objects whose ``"kind"`` is ``"Secret"``, at any depth."""
    out: list[Encoded] = []
    stack: list[_Object] = []
    for token in _JSON_TOKEN.finditer(data):
        brace = token["b"]
        if brace == b"{":
            stack.append(_Object(in_data=bool(stack) and stack[-1].key == b"data"))
        elif brace == b"}":
            if stack:
                _close(stack, out)
        elif not stack:
            continue
        elif token["colon"]:
            stack[-1].key = _json_string(token["s"])
        else:
            top = stack[-1]
            if top.key == b"kind":
                top.kind = _json_string(token["s"]) or b""
            elif top.in_data and top.key is not None:
                text = _json_string(token["s"])
                if text is not None:
                    top.values.append(Encoded(top.key, token.start() + 1, token.end() - 1, text))
            top.key = None
    while stack:  # a truncated document: what was read so far
        _close(stack, out)
    return out


def _close(stack: list[_Object], out: list[Encoded]) -> None:
    done = stack.pop()
    if done.in_data and stack:
        stack[-1].values = done.values
    elif done.kind == b"Secret" and done.values:
        out.extend(done.values)
    if stack:
        stack[-1].key = None


def _json_string(token: bytes) -> bytes | None:
    """A JSON string token's value as UTF-8 (``None`` if it does not parse or is not closed)."""
    if len(token) < 2 or token[-1:] != b'"':
        return None
    if b"\\" not in token:
        return token[1:-1]
    try:
        return orjson.loads(token).encode("utf-8", "surrogatepass")
    except orjson.JSONDecodeError:
        return None


register_decoder(KubernetesSecrets())

from . import csv_columns  # noqa: E402, F401 - registers the CSV column decoder after this one
