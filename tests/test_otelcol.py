"""``veil export otelcol`` run through the Collector's own replace-all semantics.

No ``otelcol-contrib`` binary installs from PyPI or Debian, so the exported configuration is played
here with RE2 (``google-re2``, the engine Go's ``regexp`` follows) exactly as the processors do:
``transform`` applies its ``replace_pattern`` statements in order, each a ``ReplaceAllString`` with
``${name}`` groups; ``redaction`` keeps ``blocked_values`` in a map (any order, duplicates merged) and
replaces each whole match with ``****``.
"""

from __future__ import annotations

import random
import subprocess

import pytest
import regex
from conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2
from test_redact_core import PAT

from scanner.engine import Engine
from scanner.redact.otelcol import Unsupported, convert
from scanner.ruleset import Rule, RuleSet

re2 = pytest.importorskip("re2")
yaml = pytest.importorskip("yaml")

AWS_2 = "AKIAQWERTYUIOPASDFGH"
_OTTL_STRING = regex.compile(r'"((?:[^"\\]|\\.)*)"')
_GO_GROUP = regex.compile(r"\$\{(\w+)\}")


@pytest.fixture(scope="module")
def exported(veil_bin) -> dict:
    """The Collector's view of ``veil export otelcol --processor both`` (after ``$$`` unescaping)."""
    proc = subprocess.run([veil_bin, "export", "otelcol", "--processor", "both"], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return yaml.safe_load(proc.stdout.decode().replace("$$", "$"))


def body_statements(config: dict) -> list[tuple[str, str]]:
    """``(pattern, replacement)`` of each log-body ``replace_pattern`` statement, in order."""
    statements = config["processors"]["transform/veil"]["log_statements"][2]["statements"]
    out = []
    for statement in statements:
        pattern, replacement = (regex.sub(r"\\(.)", r"\1", s) for s in _OTTL_STRING.findall(statement)[:2])
        out.append((pattern, replacement))
    return out


def transform(statements: list[tuple[str, str]], text: str) -> str:
    """``replace_pattern(body, …)`` statements applied in order: Go's ``ReplaceAllString`` each."""
    for pattern, replacement in statements:
        text = re2.compile(pattern).sub(_GO_GROUP.sub(r"\\g<\1>", replacement), text)
    return text


def redaction(blocked: list[str], text: str, seed: int) -> str:
    """The redaction processor: ``map[pattern]`` of blocked values, visited in any order."""
    patterns = list(dict.fromkeys(blocked))
    random.Random(seed).shuffle(patterns)
    for pattern in patterns:
        compiled = re2.compile(pattern)
        if compiled.search(text):
            text = compiled.sub("****", text)
    return text


def _rule_statements(config: dict, rule_id: str) -> list[tuple[str, str]]:
    return [s for s in body_statements(config) if f"[REDACTED:{rule_id}]" in s[1]]


@pytest.mark.parametrize(("text", "masked"), [
    (f"keys={AWS_KEY_ID},{AWS_2}", "keys=[REDACTED:aws-access-key-id],[REDACTED:aws-access-key-id]"),
    (f"{GITHUB_PAT},{GITHUB_PAT_2},{PAT}", ",".join(["[REDACTED:github-pat]"] * 3)),
    (f'{{"k1":"{GITHUB_PAT}","k2":"{GITHUB_PAT_2}"}}', '{"k1":"[REDACTED:github-pat]","k2":"[REDACTED:github-pat]"}'),
])
def test_adjacent_secrets_are_all_masked(exported, text, masked):
    assert transform(body_statements(exported), text) == masked
    blocked = exported["processors"]["redaction/veil"]["blocked_values"]
    for seed in range(3):
        out = redaction(blocked, text, seed)
        assert AWS_KEY_ID not in out and AWS_2 not in out and GITHUB_PAT not in out and GITHUB_PAT_2 not in out


def _edged_rules() -> list[Rule]:
    """Rules whose regex starts or ends with a lookaround: converted, those become consuming groups."""
    out = []
    for rule in RuleSet.default():
        try:
            if convert(rule).edges:
                out.append(rule)
        except Unsupported:
            continue
    return out


def _doubled(rule: Rule) -> list[tuple[str, list[str]]]:
    """Each positive example with its first secret written twice, ``secret,secret``, and the secrets
    Veil itself then finds."""
    engine, out = Engine([rule]), []
    for example in rule.positives:
        matches = engine.scan(example.text).matches
        if not matches:
            continue
        first = matches[0]
        raw = example.text.encode()
        text = (raw[:first.end] + b"," + raw[first.start:first.end] + raw[first.end:]).decode()
        found = [m.secret for m in engine.scan(text).matches]
        if len(found) >= 2:
            out.append((text, found))
    return out


@pytest.mark.parametrize("rule", _edged_rules(), ids=lambda r: r.id)
def test_each_rule_masks_two_adjacent_secrets_as_veil_does(exported, rule):
    statements = _rule_statements(exported, rule.id)
    pattern = convert(rule).pattern
    blocked = [b for b in exported["processors"]["redaction/veil"]["blocked_values"]
               if b in (pattern, f"(?:{pattern})")]
    for text, secrets in _doubled(rule):
        out = transform(statements, text)
        assert out.count(f"[REDACTED:{rule.id}]") == len(secrets), (text, out)
        assert not any(secret in out for secret in secrets), (text, out)
        assert not any(secret in redaction(blocked, text, 0) for secret in secrets), text
