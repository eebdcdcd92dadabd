"""``veil trace --redact``: a masked copy with the same JSON structure, re-encoded at every level."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from scanner.engine import Engine
from scanner.redact.trace import redact_bytes
from scanner.ruleset import RuleSet, default_rules
from scanner.sources.trace import scan_trace
from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2

DATA = Path(__file__).parent / "data" / "traces"
RULES = RuleSet([r for r in default_rules() if r.id in ("github-pat", "aws-access-key-id")])
SAMPLES = sorted(p.name for p in DATA.glob("*.jsonl"))


def shape(value):
    """The structure of a JSON value, strings that hold JSON included, without the strings' text."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return ("json", shape(json.loads(value)))
        except ValueError:
            pass
    return type(value).__name__


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_keep_their_structure_and_lose_their_secrets(name):
    original = (DATA / name).read_bytes()
    result = redact_bytes(Engine(RULES), original)
    assert result.count > 0
    for secret in (GITHUB_PAT, GITHUB_PAT_2, AWS_KEY_ID):
        assert secret.encode() not in result.data
    before, after = original.split(b"\n"), result.data.split(b"\n")
    assert len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        if old == new:
            continue
        assert shape(json.loads(old)) == shape(json.loads(new))
        assert len(new) < len(old) + 40  # only the secrets changed: same separators, same escapes


def test_tool_arguments_stay_a_json_string_and_unchanged_lines_are_copied():
    original = (DATA / "openai_agents_trace.jsonl").read_bytes()
    lines = redact_bytes(Engine(RULES), original).data.split(b"\n")
    function_span = json.loads(lines[1])
    assert json.loads(function_span["span_data"]["input"]) == {
        "aws_access_key_id": "[REDACTED:aws-access-key-id]", "note": "rotate monthly"}
    assert lines[2] == original.split(b"\n")[2]  # no secret: byte for byte


