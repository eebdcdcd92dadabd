"""Hyperscan supersets of the rules (superset.py): every match of a rule ends where its superset ends."""

from __future__ import annotations

import pytest

from scanner.macros import escape_aware
from scanner.prefilter import BACKENDS, make_prefilter
from scanner.ruleset import RuleSet, build_rule
from scanner.superset import superset

RULES = RuleSet.default()


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"(?<![A-Za-z0-9])(ghp_[A-Za-z0-9]{36})(?![A-Za-z0-9])", r"(ghp_[A-Za-z0-9]{36})"),
    (r"(?P<q>['\"])(?P<secret>[^'\"]{12,200}+)(?P=q)", r"(['\"])([^'\"]{12,})(?:['\"])"),
    (r"<(password|pass)>\s*([^<]{4,300})\s*</\1>", r"<(password|pass)>\s*([^<]{4,})\s*</(?:password|pass)>"),
    (r"(?>a++b*+)c?+x{70}", r"(?:a+b*)c?x{64,}"),
    (r"[(?<!]{2}\(?=x\)", r"[(?<!]{2}\(?=x\)"),  # lookaround text inside a class or escaped is text
])
def test_superset_syntax(pattern, expected):
    assert superset(pattern) == expected


@pytest.mark.skipif("hyperscan" not in BACKENDS, reason="Hyperscan only")
def test_every_positive_example_ends_where_the_rules_superset_ends():
    failures = []
    for rule in RULES:
        spans = make_prefilter([], "hyperscan", [], [superset(escape_aware(rule.regex))])
        if not spans.spans_ok[0]:
            failures.append((rule.id, "does not compile"))
            continue
        for example in rule.positives:
            data = example.text.encode("utf-8")
            ends = {end for _, end in spans.hits(data)}
            failures += [(rule.id, example.text) for m in rule.pattern.finditer(data) if m.end() not in ends]
    assert failures == []


@pytest.mark.skipif("hyperscan" not in BACKENDS, reason="Hyperscan only")
def test_a_rule_hyperscan_cannot_take_keeps_its_keyword_windows():
    from scanner.engine import Engine

    rule = build_rule({"id": "cond", "description": "d", "regex": r"key=(\")?(\w{8})(?(1)\")", "keywords": ["key="],
                       "secret_group": 2})
    engine = Engine([rule], "hyperscan")  # a conditional group: Hyperscan refuses even the superset
    assert engine.paths() == {"cond": "windows"}
    text = 'key="abcdefgh" and key=ijklmnop'
    assert [m.secret for m in engine.scan(text).matches] == ["abcdefgh", "ijklmnop"]
    assert [m.secret for m in Engine([rule], "ahocorasick").scan(text).matches] == ["abcdefgh", "ijklmnop"]
