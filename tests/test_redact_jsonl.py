"""``veil redact --jsonl`` masks inside the original bytes: only strings that held a secret change."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_redact_cli import run
from test_redact_core import AWS, PAT, two_rules

from scanner.redact import Redactor
from scanner.redact.jsonl import redact_jsonl

GH, AK = "[REDACTED:github-pat]", "[REDACTED:aws-access-key-id]"


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(two_rules())


def nested(value: object, times: int) -> str:
    for _ in range(times):
        value = json.dumps(value)
    return value


@pytest.mark.parametrize(("line", "masked"), [
    (f'{{"n": 1e400, "s": "{PAT}"}}', f'{{"n": 1e400, "s": "{GH}"}}'),
    (f'{{"price":1.50,"big":123456789012345678901234567890,"k":"{AWS}","e":-0.0E+00}}',
     f'{{"price":1.50,"big":123456789012345678901234567890,"k":"{AK}","e":-0.0E+00}}'),
    (f'{{"k": "{PAT}", "k": "{AWS}", "k": "clean"}}', f'{{"k": "{GH}", "k": "{AK}", "k": "clean"}}'),
    (f'{{"u": "caf\\u00e9 \\ud83d\\ude00 {PAT}", "v": "\\u00e9\\/"}}',
     f'{{"u": "caf\\u00e9 \\ud83d\\ude00 {GH}", "v": "\\u00e9\\/"}}'),
    (f'{{"u": "café 😀 {PAT}"}}', f'{{"u": "café 😀 {GH}"}}'),
    (f'{{"t": "line one\\n{PAT}\\tend"}}', f'{{"t": "line one\\n{GH}\\tend"}}'),
    (f'  {{ "a" : [ {{ "b" : {{ "c" : "x {AWS}" }} }} , 2.50 ] }}  ',
     f'  {{ "a" : [ {{ "b" : {{ "c" : "x {AK}" }} }} , 2.50 ] }}  '),
    (f'[1.0, "{PAT}", {{"{AWS}": true}}]', f'[1.0, "{GH}", {{"{AK}": true}}]'),
    ('{"args": ' + nested({"key": AWS, "n": 1.5, "deep": nested({"tok": PAT}, 1)}, 1) + ', "n": 1.50}',
     '{"args": ' + nested({"key": AK, "n": 1.5, "deep": nested({"tok": GH}, 1)}, 1) + ', "n": 1.50}'),
])
def test_jsonl_keeps_every_byte_but_the_secrets(veil_bin, line, masked):
    proc = run(veil_bin, "redact", "--jsonl", stdin=f"{line}\n{line}".encode())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == f"{masked}\n{masked}"


def test_inner_json_keeps_its_own_spacing_and_numbers(veil_bin):
    inner = '{ "key" :"' + AWS + '",  "n": 1.50 }'
    line = json.dumps({"args": inner, "again": json.dumps(inner)})
    proc = run(veil_bin, "redact", "--jsonl", stdin=line.encode())
    out = json.loads(proc.stdout)
    assert out["args"] == inner.replace(AWS, AK)
    assert json.loads(out["again"]) == inner.replace(AWS, AK)  # JSON in a JSON string in a JSON string


_strings = st.one_of(st.text(max_size=8), st.sampled_from([PAT, AWS, f"x {PAT} y", f"é{AWS}\n", "{", "[]"]))
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _strings,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_strings, inner, max_size=4)
    | inner.map(json.dumps),  # a string that holds JSON
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_json, st.booleans(), st.sampled_from([(",", ":"), (", ", ": ")]))
def test_property_output_is_valid_json_without_secrets_and_clean_lines_are_identical(
        redactor, doc, ascii_only, separators):
    line = json.dumps(doc, ensure_ascii=ascii_only, separators=separators).encode()
    out = redact_jsonl(redactor, line)
    json.loads(out)  # still valid JSON
    assert PAT.encode() not in out and AWS.encode() not in out
    assert out.count(b"\n") == 0
    if PAT.encode() not in line and AWS.encode() not in line:
        assert out == line
