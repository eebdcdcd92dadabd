"""The start-up cache: parsed built-in rules and compiled databases come back the same, and a
damaged or unwritable cache only means doing the work again."""

import os
import time

from scanner import cache
from scanner.ruleset import default_rules


def test_load_returns_what_was_stored_and_nothing_when_damaged(tmp_path, monkeypatch):
    monkeypatch.setenv("VEIL_CACHE_DIR", str(tmp_path))
    cache.store("entry", b"body")
    assert cache.load("entry") == b"body"
    (tmp_path / "entry").write_bytes((tmp_path / "entry").read_bytes()[:-1] + b"X")
    assert cache.load("entry") is None
    assert cache.load("absent") is None


def test_the_rules_read_from_the_cache_are_the_rules_parsed(tmp_path, monkeypatch):
    monkeypatch.setenv("VEIL_CACHE_DIR", str(tmp_path))
    parsed = default_rules()
    [entry] = tmp_path.glob("rules-*.json")
    cached = default_rules()
    assert [(r.id, r.regex, r.keywords, r.entropy, r.gate, r.positives) for r in cached] == [
        (r.id, r.regex, r.keywords, r.entropy, r.gate, r.positives) for r in parsed]
    entry.write_bytes(b"\0" * 40)
    assert [r.id for r in default_rules()] == [r.id for r in parsed]


def test_an_unwritable_cache_is_skipped(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("not a directory")
    monkeypatch.setenv("VEIL_CACHE_DIR", str(tmp_path / "file" / "veil"))
    cache.store("entry", b"body")
    assert cache.load("entry") is None
    assert len(default_rules()) > 200


def test_entries_no_run_used_for_a_month_are_removed_when_a_new_one_is_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("VEIL_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cache, "_swept", False)
    unused, used, new = (f"hyperscan-{digit * 40}.db" for digit in "123")
    (tmp_path / "notes.txt").write_text("someone else's file in a shared folder")
    for name in (unused, used, "notes.txt"):
        if name != "notes.txt":
            cache.store(name, b"body")
        month_ago = time.time() - cache.UNUSED_FOR - 3600
        os.utime(tmp_path / name, (month_ago, month_ago))
    assert cache.load(used) == b"body"  # used now: its time is brought up to date
    monkeypatch.setattr(cache, "_swept", False)
    cache.store(new, b"body")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([new, used, "notes.txt"])
