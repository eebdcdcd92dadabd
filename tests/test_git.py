"""``veil git`` on real repositories built with the git CLI: attribution, ages, modes, bare and shallow clones.

The history built once for this module (dates are days after 2024-01-01, author in brackets):

    main:   c1 (0, alice)  app/config.py holds T1; README.md
            c2 (10, bob)   README edited
            c3 (20, alice) app/config.py renamed to app/settings.py (same blob)
            c4 (30, carol) deploy/aws.env holds K
            c5 (40, bob)   deploy/aws.env deleted
            m6 (55, alice) README edited
            M  (60, alice) merge of feature, which also adds merge.txt holding K2 (an "evil" merge)
            c7 (70, carol) deploy/aws.env re-added, K again
    feature (from c5): f1 (50, dave) feature/token.txt holds T2
    stale   (from c2): s1 (15, eve)  notes.txt holds T3; never merged
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from scanner.ruleset import RuleSet, default_rules
from scanner.sources.git import GitOptions, Repo, scan_history
from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2

T1, T2, K = GITHUB_PAT, GITHUB_PAT_2, AWS_KEY_ID
T3 = "ghp_ujOeHwdFcAefAZhnM6Jy8c1rihtYlKNxHddm"
K2 = "AKIAVNKSOJZWHSQ4XJ7D"
K3 = "AKIANYEPBVYS4KWTSO26"
RULES = {"github-pat", "aws-access-key-id"}  # the findings compared exactly; other rules may grow around them
EPOCH = 1704067200  # 2024-01-01T00:00:00Z
DAY = 86400
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
    "GIT_AUTHOR_NAME": "nobody", "GIT_AUTHOR_EMAIL": "nobody@example.com",
    "GIT_COMMITTER_NAME": "nobody", "GIT_COMMITTER_EMAIL": "nobody@example.com",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch):
    """Neither the user's git configuration nor a surrounding hook's variables reach git or veil."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    for name in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)


@dataclass
class GitRepo:
    path: Path

    def __call__(self, *args: str, day: float | None = None, who: str | None = None, env: dict | None = None) -> str:
        extra = dict(GIT_ENV)
        if day is not None:
            stamp = f"@{EPOCH + int(day * DAY)} +0000"
            extra.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
        if who:
            extra.update(GIT_AUTHOR_NAME=who.capitalize(), GIT_AUTHOR_EMAIL=f"{who}@example.com")
        proc = subprocess.run(
            ["git", "-C", str(self.path), *args], capture_output=True, text=True,
            env={**os.environ, **extra, **(env or {})},
        )  # fmt: skip
        assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
        return proc.stdout.strip()

    @classmethod
    def init(cls, path: Path, *flags: str) -> GitRepo:
        env = {**os.environ, **GIT_ENV}
        subprocess.run(["git", "init", "-q", "-b", "main", *flags, str(path)], check=True, env=env)
        return cls(path)

    @classmethod
    def with_first_commit(cls, path: Path, files: dict[str, str]) -> GitRepo:
        """A new repository whose one commit ("first", by alice on day 0) holds ``files``."""
        repo = cls.init(path)
        for name, text in files.items():
            repo.write(name, text)
        repo.commit("first", 0, "alice")
        return repo

    def write(self, name: str, text: str) -> None:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        self("add", name)

    def commit(self, message: str, day: float, who: str) -> str:
        self("commit", "-q", "-m", message, day=day, who=who)
        return self("rev-parse", "HEAD")


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    g = GitRepo.init(tmp_path_factory.mktemp("history") / "repo")
    c = {}
    g.write("app/config.py", f"DEBUG = False\n\nclone_with: {T1}\n")
    g.write("README.md", "# app\n")
    c["c1"] = g.commit("config", 0, "alice")
    g.write("README.md", "# app\n\nmore\n")
    c["c2"] = g.commit("readme", 10, "bob")
    g("checkout", "-q", "-b", "stale")
    g.write("notes.txt", f"old notes\ntoken: {T3}\n")
    c["s1"] = g.commit("notes", 15, "eve")
    g("checkout", "-q", "main")
    g("mv", "app/config.py", "app/settings.py")
    c["c3"] = g.commit("rename", 20, "alice")
    g.write("deploy/aws.env", f"region = eu-west-1\naws_access_key_id = {K}\n")
    c["c4"] = g.commit("aws", 30, "carol")
    g("rm", "-q", "deploy/aws.env")
    c["c5"] = g.commit("drop aws", 40, "bob")
    g("checkout", "-q", "-b", "feature")
    g.write("feature/token.txt", f"GITHUB_TOKEN={T2}\n")
    c["f1"] = g.commit("feature", 50, "dave")
    g("checkout", "-q", "main")
    g.write("README.md", "# app\n\nmore\nand more\n")
    c["m6"] = g.commit("readme again", 55, "alice")
    g("merge", "-q", "--no-ff", "--no-commit", "feature", day=60, who="alice")
    g.write("merge.txt", f"resolved\nid: {K2}\n")
    c["M"] = g.commit("merge feature", 60, "alice")
    g.write("deploy/aws.env", f"region = eu-west-1\naws_access_key_id = {K}\n")
    c["c7"] = g.commit("aws again", 70, "carol")
    return g, c


