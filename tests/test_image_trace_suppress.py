"""Living with findings in ``veil image`` and ``veil trace``, end to end through ``veil``: inline
``veil:allow``, baselines written with ``--update-baseline``, a configuration (disabled rule, path
allowlist) found in the current directory or named with ``--config``, and ``.veilignore``."""

from __future__ import annotations

import json
from pathlib import Path

from scanner.ruleset import RuleSet, default_rules
from scanner.sources.image import ImageOptions, scan_image
from scanner.sources.image import runner as image_runner
from scanner.sources.trace import TraceOptions, scan_trace
from scanner.sources.trace import runner as trace_runner
from scanner.suppress import Suppressor
from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2
from tests.test_image_hostile import layer, oci_layout

AWS_KEY_ID_2 = "AKIABHHP5MG7UOSV33DY"  # fake, random
AWS_KEY_ID_3 = "AKIAQ3WN7ZK5JX2VRT6M"  # fake, random


def found(run) -> list[tuple]:
    """(rule, path, line, where) of each reported finding; ``where`` is the config field or the record."""
    return [(f["rule"], f["path"], f["line"], f["origin"].get("field", f["origin"].get("record_line")))
            for f in run.json()["findings"]]


def suppressed(run) -> dict[str, int]:
    return run.json()["stats"]["suppressed"]


# ---------------------------------------------------------------------------------------------- images

APP_ENV = f"GITHUB_TOKEN={GITHUB_PAT}  # veil:allow rotated, kept for the smoke test\nAWS_ACCESS_KEY_ID={AWS_KEY_ID}\n"
FIXTURE = f"token: {GITHUB_PAT_2}\n"
IMAGE_CONFIG = {"config": {"Env": [f"DEPLOY_KEY_ID={AWS_KEY_ID_2}"]}}


def make_image(root: Path, *extra: tuple[str, bytes]) -> Path:
    """An OCI layout: an app layer (one allowed line), a test-fixture layer, and any ``extra`` files in a third."""
    layers = [layer(("srv/app.env", APP_ENV.encode())), layer(("tests/fixtures/creds.yml", FIXTURE.encode()))]
    if extra:
        layers.append(layer(*extra))
    return oci_layout(root, layers, IMAGE_CONFIG)


ALL_IN_IMAGE = [
    ("aws-access-key-id", "<image config>", 1, "config.Env[0]"),
    ("aws-access-key-id", "/srv/app.env", 2, None),
    ("github-pat", "/tests/fixtures/creds.yml", 1, None),
]


def test_image_inline_allow(veil, tmp_path):
    img = make_image(tmp_path / "img")
    run = veil("image", img, "-f", "json", cwd=tmp_path)
    assert run.code == 1
    assert found(run) == ALL_IN_IMAGE
    assert suppressed(run) == {"inline": 1}
    everything = veil("image", img, "-f", "json", "--no-inline-allow", cwd=tmp_path)
    assert found(everything) == [ALL_IN_IMAGE[0], ("github-pat", "/srv/app.env", 1, None), *ALL_IN_IMAGE[1:]]
    assert suppressed(everything) == {}


def test_image_baseline_accepts_todays_findings_and_reports_new_ones(veil, tmp_path):
    img = make_image(tmp_path / "img")
    accepted = veil("image", img, "--update-baseline", "base.json", cwd=tmp_path)
    assert accepted.code == 0 and accepted.out == ""
    assert "veil: base.json: 3 findings accepted (3 new, 0 kept, 0 gone)" in accepted.err
    text = (tmp_path / "base.json").read_text()
    assert AWS_KEY_ID not in text and GITHUB_PAT_2 not in text
    assert [(e["rule"], e["path"]) for e in json.loads(text)["findings"]] == [
        ("aws-access-key-id", "/srv/app.env"), ("github-pat", "/tests/fixtures/creds.yml"),
        ("aws-access-key-id", "<image config>")]

    run = veil("image", img, "--baseline", "base.json", "-f", "json", cwd=tmp_path)
    assert run.code == 0 and found(run) == []
    assert suppressed(run) == {"baseline": 3, "inline": 1}

    newer = make_image(tmp_path / "img2", ("srv/new.env", f"NEW_TOKEN={GITHUB_PAT}\n".encode()))
    run = veil("image", newer, "--baseline", "base.json", "-f", "json", cwd=tmp_path)
    assert run.code == 1 and found(run) == [("github-pat", "/srv/new.env", 1, None)]
    assert suppressed(run) == {"baseline": 3, "inline": 1}
    again = veil("image", newer, "--baseline", "base.json", "--update-baseline", "base.json", cwd=tmp_path)
    assert "4 findings accepted (1 new, 3 kept, 0 gone)" in again.err
    assert veil("image", newer, "--baseline", "base.json", cwd=tmp_path).code == 0


