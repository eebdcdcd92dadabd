"""``veil export otelcol``: an OpenTelemetry Collector processor configuration from the rule set.

The Collector's regexes are Go's (RE2): rules that need lookaround, backreferences or other
constructs RE2 lacks are left out and listed in a comment. Where a rule's secret group can be
split out of its regex, the ``transform`` statements keep the text around the secret
(``$${veilpre}[REDACTED:id]$${veilpost}``); otherwise the whole match is masked.

A lookaround at either end becomes a consuming group, and a replace-all never looks at text an
earlier match took: in ``key1,key2`` the first match eats the ``,`` that the second one needs in
front. Rules converted at both ends are therefore applied twice (a second statement, a second
``blocked_values`` entry): the first pass masks every other secret of a run, the second the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import regex

from ..ruleset import Rule

PROCESSORS = ("transform", "redaction", "both")
_FLAGS_AT_START = regex.compile(r"^\(\?[imsx]+\)")
_MAX_REPEAT = 1000
_ONE_CHAR = r"(\[(?:\\.|[^\]\\])*\]|\\[wdsWDS])"
_LEAD_NOT = regex.compile(r"^\(\?<!" + _ONE_CHAR + r"\)")
_TAIL_NOT = regex.compile(r"\(\?!" + _ONE_CHAR + r"\)$")
_LEAD_IS = regex.compile(r"^\(\?<=((?:[^()\\]|\\.)*)\)")
_TAIL_IS = regex.compile(r"\(\?=((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*)\)$")


@dataclass(frozen=True)
class Converted:
    """A rule's regex in RE2 syntax and the replacement that masks only its secret."""

    rule_id: str
    pattern: str
    replacement: str
    keeps_context: bool
    edges: int = 0  # lookarounds at the ends rewritten as consuming groups: 0, 1 or 2

    @property
    def passes(self) -> int:
        """Replace-alls needed: two when both ends consume, so that adjacent secrets are all masked."""
        return 2 if self.edges == 2 else 1


class Unsupported(ValueError):
    """A regex construct that RE2 does not have."""