def found(run_or_doc) -> set[tuple]:
    doc = run_or_doc.json() if hasattr(run_or_doc, "json") else run_or_doc
    return {
        (f["rule"], f["path"], f["origin"]["commit"], f["origin"]["commits"], f["origin"]["at_head"],
         f["origin"]["removed_in"])
        for f in doc["findings"] if f["rule"] in RULES
    }  # fmt: skip


def expected_full(c: dict) -> set[tuple]:
    return {
        ("github-pat", "app/config.py", c["c1"], 3, False, c["c3"]),  # c1, c2 and s1 hold it; renamed away in c3
        ("github-pat", "app/settings.py", c["c3"], 7, True, None),  # c3 c4 c5 f1 m6 M c7
        ("aws-access-key-id", "deploy/aws.env", c["c4"], 2, True, None),  # c4, then re-added in c7
        ("github-pat", "feature/token.txt", c["f1"], 3, True, None),  # introduced on feature, not by the merge
        ("aws-access-key-id", "merge.txt", c["M"], 2, True, None),  # the merge itself introduced it
        ("github-pat", "notes.txt", c["s1"], 1, False, None),  # only on the unmerged branch
    }


def test_full_history_attributes_every_secret_to_its_first_commit(veil, history):
    g, c = history
    run = veil("git", g.path, "--format", "json")
    assert run.code == 1, run.err
    assert found(run) == expected_full(c)
    by_path = {f["path"]: f for f in run.json()["findings"] if f["rule"] in RULES}
    settings = by_path["app/settings.py"]["origin"]
    # moved, not new: the leak dates from c1, under its old name
    assert (settings["leaked_commit"], settings["leaked_path"]) == (c["c1"], "app/config.py")
    now = time.time()
    assert settings["age_days"] in {int((now - EPOCH) // DAY), int((now - EPOCH) // DAY) - 1}
    assert settings["author"] == "Alice" and settings["email"] == "alice@example.com"
    assert settings["date"] == "2024-01-21T00:00:00+00:00"
    assert by_path["notes.txt"]["origin"]["refs"] == ["stale"]
    assert by_path["app/config.py"]["origin"]["removed_date"] == "2024-01-21T00:00:00+00:00"
    assert by_path["app/settings.py"]["line"] == 3 and by_path["app/settings.py"]["column"] == 13
    assert T1 not in run.out and K not in run.out


def test_text_report_states_the_leak_age_plainly(veil, history):
    g, c = history
    run = veil("git", g.path)
    assert run.code == 1
    lines = run.out.splitlines()
    story = lines[lines.index("deploy/aws.env") + 3].strip()
    assert story in {
        f"first committed {days:,} days ago (over 2 years), on 2024-01-31 in {c['c4'][:10]} "
        f"by Carol <carol@example.com>; still present at HEAD (main), in 2 commits: rotate it"
        for days in (_days_since(30), _days_since(30) - 1)
    }
    config = lines[lines.index("app/config.py") + 3]
    assert any(f"; removed {days:,} days ago (over 2 years), on 2024-01-21 in {c['c3'][:10]}, " in config
               for days in (_days_since(20), _days_since(20) - 1))  # fmt: skip
    assert config.endswith("but still in history (3 commits) and at the tip of stale: rotate it")
    settings = lines[lines.index("app/settings.py") + 3]
    assert f"on 2024-01-01 in {c['c1'][:10]} at app/config.py; here since " in settings
    notes = lines[lines.index("notes.txt") + 3]
    assert notes.endswith("not in HEAD (main)'s history, but at the tip of stale (1 commit): rotate it")
    assert T1 not in run.out


def _days_since(day: int) -> int:
    return int((time.time() - EPOCH - day * DAY) // DAY)


def test_bare_clone_gives_the_same_findings(veil, history, tmp_path):
    g, c = history
    subprocess.run(["git", "clone", "-q", "--bare", str(g.path), str(tmp_path / "bare.git")], check=True)
    run = veil("git", tmp_path / "bare.git", "-f", "json")
    assert run.code == 1, run.err
    assert found(run) == expected_full(c)


def test_shallow_clone_says_what_it_cannot_see(veil, history, tmp_path):
    g, c = history
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{g.path}", str(tmp_path / "shallow")], check=True)
    run = veil("git", tmp_path / "shallow", "-f", "json")
    assert run.code == 1
    assert "shallow clone" in run.err and "git fetch --unshallow" in run.err
    # only the tip exists: whatever it holds counts as first seen there, and the findings say so
    assert found(run) == {
        ("github-pat", "app/settings.py", c["c7"], 1, True, None),
        ("aws-access-key-id", "deploy/aws.env", c["c7"], 1, True, None),
        ("github-pat", "feature/token.txt", c["c7"], 1, True, None),
        ("aws-access-key-id", "merge.txt", c["c7"], 1, True, None),
    }
    assert all(f["origin"]["shallow_boundary"] for f in run.json()["findings"])
    text = veil("git", tmp_path / "shallow").out
    assert "(the oldest commit of this shallow clone: it may be older)" in text


def test_range_reports_only_what_its_commits_introduced(veil, history):
    g, c = history
    run = veil("git", g.path, "--range", f"{c['c5']}..main", "-f", "json")
    assert found(run) == {
        ("github-pat", "feature/token.txt", c["f1"], 3, True, None),
        ("aws-access-key-id", "merge.txt", c["M"], 2, True, None),
        ("aws-access-key-id", "deploy/aws.env", c["c7"], 1, True, None),  # re-added: new to this range
    }
    # the merge brings feature's token in, but feature is outside the range: not introduced here
    run = veil("git", g.path, "--range", "feature..main", "-f", "json")
    assert found(run) == {
        ("aws-access-key-id", "merge.txt", c["M"], 2, True, None),
        ("aws-access-key-id", "deploy/aws.env", c["c7"], 1, True, None),
    }
    clean = veil("git", g.path, "--range", f"{c['c1']}..{c['c2']}")
    assert clean.code == 0 and clean.out.startswith("0 findings")


def test_branch_and_since(veil, history):
    g, c = history
    run = veil("git", g.path, "--branch", "stale", "-f", "json")
    assert found(run) == {
        ("github-pat", "app/config.py", c["c1"], 3, True, None),  # at the tip of stale
        ("github-pat", "notes.txt", c["s1"], 1, True, None),
    }
    run = veil("git", g.path, "--since", "2024-02-15", "-f", "json")  # f1, m6, M, c7
    assert found(run) == {
        ("github-pat", "feature/token.txt", c["f1"], 3, True, None),
        ("aws-access-key-id", "merge.txt", c["M"], 2, True, None),
        ("aws-access-key-id", "deploy/aws.env", c["c7"], 1, True, None),
    }


def test_bad_revision_and_not_a_repository_exit_2(veil, history, tmp_path):
    g, _ = history
    run = veil("git", g.path, "--range", "nope..main")
    assert run.code == 2 and run.err == f"veil: --range nope..main: 'nope' is not a branch, tag or commit in {g.path}\n"
    run = veil("git", tmp_path)
    assert run.code == 2 and "not a git repository" in run.err
    run = veil("git", g.path, "--staged", "--since", "2024-01-01")
    assert run.code == 2


def test_parallel_and_in_process_scans_agree(history):
    g, c = history
    rules = RuleSet(default_rules())
    repo = Repo.open(str(g.path))
    results = []
    for options in (
        GitOptions(jobs=1),
        GitOptions(jobs=2, parallel_min_bytes=0),
        GitOptions(jobs=2, parallel_min_bytes=0, reader="worker"),
        GitOptions(jobs=2, parallel_min_bytes=0, enumerate="store"),
    ):
        outcome = scan_history(repo, rules, options)
        results.append(({"findings": [f.to_dict() for f in outcome.findings]}, outcome.files, outcome.bytes))
    assert all(found(doc) == expected_full(c) for doc, _, _ in results)
    assert len({(files, size) for _, files, size in results}) == 1


def test_unreachable_binary_and_large_blobs(veil, tmp_path):
    g = GitRepo.init(tmp_path / "r")
    g.write("a.txt", "nothing\n")
    (g.path / "blob.bin").write_bytes(b"\0\1\2" + f"key {K}".encode())
    g("add", "blob.bin")
    g.write("big.txt", "x" * 3000 + f"\nid: {K3}\n")
    g.commit("one", 1, "alice")
    # a blob no commit holds (staged once, never committed): never reported
    dangling = subprocess.run(["git", "-C", str(g.path), "hash-object", "-w", "--stdin"], input=f"id: {K2}\n",
                              capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    assert dangling
    doc = veil("git", g.path, "-f", "json", "--max-file-size", "1KB").json()
    assert doc["findings"] == []
    assert doc["stats"]["skipped"] == {"binary": 1, "too-large": 1}
    assert {s["path"].split(" ")[0] for s in doc["skipped"]} == {"blob.bin", "big.txt"}
    doc = veil("git", g.path, "-f", "json").json()
    assert [(f["rule"], f["path"]) for f in doc["findings"] if f["rule"] in RULES] == [("aws-access-key-id", "big.txt")]


def test_empty_repository_is_clean(veil, tmp_path):
    GitRepo.init(tmp_path / "empty")
    run = veil("git", tmp_path / "empty")
    assert run.code == 0, run.err


STAGED = {"staged": True, "summary": "staged in the index, not committed yet"}


def test_staged_counts_only_added_lines(veil, history, tmp_path):
    g, _ = history
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(g.path), str(work)], check=True)
    w = GitRepo(work)
    # settings.py already holds T1 (committed): a new line with K3 is what the commit adds
    w.write("app/settings.py", (work / "app/settings.py").read_text() + f"aws_access_key_id = {K3}\n")
    w.write("new.txt", f"hello\ntoken: {T3}\n")
    (work / "README.md").write_text(f"unstaged {K2}\n")  # not staged: not scanned
    run = veil("git", "--staged", "-f", "json", cwd=work)
    assert run.code == 1, run.err
    findings = run.json()["findings"]
    assert sorted((f["rule"], f["path"], f["line"], f["origin"]) for f in findings if f["rule"] in RULES) == [
        ("aws-access-key-id", "app/settings.py", 4, STAGED),
        ("github-pat", "new.txt", 2, STAGED),
    ]
    w("reset", "-q")
    assert veil("git", "--staged", cwd=work).code == 0
    # the first commit of a repository: everything staged is added
    fresh = GitRepo.init(tmp_path / "fresh")
    fresh.write("x.txt", f"token: {T3}\n")
    run = veil("git", "--staged", tmp_path / "fresh", "-f", "json")
    assert [(f["path"], f["line"]) for f in run.json()["findings"] if f["rule"] in RULES] == [("x.txt", 1)]


def test_staged_on_a_bare_repository_is_an_error(veil, history, tmp_path):
    g, _ = history
    subprocess.run(["git", "clone", "-q", "--bare", str(g.path), str(tmp_path / "b.git")], check=True)
    run = veil("git", "--staged", tmp_path / "b.git")
    assert run.code == 2 and "bare repository" in run.err


# The parts of GitLab's secret-detection report schema (15.x) that GitLab enforces on upload.
GITLAB_SCHEMA = {
    "type": "object",
    "required": ["scan", "version", "vulnerabilities"],
    "properties": {
        "version": {"type": "string", "pattern": r"^[0-9]+\.[0-9]+\.[0-9]+$"},
        "scan": {
            "type": "object",
            "required": ["analyzer", "end_time", "scanner", "start_time", "status", "type"],
            "properties": {
                "analyzer": {"$ref": "#/$defs/tool"},
                "scanner": {"$ref": "#/$defs/tool"},
                "start_time": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"},
                "end_time": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"},
                "status": {"enum": ["success", "failure"]},
                "type": {"enum": ["secret_detection"]},
            },
        },
        "vulnerabilities": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "identifiers", "location"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "name": {"type": "string", "maxLength": 255},
                    "severity": {"enum": ["Info", "Unknown", "Low", "Medium", "High", "Critical"]},
                    "identifiers": {
                        "type": "array", "minItems": 1,
                        "items": {"type": "object", "required": ["type", "name", "value"]},
                    },
                    "location": {
                        "type": "object",
                        "required": ["commit"],
                        "properties": {
                            "file": {"type": "string"},
                            "start_line": {"type": "number"},
                            "end_line": {"type": "number"},
                            "commit": {"type": "object", "required": ["sha"],
                                       "properties": {"sha": {"type": "string", "minLength": 1}}},
                        },
                    },
                },
            },
        },
    },
    "$defs": {
        "tool": {
            "type": "object",
            "required": ["id", "name", "version", "vendor"],
            "properties": {"vendor": {"type": "object", "required": ["name"]}},
        }
    },
}  # fmt: skip


