"""Check rules against their own examples: what ``veil rules test`` and the test suite run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .engine import Engine
from .ruleset import Rule


@dataclass(frozen=True)
class ExampleFailure:
    rule_id: str
    kind: str  # "positive" or "negative"
    text: str
    problem: str


def check_rule(rule: Rule, backend: str | None = None) -> list[ExampleFailure]:
    """Every way ``rule`` disagrees with its examples, scanned by an engine holding only that rule (and no
    decoder: an example shows the rule, and each engine would compile the decoders' triggers again)."""
    engine = Engine([rule], backend=backend, decoders=[])
    failures = []
    for example in rule.positives:
        matches = engine.scan(example.text).matches
        secrets = [m.secret for m in matches]
        if not secrets:
            failures.append(ExampleFailure(rule.id, "positive", example.text, "no match"))
        elif example.secret is not None and example.secret not in secrets:
            failures.append(
                ExampleFailure(rule.id, "positive", example.text, f"found {secrets}, expected {example.secret!r}")
            )
        elif example.partner is not None and all(m.partner != example.partner for m in matches):
            partners = [m.partner for m in matches]
            failures.append(
                ExampleFailure(rule.id, "positive", example.text, f"partners {partners}, expected {example.partner!r}")
            )
    for example in rule.negatives:
        secrets = [m.secret for m in engine.scan(example.text).matches]
        if secrets:
            failures.append(ExampleFailure(rule.id, "negative", example.text, f"matched {secrets}"))
    return failures


def check_rules(rules: Iterable[Rule], backend: str | None = None) -> list[ExampleFailure]:
    return [failure for rule in rules for failure in check_rule(rule, backend)]
