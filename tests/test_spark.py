"""The Spark masker (``scanner.spark``) and ``veil redact-lake``, run for real on a local[2] session."""

from __future__ import annotations

import json
import random
import re
import subprocess
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from scanner.redact.core import Redactor  # noqa: E402
from scanner.spark import Masking, Summary, redact_column, redact_counted  # noqa: E402

KNOWN = "lake-known-value-7Q2mX9"  # a known value: no rule finds it
MARK = re.compile(rb"f\d-\d{4}")  # each line's place: survives masking, so order can be checked


def _fake(rng: random.Random) -> str:
    """A fake, well-formed secret: AWS example style or a GitHub token (never issued)."""
    if rng.random() < 0.5:
        return "AKIA" + "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", k=16))
    return "ghp_" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", k=36))


def _message(rng: random.Random, mark: str) -> str:
    words = " ".join(rng.choices(["deploy", "user", "token", "cache", "é", "ü", "retry", "ok"], k=6))
    kind = rng.random()
    if kind < 0.3:
        return f"{mark} {words} key={_fake(rng)}"
    if kind < 0.4:
        return f"{mark} login with {KNOWN} then {words}"
    return f"{mark} {words}"


def _json_line(rng: random.Random, file: int, seq: int) -> str:
    mark = f"f{file}-{seq:04d}"
    if seq % 37 == 5:
        return f"not json {mark} {_fake(rng)} {{"  # a bad line: kept, masked as text
    record = {"ts": f"2026-01-01T00:00:{seq % 60:02d}.000Z", "seq": seq, "ratio": 1.5, "mark": mark,
              "message": None if seq % 23 == 3 else _message(rng, mark),
              "ctx": {"user": "u" + str(seq), "token": _fake(rng) if seq % 11 == 0 else "none", "tags": [1, 2.0]}}
    if seq % 13 == 7:
        del record["message"]
    line = json.dumps(record, ensure_ascii=seq % 2 == 0)
    return line.replace('"ratio": 1.5', '"ratio": 1.50')  # a number JSON writers would reformat


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Path:
    """A few JSON-lines files and a Parquet file of log records with fake secrets."""
    root = tmp_path_factory.mktemp("lake")
    rng = random.Random(7)
    (root / "json").mkdir()
    for file, count in enumerate((120, 80, 200)):
        lines = [_json_line(rng, file, seq).encode() for seq in range(count)]
        lines[1] += b"\r"  # a CRLF line
        lines[9] = b"not json f%d-0009 \xff\xfe bytes that are not UTF-8 " % file + _fake(rng).encode()
        (root / "json" / f"part{file}.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    n = 300
    start = datetime(2026, 1, 1, tzinfo=UTC)
    table = pa.table({
        "id": pa.array(range(n), pa.int64()),
        "score": pa.array([None if i % 7 == 0 else i / 3 for i in range(n)], pa.float64()),
        "ts": pa.array([start + timedelta(seconds=i) for i in range(n)], pa.timestamp("us", tz="UTC")),
        "message": pa.array([None if i % 9 == 0 else _message(rng, f"f9-{i:04d}") for i in range(n)], pa.string()),
        "meta": pa.array([{"host": f"h{i % 3}", "port": i} for i in range(n)],
                         pa.struct([("host", pa.string()), ("port", pa.int32())])),
        "tags": pa.array([[f"t{i}", None] if i % 2 else None for i in range(n)], pa.list_(pa.string())),
    })
    (root / "parquet").mkdir()
    pq.write_table(table, root / "parquet" / "logs.parquet")
    (root / "known.txt").write_text(KNOWN + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def spark():
    from scanner.commands.redact_lake import quiet_session

    session = quiet_session("local[2]")  # the command's own session: quiet, this Python, timestamps in µs
    yield session
    session.stop()


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Masking.of(known_values=[KNOWN]).build()


def _counts(redactor: Redactor, texts) -> Counter:
    return Counter(span[2] for text in texts if text is not None
                   for span in redactor.spans(text if isinstance(text, bytes) else text.encode()))


def _lines(files) -> list[bytes]:
    return [line for f in files for line in f.read_bytes().split(b"\n")[:-1]]


def test_parquet_column_masked_rest_kept(spark, lake, redactor, tmp_path):
    source = pq.read_table(lake / "parquet")
    df = spark.read.parquet(str(lake / "parquet"))
    masked, observation = redact_counted(df, "message", Masking.of(known_values=[KNOWN]))
    masked.write.parquet(str(tmp_path / "out"))
    out = pq.read_table(tmp_path / "out")
    assert out.column_names == source.column_names
    messages = source.column("message").to_pylist()
    assert out.column("message").to_pylist() == [None if m is None else redactor.redact(m) for m in messages]
    for name in source.column_names:
        if name != "message":
            assert out.schema.field(name).type == source.schema.field(name).type, name
            assert out.column(name).to_pylist() == source.column(name).to_pylist(), name
    summary = Summary.of(observation.get["stats"])
    expected = _counts(redactor, messages)
    assert summary.rules == expected and {"known", "aws-access-key-id", "github-pat"} <= set(expected)
    assert summary.rows == len(messages)
    assert summary.changed == sum(m is not None and redactor.redact(m) != m for m in messages)


def test_nulls_survive(spark):
    df = spark.createDataFrame([(1, None), (2, f"pat {_fake(random.Random(1))}"), (3, None), (4, "")],
                               "id int, message string")
    rows = redact_column(df, "message").orderBy("id").collect()
    assert [r.message for r in rows][::2] == [None, None]
    assert rows[1].message.startswith("pat [REDACTED:") and rows[3].message == ""


def test_json_key_only(spark, lake, redactor):
    """``--column`` for JSON lines: only the key's string value is masked, every other byte kept."""
    files = sorted((lake / "json").iterdir())
    df = spark.read.option("lineSep", "\n").text([str(f) for f in files]).selectExpr("cast(value as binary) value")
    masked, observation = redact_counted(df, "value", Masking.of(known_values=[KNOWN]), jsonl=True, key="message")
    got = {MARK.search(line).group(): line for line in (r.value for r in masked.collect())}
    masked_texts = []  # what was masked: the key's values, and the lines that are not JSON
    for raw in _lines(files):
        mark = MARK.search(raw).group()
        if raw.startswith(b"not json"):
            assert got[mark] == redactor.redact_bytes(raw)
            masked_texts.append(raw)
            continue
        line = raw.decode()
        message = json.loads(line).get("message")
        masked_texts.append(message)
        if message is None:
            assert got[mark] == raw
            continue
        ascii_only = "\\u" in line
        token = json.dumps(message, ensure_ascii=ascii_only)
        assert got[mark].decode() == line.replace(token, json.dumps(redactor.redact(message), ensure_ascii=ascii_only))
    summary = Summary.of(observation.get["stats"])
    assert summary.rules == _counts(redactor, masked_texts)
    assert summary.keyed == sum(b'"message"' in line for line in _lines(files))


@pytest.fixture(scope="module")
def cli_json(lake, veil_bin, tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path_factory.mktemp("cli") / "out"
    proc = subprocess.run([veil_bin, "redact-lake", str(lake / "json"), str(out), "--format", "json", "-j", "2",
                           "--known-values-file", str(lake / "known.txt")], capture_output=True, timeout=180)
    return proc, out


def test_cli_json_lines_masked_like_veil_redact(cli_json, lake, veil_bin, redactor):
    proc, out = cli_json
    files = sorted((lake / "json").iterdir())
    reference = subprocess.run([veil_bin, "redact", "--jsonl", "--known-values-file", str(lake / "known.txt"),
                                *map(str, files)], capture_output=True, check=True).stdout.split(b"\n")[:-1]
    source = _lines(files)
    expected = {MARK.search(line).group(): masked for line, masked in zip(source, reference, strict=True)}
    lines = _lines(sorted(out.glob("part-*")))
    assert len(lines) == len(source)
    marks = [MARK.search(line).group() for line in lines]
    assert [expected[mark] for mark in marks] == lines  # byte for byte, bad lines kept and masked as text
    for file in range(3):  # each file's lines in their order
        mine = [m for m in marks if m.startswith(b"f%d-" % file)]
        assert mine == sorted(mine) and len(mine) == sum(m.startswith(b"f%d-" % file) for m in expected)
    assert KNOWN.encode() not in b"".join(lines) and b"AKIA" not in b"".join(lines)
    assert any(line.endswith(b"\r") for line in lines) and any(b"\xff\xfe" in line for line in lines)


def test_cli_summary_and_exit(cli_json, lake, redactor):
    proc, _out = cli_json
    err = proc.stderr.decode()
    assert proc.returncode == 2, err  # lines that are not JSON: kept, masked as text, and said
    source = _lines(sorted((lake / "json").iterdir()))
    bad = sum(line.startswith(b"not json") for line in source)
    assert f"veil: error: {bad} lines are not JSON" in err
    assert re.search(rf"{len(source)} rows, \d+ changed", err)
    counts = Counter({rule: int(n) for rule, n in re.findall(r"^  (\S+): (\d+)$", err, re.MULTILINE)})
    assert counts == _counts(redactor, source)
    assert KNOWN not in err and "Setting default log level" not in err and " WARN " not in err


def test_cli_errors(lake, veil_bin, tmp_path):
    missing = subprocess.run([veil_bin, "redact-lake", str(tmp_path / "nope"), str(tmp_path / "out")],
                             capture_output=True, timeout=60)
    assert missing.returncode == 2 and b"no such file or folder" in missing.stderr
    both = subprocess.run([veil_bin, "redact-lake", "--master", "local[1]", "-j", "2", str(lake), str(tmp_path / "o")],
                          capture_output=True, timeout=60)
    assert both.returncode == 2 and b"not both" in both.stderr