def test_otlp_bytes_value_stays_base64(tmp_path):
    record = {"resourceSpans": [{"scopeSpans": [{"spans": [{"name": "s", "attributes": [
        {"key": "body", "value": {"bytesValue": base64.b64encode(f"token={GITHUB_PAT}".encode()).decode()}},
        {"key": "args", "value": {"stringValue": json.dumps({"k": AWS_KEY_ID, "n": 1})}}]}]}]}]}
    out = json.loads(redact_bytes(Engine(RULES), json.dumps(record).encode()).data)
    attrs = out["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["attributes"]
    assert base64.b64decode(attrs[0]["value"]["bytesValue"]) == b"token=[REDACTED:github-pat]"
    assert json.loads(attrs[1]["value"]["stringValue"]) == {"k": "[REDACTED:aws-access-key-id]", "n": 1}


def test_document_broken_lines_and_text(tmp_path):
    engine = Engine(RULES)
    doc = json.dumps({"runs": [{"inputs": {"token": GITHUB_PAT}}]}, indent=4).encode() + b"\n"
    assert redact_bytes(engine, doc).data == doc.replace(GITHUB_PAT.encode(), b"[REDACTED:github-pat]")
    jsonl = f'{{"a": "{AWS_KEY_ID}"}}\n{{"broken": "{GITHUB_PAT}\n'.encode()
    result = redact_bytes(engine, jsonl)
    assert result.data == b'{"a": "[REDACTED:aws-access-key-id]"}\n{"broken": "[REDACTED:github-pat]\n'
    assert result.broken_lines == [2] and result.masked == {"aws-access-key-id": 1, "github-pat": 1}
    text = f"INFO key={AWS_KEY_ID} done\n".encode()
    assert redact_bytes(engine, text).data == b"INFO key=[REDACTED:aws-access-key-id] done\n"


def test_two_secrets_in_one_string_and_a_secret_twice(tmp_path):
    line = json.dumps({"m": f"{GITHUB_PAT} and {AWS_KEY_ID}", "again": GITHUB_PAT}).encode()
    out = json.loads(redact_bytes(Engine(RULES), line).data)
    assert out == {"m": "[REDACTED:github-pat] and [REDACTED:aws-access-key-id]", "again": "[REDACTED:github-pat]"}


def test_cli_redact_writes_a_clean_copy(veil, tmp_path):
    clean = tmp_path / "clean.jsonl"
    run = veil("trace", "--redact", DATA / "openai_genai_traces.jsonl", "-o", clean)
    assert run.code == 0 and run.out == ""
    assert "masked 2 secrets" in run.err and "→" in run.err and GITHUB_PAT not in run.err
    assert scan_trace(str(clean), RULES).findings == []
    json.loads(clean.read_text())


def test_cli_redact_to_stdout_and_one_file_only(veil, tmp_path):
    run = veil("trace", "--redact", "-", stdin=json.dumps({"k": GITHUB_PAT}).encode())
    assert run.code == 0 and json.loads(run.out) == {"k": "[REDACTED:github-pat]"}
    assert veil("trace", "--redact", DATA / SAMPLES[0], DATA / SAMPLES[1]).code == 2


def test_records_keep_their_bytes_outside_the_masked_strings():
    args = '{ "key" :"' + AWS_KEY_ID + '",  "n": 1.50 }'
    lines = [
        '{"n": 1.50, "t": 1e5, "k": "' + GITHUB_PAT + '", "u": "caf\\u00e9"}',
        '{"input": ' + json.dumps(args) + ' , "big": 123456789012345678901234567890}',
        '{"odd": ' + json.dumps('{"x": 1e400, "k": "' + GITHUB_PAT_2 + '"}') + "}",  # JSON that orjson refuses
    ]
    out = redact_bytes(Engine(RULES), "\n".join(lines).encode() + b"\n").data.decode()
    assert out.split("\n") == [
        '{"n": 1.50, "t": 1e5, "k": "[REDACTED:github-pat]", "u": "caf\\u00e9"}',
        '{"input": ' + json.dumps(args.replace(AWS_KEY_ID, "[REDACTED:aws-access-key-id]"))
        + ' , "big": 123456789012345678901234567890}',
        '{"odd": ' + json.dumps('{"x": 1e400, "k": "[REDACTED:github-pat]"}') + "}",
        "",
    ]
    document = '{\n  "runs": [ {"price": 1.50, "token": "' + GITHUB_PAT + '"} ]\n}\n'
    assert redact_bytes(Engine(RULES), document.encode()).data.decode() == document.replace(
        GITHUB_PAT, "[REDACTED:github-pat]")


def test_cli_redact_takes_the_masking_options_of_veil_redact(veil, tmp_path, monkeypatch):
    """One masker for both doors: the mask template, known values from a file and from the environment."""
    monkeypatch.setenv("DEPLOY_TOKEN", "env-known-value-7Hq2")
    (tmp_path / "known.txt").write_text("file-known-value-9Xk4\n")
    records = [{"msg": f"push with {GITHUB_PAT}"},
               {"input": json.dumps({"db": "file-known-value-9Xk4"})},
               {"note": "token env-known-value-7Hq2 set"},
               {"note": "nothing here"}]
    trace = tmp_path / "t.jsonl"
    trace.write_text("".join(json.dumps(r) + "\n" for r in records))
    run = veil("trace", trace, "--redact", "--mask", "<{rule}>", "--known-values-file", tmp_path / "known.txt",
               "--known-values-from-env")
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        '{"msg": "push with <github-pat>"}',
        '{"input": "{\\"db\\": \\"<known>\\"}"}',
        '{"note": "token <known> set"}',
        '{"note": "nothing here"}',
    ]
    assert run.err.endswith(f"masked 3 secrets in {trace} (1 github-pat, 2 known)\n")


def test_masking_options_apply_only_with_redact(veil, tmp_path):
    trace = tmp_path / "t.jsonl"
    trace.write_text('{"note": "nothing here"}\n')
    run = veil("trace", trace, "--mask", "<{rule}>")
    assert run.code == 2
    assert "--mask: masking options apply only with --redact" in run.err
