"""Named regex fragments that rules share, written ``{{name}}`` in a rule's regex and expanded when
rules are loaded: one definition of "a name is assigned a value" for every rule that needs it.

``{{assign_op}}`` follows a secret-like name and ends where its value may begin: the name's closing
quote (``"key"``, JSON-escaped ``\\"key\\"``, a subscript ``["key"]``), a type annotation (Rust
``: &str``, TypeScript ``: string``, Go ``string``), and an operator — ``=``, ``:``, ``:=``, ``=>``,
``?=``, ``==``; an XML element (``<apiKey>``) or ``<add key="…" value=``; or a Kubernetes or
Postman pair with ``value:`` on the next line. ``{{assign}}`` also takes the default in
``getenv("NAME", …)`` and a plain blank (``ENV NAME value``, ``--flag value``), then the value's
opening quote: for rules whose value has a shape of its own. No lookarounds, so the rules still
convert to RE2 for ``veil export otelcol``.
"""

from __future__ import annotations

import regex

_ASSIGN_OP = (
    r"""(?:(?:\\?["'`])?\]?(?:\s{0,3}:\s{0,3}&?(?:'static\s{1,3})?[A-Za-z][\w.<>\[\]]{0,20}"""
    r"""|\s{1,3}(?:string|String|str))?\s{0,5}"""
    r"""(?::=|=>|\?=|==|[:=>]|value[ \t]*=|,?[ \t]*\r?\n[ \t]*-?[ \t]*["']?value["']?[ \t]*:))"""
)
MACROS = {
    "assign_op": _ASSIGN_OP,
    "assign": rf"""(?:(?:{_ASSIGN_OP}|\\?["'`]\s{{0,3}},|[ \t]+)\s{{0,5}}(?:\\?["'`])?)""",
}
_USE = regex.compile(r"\{\{([a-z_]+)\}\}")

# What may stand right before a token in escaped text: a JSON/C escape (``\n``, ``\t``, ``\u0022``), a
# percent-encoded byte (``%22``, ``%20``) or an HTML entity (``&quot;``). Its last character is a letter or
# digit, so a rule's ``\b`` or ``(?<![A-Za-z0-9])`` start would refuse a token that follows it.
ESCAPE_BEFORE = (
    r"(?<=\\[nrtfvb0]|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|%[0-9A-Fa-f]{2}"
    r"|&(?:quot|apos|amp|lt|gt|nbsp|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)"
)
_FLAGS = r"(?:\(\?[a-zA-Z]+\))?"
_LEAD_WORD_BOUNDARY = regex.compile(rf"^({_FLAGS})\\b")
_LEAD_NOT_AFTER = regex.compile(rf"^({_FLAGS})\(\?<!(\[(?:\\.|[^\]\\])*\])\)")


def escape_aware(pattern: str) -> str:
    """``pattern`` whose start boundary (a leading ``\\b`` or ``(?<![…])``) also accepts a token right after an
    escape (:data:`ESCAPE_BEFORE`), so ``"token:\\nghp_…"`` in a JSON log or ``?d=%22ghp_…`` in a URL is
    found; other patterns are returned as they are. A class that itself excludes ``%`` or ``\\`` (a token
    that may contain escapes) keeps its boundary. Only the Python patterns get this: the RE2 export
    (``veil export otelcol``) works from the rule as written."""
    lead = _LEAD_WORD_BOUNDARY.match(pattern)
    if lead:
        return f"{lead[1]}(?:\\b|{ESCAPE_BEFORE})" + pattern[lead.end():]
    lead = _LEAD_NOT_AFTER.match(pattern)
    if lead and "%" not in lead[2] and "\\\\" not in lead[2]:
        return f"{lead[1]}(?:(?<!{lead[2]})|{ESCAPE_BEFORE})" + pattern[lead.end():]
    return pattern


def expand(pattern: str) -> str:
    """``pattern`` with every ``{{name}}`` replaced by its fragment; an unknown name raises ``KeyError``."""
    return _USE.sub(lambda m: MACROS[m.group(1)], pattern)
