"""``veil rules list`` and ``veil rules test`` on the shipped rules and on a user's own file."""

from __future__ import annotations

from scanner.prefilter import BACKENDS
from scanner.ruleset import RuleSet

GOOD = """
[[rules]]
id = "acme-token"
description = "ACME internal API token"
regex = '''\\b(acme_[0-9a-f]{24})\\b'''
keywords = ["acme_"]
entropy = 3.0
[rules.examples]
positive = [{ text = "ACME=acme_3f9c2a7b1d8e4f60a5b2c9d1", secret = "acme_3f9c2a7b1d8e4f60a5b2c9d1" }]
negative = ["acme_3f9c"]
"""


def test_rules_list_lists_every_rule(veil):
    run = veil("rules", "list")
    assert run.code == 0
    ids = [line.split()[0] for line in run.out.splitlines()]
    assert ids == [r.id for r in RuleSet.default()]
    assert "github-pat" in ids
    paths = {line.split()[0]: line.split()[2] for line in run.out.splitlines()}
    assert set(paths.values()) <= {"hyperscan", "windows", "whole-chunk"}
    assert paths["github-pat"] == ("hyperscan" if "hyperscan" in BACKENDS else "windows")
    assert run.err.startswith(f"{len(ids)} rules (")


def test_rules_test_on_the_builtin_rules(veil):
    run = veil("rules", "test")
    assert run.code == 0, run.out
    assert run.out.splitlines()[-1] == f"{len(RuleSet.default())} of {len(RuleSet.default())} rules pass their examples"


def test_rules_test_on_a_user_file(veil, tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(GOOD)
    run = veil("rules", "test", good)
    assert run.code == 0 and run.out.startswith("ok   acme-token (1 positive, 1 negative)")

    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('negative = ["acme_3f9c"]', 'negative = ["acme_0f9c2a7b1d8e4f60a5b2c9d1"]'))
    run = veil("rules", "test", bad)
    assert run.code == 1
    assert run.out.splitlines()[:2] == [
        f"FAIL acme-token ({bad})",
        "     negative example 'acme_0f9c2a7b1d8e4f60a5b2c9d1': matched ['acme_0f9c2a7b1d8e4f60a5b2c9d1']",
    ]


def test_a_user_rule_is_used_by_scan(veil, tmp_path):
    rules = tmp_path / "acme.toml"
    rules.write_text(GOOD)
    (tmp_path / "app.cfg").write_text("token=acme_3f9c2a7b1d8e4f60a5b2c9d1\n")
    doc = veil("scan", "app.cfg", "--rules", rules, "-f", "json", cwd=tmp_path).json()
    assert [(f["rule"], f["line"], f["column"]) for f in doc["findings"]] == [("acme-token", 1, 7)]


def test_broken_rule_files_are_clear_errors(veil, tmp_path):
    cases = {
        "syntax.toml": ("[[rules]\nid = 1", "not valid TOML"),
        "regex.toml": (GOOD.replace("{24})", "{24}"), "rule 'acme-token': regex does not compile"),
        "group.toml": (
            GOOD.replace("entropy = 3.0", "entropy = 3.0\nsecret_group = 3"),
            "secret_group 3 but the regex has 1 groups",
        ),
        "keys.toml": (GOOD.replace("entropy", "entrop"), "unknown keys ['entrop']"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        for args in (("rules", "test", path), ("scan", "--rules", path, tmp_path)):
            run = veil(*args)
            assert run.code == 2, (name, args)
            assert str(path) in run.err and message in run.err, run.err
    dup = tmp_path / "dup.toml"
    dup.write_text(GOOD + GOOD)
    assert "rule id 'acme-token' is also defined" in veil("rules", "test", dup).err
