"""Mask inside JSON text and keep it valid, byte for byte outside what changed.

Each string token (keys too) is found in the raw text, decoded, handed to a ``fix`` function and,
only if ``fix`` changed it, re-encoded in the token's own escaping style and spliced back. Numbers
(``1e400``, ``1.50``, big integers), duplicate keys, whitespace and untouched escapes stay exactly as
they were. A string that itself holds JSON (tool-call arguments, an encoded message) is masked the same
way one level down, so the inner document keeps its bytes too. One routine for ``veil redact --jsonl``
and ``veil trace --redact``.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import orjson
import regex

MAX_DEPTH = 4  # JSON inside a string inside a string …: how deep masking looks, as the trace walk does
_STRING = regex.compile(rb'"(?:[^"\\]|\\.)*+"', regex.DOTALL)  # in valid JSON text, a '"' only opens a string
_MAY_OPEN = frozenset(b"{[ \t\r\n\\")  # a string holding JSON starts with one of these (\\ for an escaped blank)
_TOKEN = regex.compile(rb'"(?:[^"\\]|\\.)*+"|[{}\[\],:]', regex.DOTALL)  # a string, or a structural byte
_BLANK = b" \t\r\n"


def encode_string(value: str, like: bytes) -> bytes:
    """``value`` as a JSON string token, escaped like ``like`` was: ``\\uXXXX`` for non-ASCII if it used
    them, UTF-8 otherwise (and ``\\u`` escapes for lone surrogates, which UTF-8 cannot carry)."""
    if b"\\u" not in like:
        try:
            return json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            pass
    return json.dumps(value).encode("ascii")


def _nested(token: bytes, value: str) -> bytes | None:
    """The JSON text in string ``value`` (its ``token``) if it holds a JSON object or array, else None."""
    if token[1] not in _MAY_OPEN:  # most strings: ruled out by their first byte
        return None
    body = value.strip()
    if len(body) < 2 or (body[0], body[-1]) not in (("{", "}"), ("[", "]")):
        return None
    text = value.encode("utf-8", "surrogatepass")
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError:
        try:  # what orjson refuses but JSON allows: 1e400, lone surrogates
            json.loads(text)
        except (ValueError, RecursionError):
            return None
    return text


def mask_strings(data: bytes, fix: Callable[[str], str], max_depth: int = MAX_DEPTH, _depth: int = 0) -> bytes:
    """``data`` (valid JSON text) with every string ``s`` replaced by ``fix(s)``; a string holding JSON
    is masked inside instead, down to ``max_depth`` levels (and given to ``fix`` whole if nothing inside
    changed). Returns ``data`` itself when nothing changed."""
    pieces: list[bytes] = []
    pos = 0
    deeper = _depth < max_depth
    for match in _STRING.finditer(data):
        token = match.group()
        value = token[1:-1].decode("utf-8") if b"\\" not in token else json.loads(token)
        inner = _nested(token, value) if deeper else None
        masked = mask_strings(inner, fix, max_depth, _depth + 1) if inner is not None else None
        new = fix(value) if masked is inner else masked.decode("utf-8", "surrogatepass")
        if new != value:
            start, end = match.span()
            pieces += (data[pos:start], encode_string(new, token))
            pos = end
    if not pieces:
        return data
    pieces.append(data[pos:])
    return b"".join(pieces)


def key_values(data: bytes, key: str) -> list[tuple[int, int]]:
    """Byte ranges of the values of ``key`` at the top level of the JSON object text ``data`` (every
    value of a duplicated key), whatever their type; inner objects are not looked into."""
    ranges: list[tuple[int, int]] = []
    depth, expect_key, matched, start = 0, False, False, -1
    for token in _TOKEN.finditer(data):
        byte = data[token.start()]
        if byte == 0x22:  # '"'
            if depth == 1 and expect_key:
                raw = token.group()
                matched = (raw[1:-1].decode("utf-8") if b"\\" not in raw else json.loads(raw)) == key
                expect_key = False
        elif byte in b"{[":
            depth += 1
            expect_key = depth == 1 and byte == 0x7B  # '{'
        elif byte == 0x3A:  # ':'
            if depth == 1 and matched:
                start, matched = token.end(), False
        elif depth == 1 or byte in b"}]":  # ',' ending a member, or the object's own '}'
            if depth == 1:
                if start >= 0:
                    ranges.append((start, token.start()))
                    start = -1
                expect_key = byte == 0x2C
            depth -= byte in b"}]"
    return [_strip(data, lo, hi) for lo, hi in ranges]


def _strip(data: bytes, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and data[lo] in _BLANK:
        lo += 1
    while hi > lo and data[hi - 1] in _BLANK:
        hi -= 1
    return lo, hi
