"""No report prints a secret in clear unless the command line says --show-secrets: not as the finding's
secret, and not inside its metadata either (a trace's span and tool names, a commit's author, a path),
in any format; and a repository's configuration cannot switch masking off (issue 15 items 2 and 10)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2
from tests.test_git import GIT_ENV, GitRepo

MASKED_PAT, MASKED_PAT_2 = "ghp_…OL8d", "ghp_…Wvj7"
SPAN = f"GET /api?token={MASKED_PAT}"  # the span name as every report must print it
TOOL = f"fetch?key={MASKED_PAT_2}"  # a tool name holding another finding's secret


@pytest.fixture
def otlp(tmp_path) -> Path:
    """Two spans written by the real OTLP JSON file exporter: a token in a span's name (an HTTP
    client's URL), and an AWS key in the arguments of a tool whose name holds a second token."""
    from opentelemetry.exporter.otlp.json.file import FileSpanExporter
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor

    path = tmp_path / "spans.jsonl"
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(FileSpanExporter(str(path))))
    tracer = provider.get_tracer("agent")
    with tracer.start_as_current_span(f"GET /api?token={GITHUB_PAT}") as span:
        span.set_attribute("http.request.method", "GET")
    with tracer.start_as_current_span("execute_tool fetch") as span:
        span.set_attribute("gen_ai.tool.name", f"fetch?key={GITHUB_PAT_2}")
        span.set_attribute("gen_ai.tool.call.arguments", json.dumps({"aws_key_id": AWS_KEY_ID}))
    provider.shutdown()
    return path


def origins(findings: list[dict]) -> list[tuple]:
    return [(f["rule"], f["origin"].get("span"), f["origin"].get("tool")) for f in findings]


EXPECTED = [
    ("github-pat", SPAN, None),
    ("github-pat", "execute_tool fetch", None),  # the tool's name itself
    ("aws-access-key-id", "execute_tool fetch", TOOL),
]


def test_trace_origins_are_masked_in_every_format(veil, otlp):
    reports = {fmt: veil("trace", otlp.name, "-f", fmt, cwd=otlp.parent) for fmt in
               ("text", "json", "jsonl", "sarif", "gitlab")}
    for fmt, run in reports.items():
        assert run.code == 1, (fmt, run.err)
        assert GITHUB_PAT not in run.out and GITHUB_PAT_2 not in run.out and AWS_KEY_ID not in run.out, fmt

    text = reports["text"].out.splitlines()
    assert text[2].endswith(f"  framework=otlp  span={SPAN}")
    assert text[6].endswith(f"  span=execute_tool fetch  message=tool call arguments  tool={TOOL}")
    assert origins(reports["json"].json()["findings"]) == EXPECTED
    assert origins([json.loads(line) for line in reports["jsonl"].out.splitlines()]) == EXPECTED
    sarif = reports["sarif"].json()["runs"][0]["results"]
    assert [(r["ruleId"], r["properties"]["origin"].get("span"), r["properties"]["origin"].get("tool"))
            for r in sarif] == EXPECTED


def test_show_secrets_shows_the_origins_in_clear_too(veil, otlp):
    doc = veil("trace", otlp.name, "-f", "json", "--show-secrets", cwd=otlp.parent).json()
    assert origins(doc["findings"]) == [
        ("github-pat", f"GET /api?token={GITHUB_PAT}", None),
        ("github-pat", "execute_tool fetch", None),
        ("aws-access-key-id", "execute_tool fetch", f"fetch?key={GITHUB_PAT_2}"),
    ]


def test_a_path_holding_a_secret_is_masked(veil, tmp_path):
    leaky = tmp_path / f"dump-{GITHUB_PAT}.log"
    leaky.write_text(f"token={GITHUB_PAT}\n")
    for fmt in ("text", "json", "jsonl", "sarif", "gitlab"):
        run = veil("scan", ".", "-f", fmt, cwd=tmp_path)
        assert run.code == 1 and GITHUB_PAT not in run.out, fmt
        assert f"dump-{MASKED_PAT}.log" in unquote(run.out), fmt  # SARIF has it in a URI


@pytest.fixture
def bot_history(tmp_path, monkeypatch) -> GitRepo:
    """A commit by a CI bot whose author name holds a token (a misconfigured git identity)."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("deploy.env", f"GITHUB_TOKEN={GITHUB_PAT}\n")
    repo("commit", "-q", "-m", "deploy", env={"GIT_AUTHOR_NAME": f"bot {GITHUB_PAT}",
                                             "GIT_AUTHOR_EMAIL": "bot@example.com"})
    return repo


def test_git_author_and_summary_are_masked(veil, bot_history):
    who = f"bot {MASKED_PAT}"
    doc = veil("git", "-f", "json", cwd=bot_history.path).json()
    origin = doc["findings"][0]["origin"]
    assert origin["author"] == who and f"by {who} <bot@example.com>" in origin["summary"]
    text = veil("git", cwd=bot_history.path).out
    assert GITHUB_PAT not in text and f"by {who} <bot@example.com>" in text
    gitlab = veil("git", "-f", "gitlab", cwd=bot_history.path)
    assert GITHUB_PAT not in gitlab.out
    vulnerability = gitlab.json()["vulnerabilities"][0]
    assert vulnerability["location"]["commit"]["author"] == f"{who} <bot@example.com>"
    for fmt in ("jsonl", "sarif"):
        assert GITHUB_PAT not in veil("git", "-f", fmt, cwd=bot_history.path).out, fmt


def test_a_configuration_cannot_switch_masking_off(veil, bot_history):
    config = bot_history.path / "veil.toml"
    config.write_text('[scan]\nshow-secrets = true\nformat = "sarif"\n')
    warning = (f"veil: warning: {config}: [scan] show-secrets is ignored: secrets are shown in clear only when "
               "the command line says --show-secrets\n")
    for command in (("git",), ("scan", ".")):  # `veil git -f sarif` is the GitHub Action's default
        run = veil(*command, cwd=bot_history.path)
        assert run.code == 1 and run.err == warning, command
        assert GITHUB_PAT not in run.out and MASKED_PAT in run.out and run.out.startswith("{"), command
    shown = veil("scan", ".", "--show-secrets", cwd=bot_history.path)
    assert GITHUB_PAT in shown.out
    assert "show_secrets" not in json.loads(veil("config", "show", cwd=bot_history.path).out)["defaults"]


def test_the_same_config_without_the_setting_says_nothing(veil, tmp_path):
    (tmp_path / "veil.toml").write_text('[scan]\nformat = "jsonl"\n')
    (tmp_path / "a.env").write_text(f"T={GITHUB_PAT}\n")
    run = veil("scan", ".", cwd=tmp_path)
    assert run.code == 1 and run.err == "" and json.loads(run.out)["secret"] == MASKED_PAT
