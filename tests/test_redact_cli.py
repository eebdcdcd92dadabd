"""``veil redact`` and ``veil export otelcol``, run as the real console script."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time

import pytest
from test_redact_core import AWS, KNOWN, PAT

from scanner.ruleset import RuleSet


@pytest.fixture(scope="module")
def veil_path() -> str:
    path = shutil.which("veil")
    assert path, "the veil console script is not installed: pip install '.[test]'"
    return path


def run(veil_path: str, *args: str, stdin: bytes = b"", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([veil_path, *args], input=stdin, capture_output=True, timeout=60,
                          env={**os.environ, **(env or {})})


def test_redact_stdin_to_stdout(veil_path):
    data = f"user pasted {PAT} here\nnothing to see\naws {AWS} too\nno newline at end".encode()
    proc = run(veil_path, "redact", stdin=data)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (b"user pasted [REDACTED:github-pat] here\nnothing to see\n"
                           b"aws [REDACTED:aws-access-key-id] too\nno newline at end")


def test_invalid_utf8_passes_through_and_no_line_is_lost(veil_path):
    lines = [b"\xff\xfe\x00 binary-ish " + AWS.encode(), b"\xc3( broken", b"", b"latin-1 caf\xe9 " + PAT.encode()]
    data = b"\n".join(lines * 2000) + b"\n"
    proc = run(veil_path, "redact", stdin=data)
    assert proc.returncode == 0
    expected = data.replace(AWS.encode(), b"[REDACTED:aws-access-key-id]").replace(PAT.encode(),
                                                                                      b"[REDACTED:github-pat]")
    assert proc.stdout == expected
    assert proc.stdout.count(b"\n") == 8000


def test_parallel_workers_give_the_same_output_in_order(veil_path):
    lines = [f"{i:07d} " + (f"key {AWS} pat {PAT}" if i % 97 == 0 else "x" * (i % 120)) for i in range(60000)]
    data = ("\n".join(lines) + "\n").encode()  # ~4 MB: several blocks go to the workers
    serial, parallel = run(veil_path, "redact", "-j", "1", stdin=data), run(veil_path, "redact", "-j", "2", stdin=data)
    assert serial.returncode == parallel.returncode == 0
    assert parallel.stdout == serial.stdout
    assert parallel.stdout == data.replace(AWS.encode(), b"[REDACTED:aws-access-key-id]").replace(
        PAT.encode(), b"[REDACTED:github-pat]")


def test_each_line_is_written_as_soon_as_it_is_complete(veil_path):
    proc = subprocess.Popen([veil_path, "redact"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        for i in range(3):
            proc.stdin.write(f"line {i} {PAT}\n".encode())
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 20)
            assert ready, "veil redact held a complete line back"
            assert os.read(proc.stdout.fileno(), 4096) == f"line {i} [REDACTED:github-pat]\n".encode()
        proc.stdin.write(b"partial ")
        proc.stdin.flush()
        assert select.select([proc.stdout], [], [], 0.3)[0] == []  # an incomplete line waits
        proc.stdin.close()
        assert proc.stdout.read() == b"partial "
    finally:
        proc.kill()
        proc.wait()


def test_jsonl_keeps_every_line_valid_json(veil_path):
    lines = [
        json.dumps({"ts": 1, "msg": "clean line", "n": [1, 2]}, separators=(", ", ": ")),
        json.dumps({"ts": 2, "msg": f"auth with {PAT}", "tool": {"args": json.dumps({"key": AWS})}}),
        json.dumps({"ts": 3, "big": 123456789012345678901234567890, "s": f"x {AWS}"}),
        f"plain text {PAT}",
        json.dumps({"ts": 4, "pw": KNOWN, "esc": "\u00e9\\/"}, ensure_ascii=True),
    ]
    data = ("\n".join(lines) + "\n").encode()
    proc = run(veil_path, "redact", "--jsonl", "--env-name", "VEILTEST_*", stdin=data,
               env={"VEILTEST_DB_PASSWORD": KNOWN})
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode().splitlines()
    assert len(out) == 5
    assert out[0] == lines[0]  # clean lines are byte for byte the same
    assert json.loads(out[1]) == {"ts": 2, "msg": "auth with [REDACTED:github-pat]",
                                  "tool": {"args": '{"key": "[REDACTED:aws-access-key-id]"}'}}
    assert json.loads(out[2]) == {"ts": 3, "big": 123456789012345678901234567890,
                                  "s": "x [REDACTED:aws-access-key-id]"}
    assert out[3] == "plain text [REDACTED:github-pat]"
    assert json.loads(out[4]) == {"ts": 4, "pw": "[REDACTED:known]", "esc": "\u00e9\\/"}


def test_known_values_from_env_file_and_hash_mask(veil_path, tmp_path):
    values = tmp_path / "values.txt"
    values.write_text("vault-issued-0001\n")
    log = tmp_path / "app.log"
    log.write_text(f"db={KNOWN} vault=vault-issued-0001 gh={PAT}\n")
    proc = run(veil_path, "redact", "--known-values-from-env", "--known-values-file", str(values),
               "--mask", "<{rule}:{hash}>", str(log), str(tmp_path / "missing.log"), str(log),
               env={"APP_DB_PASSWORD": KNOWN, "VEIL_HASH_KEY": "k1"})
    assert proc.returncode == 2
    assert "missing.log" in proc.stderr.decode()
    first, second = proc.stdout.decode().splitlines()
    assert first == second
    assert KNOWN not in first and "vault-issued-0001" not in first and PAT not in first
    assert first.startswith("db=<known:") and " vault=<known:" in first and " gh=<github-pat:" in first


def test_export_otelcol_transform_and_redaction(veil_path, tmp_path):
    yaml = pytest.importorskip("yaml")
    out = tmp_path / "otelcol.yaml"
    proc = run(veil_path, "export", "otelcol", "--processor", "both", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    config = yaml.safe_load(text.replace("$$", "$"))  # what the Collector sees after $$ unescaping
    transform = config["processors"]["transform/veil"]
    contexts = [entry["context"] for entry in transform["trace_statements"]]
    assert contexts == ["resource", "span", "span", "spanevent"]
    assert [e["context"] for e in transform["log_statements"]] == ["resource", "log", "log"]
    statements = transform["trace_statements"][0]["statements"]
    pat = next(s for s in statements if "REDACTED:github-pat]" in s)
    assert pat.startswith('replace_all_patterns(attributes, "value", "')
    assert "${veilpre}[REDACTED:github-pat]${veilpost}" in pat
    blocked = config["processors"]["redaction/veil"]["blocked_values"]
    assert len(blocked) == len(statements) > len(RuleSet.default()) * 0.8


def test_otelcol_regexes_compile_in_re2_and_mask_only_the_secret():
    re2 = pytest.importorskip("re2")
    from scanner.redact.otelcol import Unsupported, convert

    converted = 0
    for rule in RuleSet.default():
        try:
            c = convert(rule)
        except Unsupported:
            continue
        pattern = re2.compile(c.pattern)
        converted += 1
        replacement = c.replacement.replace("${veilpre}", r"\g<veilpre>").replace("${veilpost}", r"\g<veilpost>")
        for example in rule.positives:
            masked = pattern.sub(replacement, example.text)
            assert f"[REDACTED:{rule.id}]" in masked, (rule.id, example.text)
            if example.secret:
                assert example.secret not in masked, (rule.id, masked)
    assert converted > len(RuleSet.default()) * 0.8


@pytest.mark.parametrize(("regex", "group", "pattern", "replacement"), [
    (r"\b(ghp_[A-Za-z0-9]{36})\b", 1, r"(?P<veilpre>\b)(ghp_[A-Za-z0-9]{36})(?P<veilpost>\b)",
     "${veilpre}[REDACTED:r]${veilpost}"),
    (r"(?i)(?<![a-z0-9])key\s*=\s*([a-z0-9]{,8})(?![a-z0-9])", 1,
     r"(?i)(?P<veilpre>(?:^|[^a-z0-9])key\s*=\s*)([a-z0-9]{0,8})(?P<veilpost>(?:$|[^a-z0-9]))",
     "${veilpre}[REDACTED:r]${veilpost}"),
    (r"end=(\w+)\Z", 1, r"(?P<veilpre>end=)(\w+)(?P<veilpost>\z)", "${veilpre}[REDACTED:r]${veilpost}"),
    (r"tok=(?P<s>[0-9a-f]{20,4096})", "s", r"(?P<veilpre>tok=)(?P<s>[0-9a-f]{20,})(?P<veilpost>)",
     "${veilpre}[REDACTED:r]${veilpost}"),
    (r"(a|b)+c", 1, r"(a|b)+c", "[REDACTED:r]"),  # a quantified secret group: the whole match is masked
])
def test_otelcol_conversion(regex, group, pattern, replacement):
    from scanner.redact.otelcol import convert
    from scanner.ruleset import build_rule

    converted = convert(build_rule({"id": "r", "description": "d", "regex": regex, "secret_group": group}))
    assert (converted.pattern, converted.replacement) == (pattern, replacement)


@pytest.mark.parametrize("regex", [r"a(?=b)c", r"(\w)\1", r"a++", r"(?x) a b", r"x(?<!y)z"])
def test_otelcol_conversion_refuses_what_re2_lacks(regex):
    from scanner.redact.otelcol import Unsupported, convert
    from scanner.ruleset import build_rule

    with pytest.raises(Unsupported):
        convert(build_rule({"id": "r", "description": "d", "regex": regex, "secret_group": 0}))


@pytest.mark.parametrize(("line", "masked"), [
    ("SECRET_KEY=django-insecure-3x!k@9v#z2q$w8m&r5t^y7u*i0o(p)l",
     "SECRET_KEY=[REDACTED:generic-secret-assignment]"),
    ("DB_PASSWORD=q9X&v2L*z8(K)w3^m", "DB_PASSWORD=[REDACTED:generic-secret-assignment]"),
    ("  export DB_PASSWORD=q9X&v2L*z8(K)w3^m  # rotated",
     "  export DB_PASSWORD=[REDACTED:generic-secret-assignment]  # rotated"),
    ("GET /login?password=Vb3mQ9xLt7Kw2Rz8&next=/home HTTP/1.1",
     "GET /login?password=[REDACTED:generic-secret-assignment]&next=/home HTTP/1.1"),
])
def test_env_value_runs_to_the_end_of_its_line_but_a_query_pair_ends_at_ampersand(veil_path, line, masked):
    proc = run(veil_path, "redact", stdin=f"{line}\nafter\n".encode())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == f"{masked}\nafter\n"


def _read_until(stream, want: int, seconds: float) -> bytes:
    """What ``stream`` gives within ``seconds``, stopping once ``want`` bytes came."""
    got, deadline = b"", time.monotonic() + seconds
    while len(got) < want and select.select([stream], [], [], max(0.0, deadline - time.monotonic()))[0]:
        more = os.read(stream.fileno(), 65536)
        if not more:
            break
        got += more
    return got


def test_an_open_key_block_is_released_within_max_hold_with_its_body_masked(veil_path):
    body = [f"MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0g{i:02d}" for i in range(3)]
    proc = subprocess.Popen([veil_path, "redact"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        proc.stdin.write(f"before\n-----BEGIN RSA PRIVATE KEY-----\n{body[0]}\n{body[1]}\n".encode())
        proc.stdin.flush()  # and the pipe stays open: a live stream (kubectl logs -f)
        expected = (b"before\n-----BEGIN RSA PRIVATE KEY-----\n"
                    b"[REDACTED:private-key-rsa]\n[REDACTED:private-key-rsa]\n")
        started = time.monotonic()
        assert _read_until(proc.stdout, len(expected), 20) == expected
        assert time.monotonic() - started < 2.5  # --max-hold defaults to one second
        proc.stdin.write(f"{body[2]}\n".encode())
        proc.stdin.flush()
        assert _read_until(proc.stdout, 27, 20) == b"[REDACTED:private-key-rsa]\n"  # still inside the key
        proc.stdin.write(f"-----END RSA PRIVATE KEY-----\nafter {PAT}\n".encode())
        proc.stdin.close()
        assert proc.stdout.read() == b"-----END RSA PRIVATE KEY-----\nafter [REDACTED:github-pat]\n"
        assert proc.wait(20) == 0
    finally:
        proc.kill()
        proc.wait()
