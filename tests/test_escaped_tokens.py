"""A token right after an escape (``\\n`` in a JSON string, ``%22`` in a URL, ``&quot;`` in HTML) is found by
every door and masked by every masking door: the rule's start boundary must not see the escape's last letter."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.engine import Engine
from scanner.redact import Redactor
from scanner.ruleset import RuleSet

# The eight provider kinds of the report, each by one of its rule's own positive examples.
KINDS = ("aws-access-key-id", "github-pat", "github-fine-grained-pat", "slack-bot-token", "stripe-live-secret-key",
         "openai-project-key", "anthropic-api-key", "jwt")
ESCAPES = ("\\n", "\\t", "\\r", '\\"', "\\u0022", "%22", "%20", "%2C", "&quot;", "&#34;")
RULES = RuleSet.default()


def _secret_of(rule_id: str) -> str:
    rule = RULES.get(rule_id)
    (match,) = [m for m in Engine([rule]).scan(rule.positives[0].text).matches if m.rule.id == rule_id]
    return match.secret


SECRETS = {rule_id: _secret_of(rule_id) for rule_id in KINDS}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(RULES)


@pytest.fixture(scope="module")
def redactor(engine) -> Redactor:
    return Redactor(engine)


@pytest.mark.parametrize("escape", ESCAPES)
@pytest.mark.parametrize("rule_id", KINDS)
def test_engine_finds_a_token_after_an_escape(engine, rule_id, escape):
    secret = SECRETS[rule_id]
    text = f'{{"content":"token:{escape}{secret}{escape} done"}}'
    found = [(m.rule.id, m.secret) for m in engine.scan(text).matches]
    assert (rule_id, secret) in found


@pytest.mark.parametrize("escape", ESCAPES)
@pytest.mark.parametrize("rule_id", KINDS)
def test_redactor_masks_a_token_after_an_escape(redactor, rule_id, escape):
    secret = SECRETS[rule_id]
    masked = redactor.redact(f"GET /cb?d={escape}{secret}{escape}&x=1")
    assert masked == f"GET /cb?d={escape}[REDACTED:{rule_id}]{escape}&x=1"


@settings(max_examples=60, deadline=None)
@given(escape=st.one_of(
    st.sampled_from("nrtfvb0").map(lambda c: "\\" + c),
    st.text("0123456789abcdefABCDEF", min_size=4, max_size=4).map(lambda h: "\\u" + h),
    st.text("0123456789abcdefABCDEF", min_size=2, max_size=2).map(lambda h: "%" + h),
), rule_id=st.sampled_from(KINDS))
def test_any_escape_before_a_token(redactor, escape, rule_id):
    secret = SECRETS[rule_id]
    assert secret not in redactor.redact(f"x{escape}{secret}")


def test_a_word_glued_to_a_token_is_still_not_a_boundary(engine):
    """Only escapes open the boundary: ``xghp_…`` or ``1AKIA…`` stay unmatched, as before."""
    for rule_id in ("github-pat", "aws-access-key-id"):
        assert engine.scan(f"prefix x{SECRETS[rule_id]} y").matches == []
        assert engine.scan(f"prefix 1{SECRETS[rule_id]} y").matches == []


def test_cli_doors_find_and_mask_tokens_after_escapes(veil, tmp_path):
    pat, aws = SECRETS["github-pat"], SECRETS["aws-access-key-id"]
    line = json.dumps({"content": f"token:\n{pat}", "url": f"/cb?d=%22{aws}%22"}) + "\n"
    masked = veil("redact", "--jsonl", stdin=line.encode())
    assert masked.code == 0
    assert json.loads(masked.out) == {"content": "token:\n[REDACTED:github-pat]",
                                      "url": "/cb?d=%22[REDACTED:aws-access-key-id]%22"}
    plain = veil("redact", stdin=f"GET /cb?d=%22{pat}%22 HTTP/1.1\n".encode())
    assert plain.out == "GET /cb?d=%22[REDACTED:github-pat]%22 HTTP/1.1\n"
    (tmp_path / "log.jsonl").write_text(line)
    report = veil("scan", tmp_path / "log.jsonl", "-f", "json")
    assert report.code == 1
    assert sorted((f["rule"], f["column"]) for f in report.json()["findings"]) == [
        ("aws-access-key-id", line.index(aws) + 1), ("github-pat", line.index(pat) + 1)]
