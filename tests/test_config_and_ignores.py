"""Living with findings, end to end through ``veil``: inline allows, .veilignore, baselines, config."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2


def rules_and_lines(run):
    return [(f["rule"], f["path"], f["line"]) for f in run.json()["findings"]]


def test_inline_allow_comments_in_any_syntax(veil, tmp_path):
    (tmp_path / "a.py").write_text(f't = "{GITHUB_PAT}"  # veil:allow\nu = "{GITHUB_PAT_2}"\n')
    (tmp_path / "b.js").write_text(f'const t = "{GITHUB_PAT}"; // gitleaks:allow\n')
    (tmp_path / "c.sql").write_text(f"SELECT '{GITHUB_PAT}'; -- veil:allow\n")
    (tmp_path / "d.html").write_text(f"<p>{GITHUB_PAT}</p> <!-- veil:allow -->\n")
    (tmp_path / "e.c").write_text(f'char *t = "{GITHUB_PAT}"; /* pragma: allowlist secret */\n')
    run = veil("scan", ".", "-f", "json", cwd=tmp_path)
    assert rules_and_lines(run) == [("github-pat", "a.py", 2)]
    assert run.json()["stats"]["suppressed"] == {"inline": 5}
    assert len(veil("scan", ".", "-f", "json", "--no-inline-allow", cwd=tmp_path).json()["findings"]) == 6


def test_veilignore_lists_fingerprints(veil, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.env").write_text(f"A={GITHUB_PAT}\nB={GITHUB_PAT_2}\n")
    first = veil("scan", ".", "-f", "json", cwd=tmp_path).json()["findings"][0]
    (tmp_path / ".veilignore").write_text(f"# accepted: test fixture\n{first['fingerprint']}  # sub/a.env:1\n\n")
    run = veil("scan", "sub", "-f", "json", cwd=tmp_path)
    assert rules_and_lines(run) == [("github-pat", "sub/a.env", 2)]
    assert run.json()["stats"]["suppressed"] == {"ignored": 1}

    (tmp_path / "sub" / ".veilignore").mkdir()  # made by mistake: an error, not the parent's file instead
    run = veil("scan", "sub", "-f", "json", cwd=tmp_path)
    assert run.code == 2
    assert f"{tmp_path / 'sub' / '.veilignore'}: not a file" in run.err


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_baseline_round_trip_on_a_git_repo(veil, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "dev@example.org")
    git(repo, "config", "user.name", "Dev")
    (repo / "app.py").write_text(f'KEY = "{GITHUB_PAT}"\n')
    (repo / "old.env").write_text(f"AWS={AWS_KEY_ID}\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first")

    created = veil("baseline", "create", ".", "-o", ".veil-baseline.json", cwd=repo)
    assert created.code == 0 and "2 findings accepted (2 new, 0 kept, 0 gone)" in created.err
    text = (repo / ".veil-baseline.json").read_text()
    assert GITHUB_PAT not in text and AWS_KEY_ID not in text
    assert [e["rule"] for e in json.loads(text)["findings"]] == ["github-pat", "aws-access-key-id"]
    assert veil("scan", ".", "--baseline", ".veil-baseline.json", cwd=repo).code == 0

    # lines move, a new secret arrives, an old one leaves
    (repo / "app.py").write_text(f'"""Docs."""\n\nimport os\n\nKEY = "{GITHUB_PAT}"\nNEW = "{GITHUB_PAT_2}"\n')
    (repo / "old.env").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "second")
    run = veil("scan", ".", "--baseline", ".veil-baseline.json", "-f", "json", cwd=repo)
    assert run.code == 1
    assert rules_and_lines(run) == [("github-pat", "app.py", 6)]
    assert run.json()["stats"]["suppressed"] == {"baseline": 1}

    updated = veil("baseline", "update", ".", "--baseline", ".veil-baseline.json", cwd=repo)
    assert "2 findings accepted (1 new, 1 kept, 1 gone)" in updated.err
    assert veil("scan", ".", "--baseline", ".veil-baseline.json", cwd=repo).code == 0


def test_bad_baseline_is_an_error(veil, tmp_path):
    (tmp_path / "b.json").write_text("{not json")
    run = veil("scan", ".", "--baseline", "b.json", cwd=tmp_path)
    assert run.code == 2 and "b.json: not a Veil baseline" in run.err
    assert "baseline file not found" in veil("scan", ".", "--baseline", "none.json", cwd=tmp_path).err


VEIL_TOML = """
disable_tags = ["aws"]

[scan]
format = "jsonl"
max-file-size = "1MB"

[allowlist]
paths = ["fixtures/**", "*.snap"]

[allowlists.github-pat]
regexes = ['''IBXuDL7''']

[[rules]]
id = "acme-token"
description = "ACME internal API token"
regex = '''\\b(acme_[0-9a-f]{24})\\b'''
keywords = ["acme_"]
tags = ["internal"]
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "src" / "app.py").write_text(
        f'A = "{GITHUB_PAT}"\nB = "{GITHUB_PAT_2}"\nC = "{AWS_KEY_ID}"\nD = "acme_3f9c2a7b1d8e4f60a5b2c9d1"\n'
    )
    (tmp_path / "fixtures" / "keys.txt").write_text(GITHUB_PAT)
    (tmp_path / "src" / "out.snap").write_text(GITHUB_PAT)
    return tmp_path


