"""Hyperscan supersets of the rules (superset.py): every match of a rule ends where its superset ends."""

from __future__ import annotations

import pytest

from scanner.macros import escape_aware
from scanner.prefilter import BACKENDS, HyperscanPrefilter
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
    rules = list(RULES)
    spans = HyperscanPrefilter((), (), [superset(escape_aware(rule.regex)) for rule in rules])  # one database
    failures = [(rule.id, "does not compile") for rule, ok in zip(rules, spans.spans_ok, strict=True) if not ok]
    for index, rule in enumerate(rules):
        for example in rule.positives:
            data = example.text.encode("utf-8")
            ends = {end for span, end in spans.hits(data) if span == index}
            failures += [(rule.id, example.text) for m in rule.pattern.finditer(data) if m.end() not in ends]
    assert failures == []


@pytest.mark.skipif("hyperscan" not in BACKENDS, reason="Hyperscan only")
def test_a_rule_hyperscan_cannot_take_keeps_its_keyword_windows():
    from scanner.engine import Engine

    rule = build_rule({"id": "cond", "description": "d", "regex": r"key=(\")?(\w{8})(?(1)\")", "keywords": ["key="],
                       "secret_group": 2})
    plain = build_rule({"id": "plain", "description": "d", "regex": r"key=(\w{8})", "keywords": ["key="]})
    anywhere = build_rule({"id": "anywhere", "description": "d", "regex": r"zz(\d{6})zz"})
    assert Engine([rule, plain, anywhere], "hyperscan").paths() == {
        "cond": "windows", "plain": "hyperscan", "anywhere": "whole-chunk"}
    engine = Engine([rule], "hyperscan")  # a conditional group: Hyperscan refuses even the superset
    assert engine.paths() == {"cond": "windows"}
    text = 'key="abcdefgh" and key=ijklmnop'
    assert [m.secret for m in engine.scan(text).matches] == ["abcdefgh", "ijklmnop"]
    assert [m.secret for m in Engine([rule], "ahocorasick").scan(text).matches] == ["abcdefgh", "ijklmnop"]


@pytest.mark.skipif("hyperscan" not in BACKENDS, reason="Hyperscan only")
def test_the_span_database_is_built_in_the_background_once_enough_bytes_ask_and_then_cached(tmp_path, monkeypatch):
    from scanner.engine import Engine
    from scanner.prefilter import SpanDatabase

    monkeypatch.setenv("VEIL_CACHE_DIR", str(tmp_path))
    spans = [r"tok=[A-Za-z0-9]{12}"]
    fresh = SpanDatabase(spans)
    assert fresh.ready(1000) is None and fresh.ready(1000) is None  # a short run never starts the build
    built = fresh.wait()
    assert fresh.ready() is built and built.hits(b"a tok=Q8w7E6r5T4y3") == [(0, 18)]
    assert SpanDatabase(spans).ready() is not None  # a later process loads it from the cache at once

    rule = build_rule({"id": "tok", "description": "d", "regex": r"tok=([A-Za-z0-9]{12})", "keywords": ["tok="]})
    monkeypatch.setenv("VEIL_CACHE_DIR", str(tmp_path / "empty"))
    engine = Engine([rule], "hyperscan")
    text = "a tok=Q8w7E6r5T4y3 b tok=short\n" * 3
    before = engine.scan(text).matches  # keyword windows: the database is not built yet
    assert engine.paths() == {"tok": "hyperscan"}  # waits for it
    assert engine.scan(text).matches == before and [m.secret for m in before] == ["Q8w7E6r5T4y3"] * 3


@pytest.mark.skipif("hyperscan" not in BACKENDS, reason="Hyperscan only")
def test_one_process_builds_the_span_database_the_others_load_it_from_the_cache(tmp_path, monkeypatch):
    """A pool's workers all ask for the database: the one holding the build lock compiles it (and
    finishes before it exits); the others keep to their windows and load it once it is stored."""
    from scanner import cache
    from scanner.prefilter import SpanDatabase

    monkeypatch.setenv("VEIL_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(SpanDatabase, "LOOK_EVERY", 0.0)
    spans = [r"tok=[A-Za-z0-9]{12}"]
    waiting = SpanDatabase(spans)
    lock = waiting._marker + ".lock"
    assert cache.take_lock(lock, 600)  # another process (alive: this one) is building
    assert waiting.ready(SpanDatabase.BUILD_AFTER) is None and waiting.ready(1) is None
    SpanDatabase(spans).wait()  # that process stores it
    assert waiting.ready(1) is not None  # and the waiting one loads it

    cache.remove(lock)
    (tmp_path / lock).write_text("999999999")  # a lock left by a process that is gone is taken
    assert cache.take_lock(lock, 600)
    cache.remove(lock)
    monkeypatch.setenv("VEIL_CACHE_DIR", str(tmp_path / "fresh"))
    builder = SpanDatabase(spans)
    assert builder.ready(SpanDatabase.BUILD_AFTER) is None or builder.ready() is not None
    builder.wait()
    assert cache.load(builder._marker) is not None and not (tmp_path / "fresh" / lock).exists()