def test_gitlab_report(veil, history, tmp_path):
    g, c = history
    run = veil("git", g.path, "--format", "gitlab", "--output", tmp_path / "gl-secret-detection-report.json")
    assert run.code == 1
    raw = (tmp_path / "gl-secret-detection-report.json").read_text()
    doc = json.loads(raw)
    jsonschema.validate(doc, GITLAB_SCHEMA)
    for secret in (T1, T2, T3, K, K2):
        assert secret not in raw
    vulns = {v["location"]["file"]: v for v in doc["vulnerabilities"] if v["identifiers"][0]["value"] in RULES}
    aws = vulns["deploy/aws.env"]
    assert aws["location"]["commit"]["sha"] == c["c4"]
    assert aws["location"]["commit"]["author"] == "Carol <carol@example.com>"
    assert (aws["location"]["start_line"], aws["severity"]) == (2, "Critical")
    assert "raw_source_code_extract" not in aws
    assert len({v["id"] for v in doc["vulnerabilities"]}) == len(doc["vulnerabilities"])
    # a plain tree has no commit: GitLab's own placeholder
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "x.env").write_text(f"aws_access_key_id = {K}\n")
    doc = veil("scan", tree, "--format", "gitlab").json()
    jsonschema.validate(doc, GITLAB_SCHEMA)
    assert doc["vulnerabilities"][0]["location"]["commit"] == {"sha": "0000000"}


def test_baseline_of_history_hides_what_was_accepted(veil, history, tmp_path):
    g, _ = history
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(g.path), str(work)], check=True)
    baseline = tmp_path / "baseline.json"
    run = veil("git", work, "--update-baseline", baseline)
    assert run.code == 0 and "6 new" in run.err, run.err
    assert all(s not in baseline.read_text() for s in (T1, T2, T3, K, K2))
    assert veil("git", work, "--baseline", baseline).code == 0
    w = GitRepo(work)
    w.write("later.env", f"aws_access_key_id = {K3}\n")
    new = w.commit("later", 80, "frank")
    run = veil("git", work, "--baseline", baseline, "-f", "json")
    assert run.code == 1
    assert found(run) == {("aws-access-key-id", "later.env", new, 1, True, None)}
    assert run.json()["stats"]["suppressed"]["baseline"] >= 6
