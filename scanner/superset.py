"""A rule's regex as a Hyperscan expression that matches wherever the rule can.

Hyperscan has no lookarounds, backreferences, possessive or atomic forms, and large bounded repeats
make its databases slow to build. The expression made here drops every lookaround, repeats the text of
a group in place of a backreference to it, makes possessive and atomic forms plain, and opens bounded
repeats longer than :data:`REPEAT_LIMIT` (``{40,300}`` → ``{40,}``). The result is a *superset*: it
matches every text the rule matches, with the same end, and maybe more; the rule's own regex then
confirms (see :class:`scanner.engine.Engine`).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

REPEAT_LIMIT = 64
_LOOKAROUNDS = ("(?<=", "(?<!", "(?=", "(?!")
_NAMED_GROUP = regex.compile(r"\(\?P?<([A-Za-z_]\w*)>")
_NAMED_REF = regex.compile(r"\(\?P=([A-Za-z_]\w*)\)")
_REPEAT = regex.compile(r"\{(\d+)(,(\d*))?\}")


@dataclass(frozen=True)
class _Group:
    start: int  # index of "("
    body: int  # index of the group's first character inside
    end: int  # index after ")"
    name: str | None


def _class_end(pattern: str, i: int) -> int:
    """Index after the character class that opens at ``pattern[i] == "["``."""
    i += 1
    if pattern.startswith("^", i):
        i += 1
    if pattern.startswith("]", i):
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _groups(pattern: str) -> tuple[list[_Group], dict[int, int]]:
    """Capturing groups in the order they open, and the closing index of every ``(``."""
    groups: list[_Group] = []
    closing: dict[int, int] = {}
    stack: list[tuple[int, int, str | None, bool]] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(pattern, i)
            continue
        if c == "(":
            named = _NAMED_GROUP.match(pattern, i)
            if named:
                stack.append((i, named.end(), named[1], True))
            else:
                capturing = not pattern.startswith("(?", i)
                stack.append((i, i + 1, None, capturing))
            i = named.end() if named else i + 1
            continue
        if c == ")" and stack:
            start, body, name, capturing = stack.pop()
            closing[start] = i + 1
            if capturing:
                groups.append(_Group(start, body, i + 1, name))
        i += 1
    groups.sort(key=lambda g: g.start)
    return groups, closing


def superset(pattern: str) -> str:
    """``pattern`` (Python ``regex`` syntax) as a Hyperscan expression matching a superset of it."""
    groups, closing = _groups(pattern)
    by_name = {g.name: g for g in groups if g.name}

    def body_of(group: _Group) -> str:
        return convert(group.body, group.end - 1)

    def convert(i: int, stop: int) -> str:
        out: list[str] = []
        while i < stop:
            c = pattern[i]
            if c == "\\":
                number = regex.match(r"\\([1-9]\d?)", pattern[i:stop])
                if number and int(number[1]) <= len(groups):
                    out.append(f"(?:{body_of(groups[int(number[1]) - 1])})")
                    i += number.end()
                else:
                    out.append(pattern[i:i + 2])
                    i += 2
            elif c == "[":
                end = _class_end(pattern, i)
                out.append(pattern[i:end])
                i = end
            elif c == "(":
                if pattern.startswith(_LOOKAROUNDS, i):
                    i = closing[i]
                    continue
                ref = _NAMED_REF.match(pattern, i)
                named = _NAMED_GROUP.match(pattern, i)
                if ref:
                    out.append(f"(?:{body_of(by_name[ref[1]])})")
                    i = ref.end()
                elif named:
                    out.append("(")
                    i = named.end()
                elif pattern.startswith("(?>", i):
                    out.append("(?:")
                    i += 3
                else:
                    out.append(c)
                    i += 1
            elif c in "*+?" and pattern.startswith("+", i + 1):  # possessive: plain greedy
                out.append(c)
                i += 2
            elif c == "{" and (repeat := _REPEAT.match(pattern, i)):
                out.append(_opened(repeat))
                i = repeat.end()
                if pattern.startswith("+", i):
                    i += 1
            else:
                out.append(c)
                i += 1
        return "".join(out)

    return convert(0, len(pattern))


def _opened(repeat: regex.Match) -> str:
    """``{m,n}`` with ``n`` past the limit as ``{m,}`` (``m`` capped too); others as they are."""
    low, comma, high = int(repeat[1]), repeat[2], repeat[3]
    top = low if comma is None else (int(high) if high else None)
    if top is not None and top <= REPEAT_LIMIT:
        return repeat[0]
    return f"{{{min(low, REPEAT_LIMIT)},}}"