@pytest.mark.parametrize("name", ["veil.toml", ".veil.toml", "pyproject.toml"])
def test_config_found_by_walking_up(veil, project, name):
    body = VEIL_TOML
    if name == "pyproject.toml":
        body = "[project]\nname = 'x'\n" + body.replace("[scan]", "[tool.veil.scan]").replace(
            "[allowlist]", "[tool.veil.allowlist]").replace("[allowlists.", "[tool.veil.allowlists.").replace(
            "[[rules]]", "[[tool.veil.rules]]").replace('disable_tags = ["aws"]', "")
        body = "[tool.veil]\ndisable_tags = ['aws']\n" + body
    (project / name).write_text(body)
    run = veil("scan", "src", cwd=project)  # jsonl from the config's [scan] table
    rows = [json.loads(line) for line in run.out.splitlines()]
    assert [(r["rule"], r["line"]) for r in rows] == [("github-pat", 1), ("acme-token", 4)]
    assert run.code == 1


def test_command_line_beats_config_and_config_flag_overrides(veil, project, tmp_path):
    (project / "veil.toml").write_text(VEIL_TOML)
    assert veil("scan", "src", "-f", "json", cwd=project).json()["stats"]["findings"] == 2
    other = tmp_path / "other.toml"
    other.write_text('disable = ["github-pat"]\n')
    run = veil("scan", "src", "-f", "json", "--config", other, cwd=project)
    assert [f["rule"] for f in run.json()["findings"]] == ["aws-access-key-id"]


def test_config_show(veil, project):
    (project / "veil.toml").write_text(VEIL_TOML)
    doc = json.loads(veil("config", "show", "src", cwd=project).out)
    assert doc["file"] == str(project / "veil.toml") and doc["kind"] == "veil"
    assert doc["added_rules"] == ["acme-token"] and doc["disabled_tags"] == ["aws"]
    assert doc["defaults"] == {"format": "jsonl", "max_file_size": "1MB"}
    assert doc["rule_allowlists"]["github-pat"][0]["regexes"] == ["IBXuDL7"]


@pytest.mark.parametrize(("body", "message"), [
    ("disable = [\n", "veil.toml: not valid TOML"),
    ("colour = 1\n", "veil.toml: unknown settings ['colour']"),
    (VEIL_TOML.replace("{24})", "{24}"), "veil.toml:15: rule 'acme-token': regex does not compile"),
    ("[allowlist]\nregexes = ['(']\n", "[allowlist]: allowlist regex '(' does not compile"),
    ("[scan]\ncolor = true\n", "[scan] has no setting 'color'"),
])
def test_config_errors_are_clear(veil, project, body, message):
    (project / "veil.toml").write_text(body)
    run = veil("scan", "src", cwd=project)
    assert run.code == 2
    assert message in run.err


GITLEAKS_TOML = r"""
title = "team gitleaks config"

[extend]
useDefault = true
disabledRules = ["aws-access-key-id", "generic-secret-assignment"]

[[rules]]
id = "internal-service-token"
description = "Internal service token"
regex = '''(?i)svc[_-]?token\s*[:=]\s*["']?(?-i)(ST[0-9A-Z]{20})\b'''
secretGroup = 1
entropy = 3.0
keywords = ["svc_token", "svc-token", "svctoken"]
tags = ["internal"]
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''(?i)fake_for_docs''']

[[rules]]
id = "payroll-key"
description = "Payroll API key, only in config files"
regex = '''payroll_key=([a-z0-9]{16})'''
path = '''\.(cfg|ini)$'''
keywords = ["payroll_key"]

[[rules]]
id = "p12-file"
description = "PKCS#12 file"
path = '''\.p12$'''

[allowlist]
description = "vendored code and docs"
paths = ['''(^|/)vendor/''']
stopwords = ["IBXuDL7"]
"""


def test_gitleaks_config_is_loaded_as_it_is(veil, tmp_path):
    (tmp_path / ".gitleaks.toml").write_text(GITLEAKS_TOML)
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "lib.py").write_text(f"t = '{GITHUB_PAT}'\n")
    (tmp_path / "app.py").write_text(
        f"SVC_TOKEN = 'ST8K3N5Q7W9E2R4T6Y8U0P'\n"
        f"svc_token = 'ST1A2B3C4D5E6F7G8H9J0K'  # fake_for_docs\n"
        f"SVC_TOKEN = 'st8k3n5q7w9e2r4t6y8u0p'\n"
        f"aws = '{AWS_KEY_ID}'\n"
        f"gh = '{GITHUB_PAT}'\n"
        f"gh2 = '{GITHUB_PAT_2}'\n"
        "payroll_key=q8w7e6r5t4y3u2i1\n"
    )
    (tmp_path / "app.cfg").write_text("payroll_key=q8w7e6r5t4y3u2i1\n")
    run = veil("scan", ".", "-f", "json", cwd=tmp_path)
    assert rules_and_lines(run) == [
        ("payroll-key", "app.cfg", 1),
        ("internal-service-token", "app.py", 1),
        ("github-pat", "app.py", 5),
    ]
    assert "rules that match file paths only are not supported" in run.err
    assert run.json()["stats"]["suppressed"] == {"allowlist": 3, "path": 1}
    shown = json.loads(veil("config", "show", ".", cwd=tmp_path).out)
    assert shown["kind"] == "gitleaks" and shown["disabled_rules"] == ["aws-access-key-id", "generic-secret-assignment"]


def test_gitleaks_config_without_extend_uses_only_its_rules(veil, tmp_path):
    (tmp_path / "gl.toml").write_text(GITLEAKS_TOML.replace("useDefault = true", "useDefault = false"))
    (tmp_path / "a.py").write_text(f"gh = '{GITHUB_PAT}'\nSVC_TOKEN = 'ST8K3N5Q7W9E2R4T6Y8U0P'\n")
    run = veil("scan", "a.py", "-f", "json", "--config", "gl.toml", cwd=tmp_path)
    assert rules_and_lines(run) == [("internal-service-token", "a.py", 2)]
