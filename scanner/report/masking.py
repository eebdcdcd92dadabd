"""No report prints a secret in clear: not as the secret, and not inside a path, a span or tool name,
a JSON path, an author or a summary either (trace span names carry URLs with tokens in them)."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import ahocorasick

from ..finding import mask
from ..outcome import ScanOutcome


def masked(outcome: ScanOutcome) -> ScanOutcome:
    """A copy of ``outcome`` whose paths, origins and skips show every secret (and pair partner) found in it masked
    (:func:`~scanner.finding.mask`); the findings keep their secrets (reports mask those) and fingerprints."""
    secrets = {s for f in outcome.findings for s in (f.secret, f.partner) if s}
    if not secrets:
        return outcome
    automaton = ahocorasick.Automaton()
    for secret in secrets:
        automaton.add_word(secret, secret)
    automaton.make_automaton()

    @cache
    def text(value: str) -> str:
        out, start = [], 0
        for end, secret in automaton.iter_long(value):  # the longest secret where several overlap
            out += [value[start:end + 1 - len(secret)], mask(secret)]
            start = end + 1
        return "".join(out) + value[start:] if out else value

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return text(value)
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(clean(v) for v in value)
        return value

    return replace(
        outcome,
        findings=[replace(f, path=text(f.path), origin=clean(f.origin)) for f in outcome.findings],
        skipped=[replace(s, path=text(s.path), reason=text(s.reason)) for s in outcome.skipped],
    )
