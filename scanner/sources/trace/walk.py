"""Walk every string of a JSON value, decoding what hides inside strings, and remember where each one was.

- OTLP ``AnyValue`` wrappers are seen through, and OTLP attribute lists (``[{"key", "value"}]``) are
  addressed by key: ``attributes["gen_ai.tool.call.arguments"]``, not ``attributes[8].value.stringValue``.
- A string that holds JSON (tool-call arguments, GenAI messages, …) is decoded and walked in turn,
  down to :data:`MAX_DEPTH` levels. A string that only looks like JSON is scanned as text.
- Base64 ``bytesValue`` attributes and GenAI ``blob`` parts are decoded when they hold text.

A place is a :data:`Loc` tuple ``(parent, label, node, holder, key, codec)``: the enclosing place, the
path label (``str`` key, ``int`` index, or None for a decoding step), the value there, the container
slot that holds the raw value (``holder[key]``, so a redactor can write it back) and, for a decoding
step, how the value was decoded from the string of ``parent`` (``"json"`` or ``"base64"``).
Tuples, not objects: a trace has millions of strings.
"""

from __future__ import annotations

import binascii
from typing import Any

import orjson
import regex

MAX_DEPTH = 4
Loc = tuple  # (parent: Loc | None, label: str | int | None, node, holder, key, codec: str)
Leaf = tuple  # (key context: str | None, text: str, loc: Loc)

_ANY_VALUE = {
    "stringValue": "string", "string_value": "string",
    "bytesValue": "bytes", "bytes_value": "bytes",
    "arrayValue": "array", "array_value": "array",
    "kvlistValue": "kvlist", "kvlist_value": "kvlist",
    "intValue": "", "int_value": "", "boolValue": "", "bool_value": "", "doubleValue": "", "double_value": "",
}
_WALKED = (str, dict, list)
_IDENT = regex.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SNIFF = 8192


def leaves(record: Any, max_depth: int = MAX_DEPTH) -> list[Leaf]:
    """Every string in ``record`` (decoded where it holds JSON or base64 text), in document order."""
    out: list[Leaf] = []
    box = [record]
    _visit(record, None, None, box, 0, "", None, 0, max_depth, out)
    return out


def _visit(v: Any, parent: Loc | None, label: Any, holder: Any, key: Any, codec: str, context: str | None,
           depth: int, max_depth: int, out: list[Leaf]) -> None:
    t = type(v)
    if t is str:
        loc = (parent, label, v, holder, key, codec)
        if depth < max_depth and _looks_like_json(v):
            try:
                decoded = orjson.loads(v)
            except orjson.JSONDecodeError:
                decoded = None
            if type(decoded) in (dict, list):
                _visit(decoded, loc, None, [decoded], 0, "json", context, depth + 1, max_depth, out)
                return
        out.append((context if type(label) is not int else None, v, loc))
    elif t is dict:
        if len(v) == 1:
            name = next(iter(v))
            kind = _ANY_VALUE.get(name)
            if kind is not None:
                _any_value(v, name, kind, parent, label, codec, context, depth, max_depth, out)
                return
        loc = (parent, label, v, holder, key, codec)
        blob = v.get("type") == "blob"
        for k, x in v.items():
            tx = type(x)
            if tx is str and not (blob and k == "content"):
                if depth < max_depth and _looks_like_json(x):
                    _visit(x, loc, k, v, k, "", k, depth, max_depth, out)
                else:  # the common case, inlined: a plain string
                    out.append((k, x, (loc, k, x, v, k, "")))
            elif tx is str:
                _base64(x, loc, k, v, k, depth, max_depth, out)
            elif tx is dict or tx is list:
                _visit(x, loc, k, v, k, "", k, depth, max_depth, out)
    elif t is list:
        loc = (parent, label, v, holder, key, codec)
        if v and type(v[0]) is dict and "key" in v[0] and "value" in v[0] and len(v[0]) == 2:
            _kvlist(v, loc, depth, max_depth, out)
        else:
            for i, x in enumerate(v):
                if type(x) in _WALKED:
                    _visit(x, loc, i, v, i, "", context, depth, max_depth, out)


def _kvlist(items: list, loc: Loc, depth: int, max_depth: int, out: list[Leaf]) -> None:
    for i, item in enumerate(items):
        if type(item) is dict and type(item.get("key")) is str:
            name = item["key"]
            value = item.get("value")
            if type(value) is dict and len(value) == 1 and type(value.get("stringValue")) is str:
                text = value["stringValue"]  # the common case, inlined: a string attribute
                if not (depth < max_depth and _looks_like_json(text)):
                    out.append((name, text, (loc, name, text, value, "stringValue", "")))
                    continue
            if type(value) in _WALKED:
                _visit(value, loc, name, item, "value", "", name, depth, max_depth, out)
        elif type(item) in _WALKED:
            _visit(item, loc, i, items, i, "", None, depth, max_depth, out)


def _any_value(v: dict, name: str, kind: str, parent: Loc | None, label: Any, codec: str, context: str | None,
               depth: int, max_depth: int, out: list[Leaf]) -> None:
    """An OTLP AnyValue: its content stands where the wrapper stood."""
    inner = v[name]
    if kind == "string" and type(inner) is str:
        _visit(inner, parent, label, v, name, codec, context, depth, max_depth, out)
    elif kind == "bytes" and type(inner) is str:
        loc = (parent, label, inner, v, name, codec)
        _base64(inner, loc, None, v, name, depth, max_depth, out, context)
    elif kind in ("array", "kvlist") and type(inner) is dict and type(inner.get("values")) is list:
        values = inner["values"]
        loc = (parent, label, values, inner, "values", codec)
        if kind == "kvlist":
            _kvlist(values, loc, depth, max_depth, out)
        else:
            for i, x in enumerate(values):
                if type(x) in _WALKED:
                    _visit(x, loc, i, values, i, "", context, depth, max_depth, out)


def _base64(text: str, loc: Loc, label: Any, holder: Any, key: Any, depth: int, max_depth: int,
            out: list[Leaf], context: str | None = None) -> None:
    """Base64 that decodes to text is walked as text (a decoding step); anything else is left alone."""
    if label is not None:
        loc = (loc, label, text, holder, key, "")
    try:
        raw = binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
        if b"\0" in raw[:_SNIFF]:
            return
        decoded = raw.decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return
    if decoded:
        box = [decoded]
        _visit(decoded, loc, None, box, 0, "base64", context, depth + 1, max_depth, out)


def _looks_like_json(s: str) -> bool:
    if len(s) < 2:
        return False
    first, last = s[0], s[-1]
    if first in " \t\r\n" or last in " \t\r\n":
        s = s.strip()
        if len(s) < 2:
            return False
        first, last = s[0], s[-1]
    return (first == "{" and last == "}") or (first == "[" and last == "]")


# ---------------------------------------------------------------------------------------------- places


def chain(loc: Loc) -> list[Loc]:
    """The places from the record's root down to ``loc``."""
    out = []
    while loc is not None:
        out.append(loc)
        loc = loc[0]
    out.reverse()
    return out


def json_path(loc: Loc) -> str:
    """``resourceSpans[0].spans[3].attributes["gen_ai.tool.call.arguments"].command``."""
    parts: list[str] = []
    for step in chain(loc):
        label = step[1]
        if label is None:
            continue
        if type(label) is int:
            parts.append(f"[{label}]")
        elif _IDENT.fullmatch(label):
            parts.append(f".{label}" if parts else label)
        else:
            parts.append(f"[{orjson.dumps(label).decode()}]")
    return "".join(parts) or "$"
