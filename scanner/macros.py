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


def expand(pattern: str) -> str:
    """``pattern`` with every ``{{name}}`` replaced by its fragment; an unknown name raises ``KeyError``."""
    return _USE.sub(lambda m: MACROS[m.group(1)], pattern)