CONFIG = """disable = ["aws-access-key-id"]

[allowlist]
paths = ["tests/fixtures/**", "*.jsonl"]
"""


def test_image_config_disables_a_rule_and_allowlists_a_path(veil, tmp_path):
    img = make_image(tmp_path / "img", ("srv/app.json", f'{{"token": "{GITHUB_PAT}"}}\n'.encode()))
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    (project / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    (project / "veil.toml").write_text(CONFIG)
    run = veil("image", img, "-f", "json", cwd=project / "sub")  # found at or above the current directory
    assert found(run) == [("github-pat", "/srv/app.json", 1, None)]
    assert suppressed(run) == {"allowlist": 1, "inline": 1}
    named = veil("image", img, "-f", "json", "--config", project / "veil.toml", cwd=elsewhere)
    assert found(named) == found(run) and suppressed(named) == suppressed(run)
    unconfigured = veil("image", img, "-f", "json", cwd=elsewhere)
    assert found(unconfigured) == [*ALL_IN_IMAGE, ("github-pat", "/srv/app.json", 1, None)]


def test_image_veilignore_fingerprint(veil, tmp_path):
    img = make_image(tmp_path / "img")
    fixture = next(f for f in veil("image", img, "-f", "json", cwd=tmp_path).json()["findings"]
                   if f["path"] == "/tests/fixtures/creds.yml")
    (tmp_path / ".veilignore").write_text(f"{fixture['fingerprint']}  # the test fixture\n")
    run = veil("image", img, "-f", "json", cwd=tmp_path)
    assert found(run) == ALL_IN_IMAGE[:2]
    assert suppressed(run) == {"ignored": 1, "inline": 1}


def test_image_layers_scanned_in_parallel_count_what_they_drop(tmp_path, monkeypatch):
    monkeypatch.setattr(image_runner, "PARALLEL_MIN_BYTES", 0)
    img = make_image(tmp_path / "img", ("srv/new.env", f"NEW_TOKEN={GITHUB_PAT}\n".encode()))
    rules = RuleSet(r for r in default_rules() if r.id in ("github-pat", "aws-access-key-id"))
    suppressor = Suppressor(ignored=frozenset(f.fingerprint for f in scan_image(str(img), rules).findings
                                              if f.path == "/srv/new.env"))
    outcome = scan_image(str(img), rules, ImageOptions(jobs=2, suppressor=suppressor))
    assert [(f.rule_id, f.path) for f in outcome.findings] == [(r, p) for r, p, _, _ in ALL_IN_IMAGE]
    assert outcome.suppressed == {"ignored": 1, "inline": 1}


def test_image_update_baseline_of_something_not_an_image_writes_nothing(veil, tmp_path):
    (tmp_path / "notes.txt").write_text("hello\n")
    run = veil("image", "notes.txt", "--update-baseline", "base.json", cwd=tmp_path)
    assert run.code == 2 and not (tmp_path / "base.json").exists()


# ---------------------------------------------------------------------------------------------- traces

def record(**fields) -> str:
    return json.dumps(fields)


RUN = "\n".join([
    record(role="user", content=f"deploy with {GITHUB_PAT}"),
    record(role="tool", content=f"export AWS_ACCESS_KEY_ID={AWS_KEY_ID}  # veil:allow sandbox account"),
    record(role="assistant", content=f"using key {AWS_KEY_ID_2}"),
]) + "\n"
SAMPLE = json.dumps({"messages": [{"role": "user", "content": f"fixture token {GITHUB_PAT_2}"}]}, indent=2)


def make_traces(root: Path) -> None:
    (root / "fixtures").mkdir()
    (root / "run.jsonl").write_text(RUN)
    (root / "fixtures" / "sample.json").write_text(SAMPLE)


ALL_IN_TRACES = [
    ("github-pat", "run.jsonl", 1, 1),
    ("aws-access-key-id", "run.jsonl", 1, 2),  # marked veil:allow, but by the trace's own text
    ("aws-access-key-id", "run.jsonl", 1, 3),
    ("github-pat", "fixtures/sample.json", 1, None),
]


def test_trace_inline_allow_only_when_asked(veil, tmp_path):
    """A trace is data: text an agent was handed must not hide its own secret with a marker."""
    make_traces(tmp_path)
    run = veil("trace", "run.jsonl", "fixtures/sample.json", "-f", "json", cwd=tmp_path)
    assert run.code == 1
    assert found(run) == ALL_IN_TRACES
    assert suppressed(run) == {}
    trusted = veil("trace", "run.jsonl", "fixtures/sample.json", "-f", "json", "--inline-allow", cwd=tmp_path)
    assert found(trusted) == [ALL_IN_TRACES[0], *ALL_IN_TRACES[2:]]
    assert suppressed(trusted) == {"inline": 1}
    assert "No such option '--no-inline-allow'" in veil("trace", "run.jsonl", "--no-inline-allow", cwd=tmp_path).err


def test_trace_baseline_accepts_todays_findings_and_reports_new_ones(veil, tmp_path):
    make_traces(tmp_path)
    files = ("run.jsonl", "fixtures/sample.json")
    accepted = veil("trace", *files, "--update-baseline", "base.json", cwd=tmp_path)
    assert accepted.code == 0 and accepted.out == ""
    assert "veil: base.json: 4 findings accepted (4 new, 0 kept, 0 gone)" in accepted.err
    assert GITHUB_PAT not in (tmp_path / "base.json").read_text()
    run = veil("trace", *files, "--baseline", "base.json", "-f", "json", cwd=tmp_path)
    assert run.code == 0 and found(run) == []
    assert suppressed(run) == {"baseline": 4}

    with (tmp_path / "run.jsonl").open("a") as handle:  # the agent leaks again, and something new
        handle.write(record(role="user", content=f"again {GITHUB_PAT}, and {AWS_KEY_ID_3}") + "\n")
    run = veil("trace", *files, "--baseline", "base.json", "-f", "json", cwd=tmp_path)
    assert run.code == 1 and found(run) == [("aws-access-key-id", "run.jsonl", 1, 4)]
    assert suppressed(run) == {"baseline": 5}


def test_trace_config_disables_a_rule_and_allowlists_a_path(veil, tmp_path):
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    make_traces(project)
    (project / "veil.toml").write_text(CONFIG.replace('"*.jsonl"', '"fixtures/*.json"'))
    run = veil("trace", "run.jsonl", "fixtures/sample.json", "-f", "json", cwd=project)
    assert found(run) == [ALL_IN_TRACES[0]]
    assert suppressed(run) == {"allowlist": 1}
    files = ("../project/run.jsonl", "../project/fixtures/sample.json")
    named = veil("trace", *files, "-f", "json", "-c", project / "veil.toml", cwd=elsewhere)
    assert found(named) == [("github-pat", "../project/run.jsonl", 1, 1)] and suppressed(named) == {"allowlist": 1}
    unconfigured = veil("trace", *files, "-f", "json", cwd=elsewhere)  # no configuration above elsewhere/
    assert [f[1] for f in found(unconfigured)] == [files[0], files[0], files[0], files[1]]


def test_trace_veilignore_fingerprint(veil, tmp_path):
    make_traces(tmp_path)
    first = veil("trace", "run.jsonl", "-f", "json", cwd=tmp_path).json()["findings"][0]
    (tmp_path / ".veilignore").write_text(f"# pasted in a demo, revoked\n{first['fingerprint']}\n")
    run = veil("trace", "run.jsonl", "fixtures/sample.json", "-f", "json", cwd=tmp_path)
    assert found(run) == ALL_IN_TRACES[1:]
    assert suppressed(run) == {"ignored": 1}


def test_trace_split_over_processes_counts_what_it_drops(tmp_path, monkeypatch):
    monkeypatch.setattr(trace_runner, "PARALLEL_MIN_BYTES", 1000)
    monkeypatch.setattr(trace_runner, "CHUNK_BYTES", 2000)
    lines = [record(i=i, msg=f"key {AWS_KEY_ID if i % 100 == 7 else AWS_KEY_ID_2}") if i % 50 == 7
             else record(i=i, msg="hello " * 10) for i in range(400)]
    (tmp_path / "big.jsonl").write_text("\n".join(lines) + "\n")
    rules = RuleSet(r for r in default_rules() if r.id == "aws-access-key-id")
    accepted = scan_trace(str(tmp_path / "big.jsonl"), rules, TraceOptions(jobs=1)).findings
    suppressor = Suppressor(baseline=frozenset(f.fingerprint for f in accepted if f.secret == AWS_KEY_ID))
    outcome = scan_trace(str(tmp_path / "big.jsonl"), rules, TraceOptions(jobs=2, suppressor=suppressor))
    assert [f.origin["record_line"] for f in outcome.findings] == [58, 158, 258, 358]
    assert outcome.suppressed == {"baseline": 4}


def test_trace_redact_does_not_take_update_baseline(veil, tmp_path):
    make_traces(tmp_path)
    run = veil("trace", "--redact", "run.jsonl", "--update-baseline", "base.json", cwd=tmp_path)
    assert run.code == 2 and "--update-baseline does not apply" in run.err