def _scan(pattern: str) -> tuple[str, list[tuple[int, int, int, bool, str | None]], bool]:
    """Translate ``pattern`` to RE2 syntax; also return its capture groups as
    ``(start, end, depth, quantified, name)`` in the translated text, and whether ``|`` occurs at depth 0."""
    out: list[str] = []
    groups: list[tuple[int, int, int, bool, str | None]] = []
    stack: list[tuple[int, bool, str | None]] = []
    top_alternation, i, n, in_class = False, 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1:i + 2]
            if in_class or nxt not in "123456789KGZu":
                out.append(pattern[i:i + 2])
            elif nxt == "Z":
                out.append("\\z")
            elif nxt == "u" and regex.match(r"[0-9a-fA-F]{4}", pattern[i + 2:i + 6]):
                out.append("\\x{" + pattern[i + 2:i + 6] + "}")
                i += 4
            else:
                raise Unsupported(f"\\{nxt}")
            i += 2
            continue
        if in_class:
            in_class = c != "]"
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            start = "[^" if pattern.startswith("[^", i) else "["
            out.append(start)
            i += len(start)
            if pattern.startswith("]", i):
                out.append("]")
                i += 1
            continue
        if c == "(":
            head = pattern[i:i + 4]
            name = None
            if head.startswith(("(?=", "(?!", "(?<=", "(?<!", "(?>", "(?(", "(?R", "(?|", "(?P=", "(?&", "(?P>")):
                raise Unsupported(head)
            named = regex.match(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>", pattern[i:])
            if named:
                name = named.group(1)
                out.append(f"(?P<{name}>")
                i += named.end()
                stack.append((len("".join(out)) - len(out[-1]), True, name))
                continue
            flags = regex.match(r"\(\?([a-zA-Z]*)(?:-[a-zA-Z]*)?([:)])", pattern[i:])
            if flags:
                if set(flags.group(1)) - set("imsU") or "x" in flags.group(0):
                    raise Unsupported(flags.group(0))
                if flags.group(2) == ")":
                    if i != 0:
                        raise Unsupported("inline flags after the start")
                    out.append(flags.group(0))
                    i += flags.end()
                    continue
                stack.append((len("".join(out)), False, None))
                out.append(flags.group(0))
                i += flags.end()
                continue
            if pattern.startswith("(?", i):
                raise Unsupported(pattern[i:i + 4])
            stack.append((len("".join(out)), True, None))
            out.append("(")
            i += 1
            continue
        if c == ")":
            out.append(")")
            i += 1
            start, capturing, name = stack.pop()
            if capturing:
                quantified = pattern[i:i + 1] in ("*", "+", "?", "{")
                groups.append((start, len("".join(out)), len(stack), quantified, name))
            continue
        if c == "|" and not stack:
            top_alternation = True
        if c in "*+?}" and pattern[i + 1:i + 2] == "+":
            raise Unsupported("possessive quantifier")
        if c == "{":
            bound = regex.match(r"\{(\d*)(?:,(\d*))?\}", pattern[i:])
            if bound:
                low, high = bound.group(1), bound.group(2)
                if low and int(low) > _MAX_REPEAT:
                    raise Unsupported(f"repeat count over {_MAX_REPEAT}")
                if high and int(high) > _MAX_REPEAT:  # RE2's limit: drop the bound, mask more rather than less
                    high = ""
                out.append(f"{{{low or 0}}}" if high is None else f"{{{low or 0},{high}}}")
                i += bound.end()
                if pattern.startswith("+", i):
                    raise Unsupported("possessive quantifier")
                continue
        out.append(c)
        i += 1
    # groups were appended in closing order; capture numbers follow opening order
    groups.sort(key=lambda g: g[0])
    return "".join(out), groups, top_alternation


def _negate(one: str) -> str:
    if one.startswith("\\"):
        return one.swapcase()
    return "[" + one[2:] if one.startswith("[^") else "[^" + one[1:]


def _edges(pattern: str) -> tuple[str, int]:
    """Rewrite lookarounds at the very start or end, which RE2 lacks, as consuming groups: they end
    up in the context kept around the secret. ``(?<![a-z])`` becomes ``(?:^|[^a-z])``. Also return
    how many ends were rewritten."""
    flags = _FLAGS_AT_START.match(pattern)
    lead = flags.group(0) if flags else ""
    body = pattern[len(lead):]
    start = end = True
    if m := _LEAD_NOT.match(body):
        body = f"(?:^|{_negate(m.group(1))})" + body[m.end():]
    elif m := _LEAD_IS.match(body):
        body = f"(?:{m.group(1)})" + body[m.end():]
    else:
        start = False
    if m := _TAIL_NOT.search(body):
        body = body[:m.start()] + f"(?:$|{_negate(m.group(1))})"
    elif m := _TAIL_IS.search(body):
        body = body[:m.start()] + f"(?:{m.group(1)})"
    else:
        end = False
    return lead + body, start + end


def convert(rule: Rule) -> Converted:
    """``rule`` for the Collector; raises :class:`Unsupported` when RE2 cannot express it."""
    edged, edges = _edges(rule.regex)
    text, groups, top_alternation = _scan(edged)
    whole = Converted(rule.id, text, f"[REDACTED:{rule.id}]", False, edges)
    group = rule.group
    if isinstance(group, str):
        index = next((k for k, g in enumerate(groups) if g[4] == group), None)
    else:
        index = group - 1 if group else None
    if index is None or index >= len(groups):
        return whole
    start, end, depth, quantified, _name = groups[index]
    if depth or quantified or top_alternation:
        return whole
    flags = _FLAGS_AT_START.match(text)
    lead = flags.group(0) if flags else ""
    pre, secret, post = text[len(lead):start], text[start:end], text[end:]
    if not pre and not post:
        return whole
    pattern = f"{lead}(?P<veilpre>{pre}){secret}(?P<veilpost>{post})"
    return replace(whole, pattern=pattern, replacement="${veilpre}" + whole.replacement + "${veilpost}",
                   keeps_context=True)


def _ottl(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _yaml(text: str) -> str:
    """A single-quoted YAML scalar, with ``$`` doubled for the Collector's variable expansion."""
    return "'" + text.replace("'", "''").replace("$", "$$") + "'"


def render(rules: Iterable[Rule], processor: str = "transform") -> str:
    """The ``processors:`` section (and a pipeline hint) as YAML text."""
    converted, skipped = [], []
    for rule in rules:
        try:
            converted.append(convert(rule))
        except Unsupported as exc:
            skipped.append(f"{rule.id} ({exc})")
    lines = [
        "# OpenTelemetry Collector processors generated by `veil export otelcol` from Veil's rule set.",
        f"# {len(converted)} rules; regexes are RE2 (Go). Add the processor to each pipeline, e.g.",
        "#   service: {pipelines: {traces: {processors: [transform/veil, batch]},",
        "#                         logs: {processors: [transform/veil, batch]}}}",
    ]
    if skipped:
        lines.append("# Rules left out (RE2 cannot express them): " + ", ".join(skipped))
    lines.append("processors:")
    if processor in ("transform", "both"):
        lines += _transform(converted)
    if processor in ("redaction", "both"):
        lines += _redaction(converted)
    return "\n".join(lines) + "\n"


def _transform(converted: list[Converted]) -> list[str]:
    def statements(fmt: str) -> list[str]:
        return [f"          - {_yaml(fmt.format(re=_ottl(c.pattern), repl=_ottl(c.replacement)))}"
                for c in converted for _ in range(c.passes)]

    attributes = 'replace_all_patterns(attributes, "value", {re}, {repl})'
    lines = ["  transform/veil:", "    error_mode: ignore", "    trace_statements:"]
    lines += ["      - context: resource", "        statements: &veil_attributes"] + statements(attributes)
    lines += ["      - context: span", "        statements: *veil_attributes"]
    lines += ["      - context: span", "        statements:"]
    lines += statements("replace_pattern(name, {re}, {repl})")
    lines += statements("replace_pattern(status.message, {re}, {repl})")
    lines += ["      - context: spanevent", "        statements: *veil_attributes"]
    lines += ["    log_statements:", "      - context: resource", "        statements: *veil_attributes"]
    lines += ["      - context: log", "        statements: *veil_attributes"]
    lines += ["      - context: log", "        statements:"]
    lines += statements("replace_pattern(body, {re}, {repl}) where IsString(body)")
    return lines


def _redaction(converted: list[Converted]) -> list[str]:
    lines = ["  redaction/veil:", "    allow_all_keys: true", "    summary: silent", "    blocked_values:"]
    for c in converted:
        lines.append(f"      - {_yaml(c.pattern)}  # {c.rule_id}")
        if c.passes == 2:  # the processor keeps its patterns in a map: the second pass needs other text
            lines.append(f"      - {_yaml(f'(?:{c.pattern})')}  # {c.rule_id}, second pass: adjacent secrets")
    return lines
