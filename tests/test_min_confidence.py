"""``--min-confidence`` through the real ``veil`` console script: scan, git, image and trace, the
``[scan] min_confidence`` default, and bad levels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.ruleset import CONFIDENCE_LEVELS
from tests.test_git import GitRepo, _isolated_git  # noqa: F401 - the fixture keeps the user's git config out
from tests.test_image_hostile import layer, oci_layout

# Fake values, random.
TOKEN = "ghp_wqpqTjJ8H9UA6UEY5hNZKRA793397DrRQIl3"  # github-pat: high
AWS_SECRET = "CQ6oL49rei42vA9LE9L7J4tQTsOnKL30XRRNPgJ/"  # aws-secret-access-key: medium
BEARER = "uCJTWg2PdeM8sNXnHcgVGXslzYAnXLzstSXMJrrp"  # http-bearer-token: medium
PASSWORD = "fRnTYCTqiHsBeLLjF4CWUV"  # generic-secret-assignment: low
TEAM_KEY = "tsk_pNVojoNJB3ScPu0pcQXqEu4emFSs6bCs"  # team-service-key (high), which the generic rule also sees

ENV = f"GITHUB_TOKEN={TOKEN}\nAWS_SECRET_ACCESS_KEY={AWS_SECRET}\nDB_PASSWORD={PASSWORD}\n"
CLIENT = f'SERVICE_API_KEY = "{TEAM_KEY}"\nheaders = {{"Authorization": "Bearer {BEARER}"}}\n'
TEAM_RULES = """
[[rules]]
id = "team-service-key"
description = "Team service key"
regex = '''\\b(tsk_[A-Za-z0-9]{32})\\b'''
keywords = ["tsk_"]
confidence = "high"
"""

ALL = [
    ("app.env", "github-pat", 1, TOKEN),
    ("app.env", "aws-secret-access-key", 2, AWS_SECRET),
    ("app.env", "generic-secret-assignment", 3, PASSWORD),
    ("client.py", "team-service-key", 1, TEAM_KEY),
    ("client.py", "http-bearer-token", 2, BEARER),
]
AT_LEAST = {
    "low": ALL,
    "medium": [f for f in ALL if f[1] != "generic-secret-assignment"],
    "high": [f for f in ALL if f[1] in ("github-pat", "team-service-key")],
}


@pytest.fixture
def tree(tmp_path) -> Path:
    (tmp_path / "app.env").write_text(ENV)
    (tmp_path / "client.py").write_text(CLIENT)
    (tmp_path / "team-rules.toml").write_text(TEAM_RULES)
    return tmp_path


def rows(run) -> list[tuple]:
    assert run.err == ""
    return [(f["path"], f["rule"], f["line"], f["secret"]) for f in run.json()["findings"]]


@pytest.mark.parametrize("level", CONFIDENCE_LEVELS)
def test_scan_reports_exactly_the_findings_at_or_above_the_level(veil, tree, level):
    run = veil("scan", ".", "--rules", "team-rules.toml", "--min-confidence", level, "-f", "json",
               "--show-secrets", cwd=tree)
    assert (run.code, rows(run)) == (1, AT_LEAST[level])


def test_the_overlapping_high_finding_is_the_same_with_or_without_the_low_rule(veil, tree):
    """The generic (low) rule sees the team key too; with the team rule it gives way at every level."""
    alone = veil("scan", "client.py", "-f", "json", "--show-secrets", cwd=tree)
    assert rows(alone)[0] == ("client.py", "generic-secret-assignment", 1, TEAM_KEY)
    for level in CONFIDENCE_LEVELS:
        run = veil("scan", "client.py", "--rules", "team-rules.toml", "--min-confidence", level, "-f", "json",
                   "--show-secrets", cwd=tree)
        assert rows(run)[0] == ("client.py", "team-service-key", 1, TEAM_KEY)


def test_dropping_rules_before_the_scan_equals_filtering_findings_after(veil):
    """On the labelled corpus: what each level reports is what the full scan reports at that level."""
    corpus = Path(__file__).parent.parent / "corpus"
    full = veil("scan", corpus, "-f", "json", "--show-secrets").json()["findings"]
    assert {f["confidence"] for f in full} == set(CONFIDENCE_LEVELS)  # every level is exercised
    for level in CONFIDENCE_LEVELS:
        floor = CONFIDENCE_LEVELS.index(level)
        expected = [f for f in full if CONFIDENCE_LEVELS.index(f["confidence"]) >= floor]
        assert veil("scan", corpus, "--min-confidence", level, "-f", "json", "--show-secrets").json()[
            "findings"] == expected


def test_config_default_and_the_flag_beats_it(veil, tree):
    (tree / "veil.toml").write_text('[scan]\nmin_confidence = "medium"\nrules = ["team-rules.toml"]\n')
    assert rows(veil("scan", ".", "-f", "json", "--show-secrets", cwd=tree)) == AT_LEAST["medium"]
    run = veil("scan", ".", "-f", "json", "--show-secrets", "--min-confidence", "low", cwd=tree)
    assert rows(run) == AT_LEAST["low"]
    (tree / "veil.toml").write_text('[scan]\nmin-confidence = "High"\nrules = ["team-rules.toml"]\n')
    assert rows(veil("scan", ".", "-f", "json", "--show-secrets", cwd=tree)) == AT_LEAST["high"]


def test_bad_level_exits_2_with_a_clear_error(veil, tree):
    run = veil("scan", ".", "--min-confidence", "critical", cwd=tree)
    assert run.code == 2 and run.out == ""
    assert "Invalid value for '--min-confidence': 'critical' is not one of 'low', 'medium', 'high'." in run.err
    (tree / "veil.toml").write_text('[scan]\nmin_confidence = "critical"\n')
    run = veil("scan", ".", cwd=tree)
    assert run.code == 2 and run.out == ""
    assert f"{tree / 'veil.toml'}: [scan] min_confidence: 'critical' is not one of 'low', 'medium', 'high'." in run.err


def test_git_history_honours_the_flag_and_the_config(veil, tree):
    g = GitRepo.init(tree / "repo")
    g.write("app.env", ENV)
    g.commit("env", 0, "alice")
    run = veil("git", g.path, "-f", "json", "--show-secrets", "--min-confidence", "medium")
    assert rows(run) == [f for f in AT_LEAST["medium"] if f[0] == "app.env"]
    (g.path / "veil.toml").write_text('[scan]\nmin_confidence = "high"\n')
    assert rows(veil("git", g.path, "-f", "json", "--show-secrets")) == [("app.env", "github-pat", 1, TOKEN)]


def test_image_and_trace_take_the_flag(veil, tree):
    root = oci_layout(tree / "img", [layer(("srv/app.env", ENV.encode()))])
    run = veil("image", root, "-f", "json", "--show-secrets", "--min-confidence", "medium")
    assert rows(run) == [("/srv/app.env", "github-pat", 1, TOKEN), ("/srv/app.env", "aws-secret-access-key", 2,
                                                                      AWS_SECRET)]
    (tree / "trace.jsonl").write_text("".join(json.dumps({"role": "tool", "content": line}) + "\n"
                                              for line in ENV.splitlines()))
    found = veil("trace", tree / "trace.jsonl", "-f", "json", "--show-secrets", "--min-confidence", "high").json()
    assert [(f["rule"], f["secret"]) for f in found["findings"]] == [("github-pat", TOKEN)]
    found = veil("trace", tree / "trace.jsonl", "-f", "json", "--show-secrets").json()
    rules = ["github-pat", "aws-secret-access-key", "generic-secret-assignment"]
    assert [f["rule"] for f in found["findings"]] == rules
