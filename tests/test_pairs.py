"""Paired credentials (rules/pairs.toml, ``pair_group``): one finding names both halves, both are masked."""

from __future__ import annotations

import json
import logging

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from scanner.engine import Engine
from scanner.redact import Redactor, SecretFilter
from scanner.redact.otel import SecretSpanProcessor
from scanner.ruleset import RuleError, build_rule
from scanner.ruletest import check_rule

# Fake, well-formed values (random, never issued by any provider).
AWS_ID, AWS_SECRET = "AKIAUAPAHJQKDBOMZN4L", "8vd+gyxwIIdErw0heum2mFNkqd8HviHBdLVmjp1U"
AWS_ID_2, AWS_SECRET_2 = "AKIALUCJN62XL62HG2NT", "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"
TWILIO_SID, TWILIO_TOKEN = "AC98c6523096f6c54ef89e5c345fdd71dd", "84de4adf31076888a1bedd0158954a55"
ALGOLIA_APP, ALGOLIA_KEY = "RQAJ5WCTO4", "8b84b1687ad44efcc3c787ee72e4d6c7"
AZURE_KEY = "IF3OchrJTMrxk6zg2b8wf39iZAVSjrWSTrQjM2R8pZHK4IW7jnLa0b/hOZ54I8PreM/L2v4uMeN7vMEoib3btA=="
AZURE_KEY_2 = "Ys7AQ8zaXyG/e1u64Q0wroYjEtVFvHcrq+B8QRLY3SGlLpHDeeu+TCP9C8dsN8pCAsDYR0TzLag1a2t1ttW1cw=="

AWS_LINES = (
    f"aws {AWS_ID} {AWS_SECRET}\n"
    f"{AWS_ID}:{AWS_SECRET}\n"
    f"Access key ID,Secret access key\n{AWS_ID_2},{AWS_SECRET_2}\n"
    f"key {AWS_ID_2} / {AWS_SECRET_2}\n"
)
TWILIO_LINE = f"curl -u {TWILIO_SID}:{TWILIO_TOKEN} https://api.twilio.com/2010-04-01/Accounts.json\n"
ALGOLIA_LINE = f"const index = algoliasearch('{ALGOLIA_APP}', '{ALGOLIA_KEY}').initIndex('docs');\n"
AZURE_LINES = (
    f"DefaultEndpointsProtocol=https;AccountName=invoicesprod;AccountKey={AZURE_KEY};EndpointSuffix=core.windows.net\n"
    f"az storage blob list --account-name backups7 --account-key {AZURE_KEY_2} -c db\n"
)
TEXT = AWS_LINES + TWILIO_LINE + ALGOLIA_LINE + AZURE_LINES


def test_scan_reports_each_pair_once_as_one_finding_that_names_its_partner(veil):
    run = veil("scan", "-", "--format", "json", "--show-secrets", stdin=TEXT.encode())
    assert run.code == 1, run.err
    found = [(f["line"], f["rule"], f["secret"], f.get("partner")) for f in run.json()["findings"]]
    assert found == [  # not aws-access-key-id for the partner as well
        (1, "aws-access-key-pair", AWS_SECRET, AWS_ID),
        (2, "aws-access-key-pair", AWS_SECRET, AWS_ID),
        (4, "aws-access-key-pair", AWS_SECRET_2, AWS_ID_2),
        (5, "aws-access-key-pair", AWS_SECRET_2, AWS_ID_2),
        (6, "twilio-credential-pair", TWILIO_TOKEN, TWILIO_SID),  # not twilio-auth-token as well
        (7, "algolia-credential-pair", ALGOLIA_KEY, ALGOLIA_APP),
        (8, "azure-storage-credential-pair", AZURE_KEY, "invoicesprod"),  # not azure-storage-account-key as well
        (9, "azure-storage-credential-pair", AZURE_KEY_2, "backups7"),
    ]


def test_reports_mask_the_partner_like_the_secret(veil):
    run = veil("scan", "-", "--format", "json", stdin=TWILIO_LINE.encode())
    [finding] = run.json()["findings"]
    assert (finding["secret"], finding["partner"]) == ("84de…4a55", "AC98…71dd")
    text = veil("scan", "-", stdin=f"{AWS_ID}:{AWS_SECRET}\n".encode()).out
    assert "secret 8vd+…jp1U with AK…4L  fingerprint" in text
    sarif = veil("scan", "-", "--format", "sarif", stdin=f"{AWS_ID}:{AWS_SECRET}\n".encode()).out
    messages = [r["message"]["text"] for r in json.loads(sarif)["runs"][0]["results"]]
    assert "AWS access key ID with its secret access key beside it (AKIA… / …, AKIA…:…, CSV export): " \
           "8vd+…jp1U with AK…4L" in messages
    for out in (run.out, text, sarif):
        assert AWS_ID not in out and AWS_SECRET not in out and TWILIO_SID not in out and TWILIO_TOKEN not in out


def test_redact_masks_both_halves(veil):
    run = veil("redact", stdin=(AWS_LINES + TWILIO_LINE + AZURE_LINES).encode())
    assert run.code == 0, run.err
    assert run.out == (
        "aws [REDACTED:aws-access-key-pair] [REDACTED:aws-access-key-pair]\n"
        "[REDACTED:aws-access-key-pair]:[REDACTED:aws-access-key-pair]\n"
        "Access key ID,Secret access key\n[REDACTED:aws-access-key-pair],[REDACTED:aws-access-key-pair]\n"
        "key [REDACTED:aws-access-key-pair] / [REDACTED:aws-access-key-pair]\n"
        "curl -u [REDACTED:twilio-credential-pair]:[REDACTED:twilio-credential-pair]"
        " https://api.twilio.com/2010-04-01/Accounts.json\n"
        "DefaultEndpointsProtocol=https;AccountName=[REDACTED:azure-storage-credential-pair];"
        "AccountKey=[REDACTED:azure-storage-credential-pair];EndpointSuffix=core.windows.net\n"
        "az storage blob list --account-name [REDACTED:azure-storage-credential-pair]"
        " --account-key [REDACTED:azure-storage-credential-pair] -c db\n"
    )


def test_trace_redact_masks_both_halves(veil, tmp_path):
    trace = tmp_path / "run.jsonl"
    trace.write_text(json.dumps({"role": "tool", "content": TWILIO_LINE}) + "\n")
    run = veil("trace", "--redact", trace)
    assert run.code == 0, run.err
    assert json.loads(run.out)["content"] == (
        "curl -u [REDACTED:twilio-credential-pair]:[REDACTED:twilio-credential-pair]"
        " https://api.twilio.com/2010-04-01/Accounts.json\n"
    )


def test_the_logging_filter_masks_both_halves():
    record = logging.LogRecord("app", logging.INFO, __file__, 1, "twilio %s", (f"{TWILIO_SID}:{TWILIO_TOKEN}",), None)
    SecretFilter(redactor=Redactor()).filter(record)
    assert record.getMessage() == "twilio [REDACTED:twilio-credential-pair]:[REDACTED:twilio-credential-pair]"


def test_an_opentelemetry_span_loses_both_halves():
    exporter, provider = InMemorySpanExporter(), TracerProvider()
    provider.add_span_processor(SecretSpanProcessor(SimpleSpanProcessor(exporter), redactor=Redactor()))
    with provider.get_tracer("agent").start_as_current_span("upload", attributes={"cmd": f"aws {AWS_ID} {AWS_SECRET}"}):
        pass
    [span] = exporter.get_finished_spans()
    assert span.attributes["cmd"] == "aws [REDACTED:aws-access-key-pair] [REDACTED:aws-access-key-pair]"


def test_both_prefilter_backends_find_the_same_pairs():
    def pairs(backend: str) -> list[tuple]:
        return [(m.rule.id, m.secret, m.start, m.end, m.partner, m.partner_start, m.partner_end)
                for m in Engine(None, backend).scan(TEXT).matches if m.partner]

    found = pairs("hyperscan")
    assert found == pairs("ahocorasick")
    assert [(rule, partner, TEXT.encode()[start:end].decode()) for rule, _, _, _, partner, start, end in found] == [
        ("aws-access-key-pair", AWS_ID, AWS_ID), ("aws-access-key-pair", AWS_ID, AWS_ID),
        ("aws-access-key-pair", AWS_ID_2, AWS_ID_2), ("aws-access-key-pair", AWS_ID_2, AWS_ID_2),
        ("twilio-credential-pair", TWILIO_SID, TWILIO_SID), ("algolia-credential-pair", ALGOLIA_APP, ALGOLIA_APP),
        ("azure-storage-credential-pair", "invoicesprod", "invoicesprod"),
        ("azure-storage-credential-pair", "backups7", "backups7"),
    ]


@pytest.mark.parametrize("text, rule, secret", [
    (f"aws_secret_access_key = {AWS_SECRET}", "aws-secret-access-key", AWS_SECRET),
    (f"TWILIO_AUTH_TOKEN={TWILIO_TOKEN}", "twilio-auth-token", TWILIO_TOKEN),
    (f"storage_key: {AZURE_KEY}", "azure-storage-account-key", AZURE_KEY),
])
def test_a_half_alone_keeps_its_own_finding(text, rule, secret):
    assert [(m.rule.id, m.secret, m.partner) for m in Engine().scan(text).matches] == [(rule, secret, "")]


PAIR_RULE = {
    "id": "acme-pair", "description": "ACME id and key", "keywords": ["acme_id"],
    "regex": r"(acme_id_[0-9]{4}):([0-9a-f]{24})", "secret_group": 2, "pair_group": 1,
}


def test_pair_group_must_name_a_group_and_examples_pin_the_partner():
    with pytest.raises(RuleError, match="pair_group 3 but the regex has 2 groups"):
        build_rule({**PAIR_RULE, "pair_group": 3})
    rule = build_rule({**PAIR_RULE, "examples": {"positive": [
        {"text": "acme_id_1234:3f9c2a7b1d8e4f60a5b2c9d1", "partner": "acme_id_1234"},
        {"text": "acme_id_1234:3f9c2a7b1d8e4f60a5b2c9d1", "partner": "acme_id_9999"},
    ]}})
    assert [f.problem for f in check_rule(rule)] == ["partners ['acme_id_1234'], expected 'acme_id_9999'"]
