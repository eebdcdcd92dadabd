"""Fingerprints: the same wherever Veil runs from (issue 15 item 3), costly to reverse by guessing
(item 4), stable across runs; short secrets masked more; baselines of an older format refused or upgraded.

Every run goes through the real ``veil`` console script, from different working directories."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess

import pytest

from scanner.finding import fingerprint
from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2

# The fingerprint of GITHUB_PAT found by github-pat in a file .env at the scanned root. Pinned: if it
# changes, every user's baseline and .veilignore stop matching (bump baseline.FORMAT_VERSION then).
PAT_AT_ENV = "c603500a124bb041bac5fb455c3fa439"


def marks(run) -> list[tuple[str, str]]:
    return [(f["path"], f["fingerprint"]) for f in run.json()["findings"]]


def test_fingerprint_is_pinned_and_stable_across_runs(veil, tmp_path):
    (tmp_path / ".env").write_text(f"GITHUB_TOKEN={GITHUB_PAT}\n")
    first = veil("scan", ".", "-f", "json", cwd=tmp_path)
    assert marks(first) == [(".env", PAT_AT_ENV)]
    assert marks(veil("scan", ".env", "-f", "json", cwd=tmp_path)) == [(".env", PAT_AT_ENV)]


@pytest.fixture
def parent(tmp_path):
    """``parent/t2``, ``t3`` and ``t4``, plain folders (no git), each with sub/a.env holding two tokens.

    Outside git, a finding's path starts at the nearest folder with a .veilignore or a configuration
    (t3, t4), else at the scanned folder (t2: so ``veil scan t2/sub`` has paths of its own).
    """
    for name in ("t2", "t3", "t4"):
        (tmp_path / name / "sub").mkdir(parents=True)
        (tmp_path / name / "sub" / "a.env").write_text(f"A={GITHUB_PAT}\nB={AWS_KEY_ID}\n")
    return tmp_path


def test_a_baseline_matches_from_any_directory(veil, parent):
    t2 = parent / "t2"
    created = veil("baseline", "create", "t2", "-o", "t2/.veil-baseline.json", cwd=parent)
    assert created.code == 0, created.err
    entries = json.loads((t2 / ".veil-baseline.json").read_text())["findings"]
    assert [(e["rule"], e["path"]) for e in entries] == [("github-pat", "sub/a.env"),
                                                         ("aws-access-key-id", "sub/a.env")]
    runs = [
        veil("scan", "t2", "--baseline", "t2/.veil-baseline.json", cwd=parent),
        veil("scan", t2, "--baseline", t2 / ".veil-baseline.json", cwd=parent),  # veil scan $PWD/t2
        veil("scan", ".", "--baseline", ".veil-baseline.json", cwd=t2),
        veil("scan", t2, "--baseline", ".veil-baseline.json", cwd=t2),  # veil scan $PWD
    ]
    for run in runs:
        summary = run.out.splitlines()[-1]  # the baseline file is scanned too
        assert run.code == 0 and summary.startswith("0 findings in 0 files · 2 files scanned ("), run.err
        assert summary.endswith(") · 2 suppressed (2 baseline)")
    shown = {tuple(f for _, f in marks(veil("scan", where, "-f", "json", cwd=cwd)))
             for where, cwd in (("t2", parent), (t2, parent), (".", t2))}
    assert shown == {tuple(e["fingerprint"] for e in entries)}


def test_veilignore_of_the_scanned_folder_is_honoured_from_its_parent(veil, parent):
    t3 = parent / "t3"
    first = veil("scan", ".", "-f", "json", cwd=t3).json()["findings"][0]
    (t3 / ".veilignore").write_text(f"{first['fingerprint']}  # sub/a.env:1\n")
    for where, cwd in (("t3", parent), (t3, parent), (".", t3), ("sub", t3), ("sub/a.env", t3), ("a.env", t3 / "sub")):
        run = veil("scan", where, "-f", "json", cwd=cwd)
        assert [f["rule"] for f in run.json()["findings"]] == ["aws-access-key-id"], (where, cwd)
        assert run.json()["stats"]["suppressed"] == {"ignored": 1}, (where, cwd)


def test_config_paths_are_relative_to_the_config_file(veil, parent):
    t4 = parent / "t4"
    (t4 / "veil.toml").write_text('[scan]\nbaseline = "ci/baseline.json"\n')
    (t4 / "ci").mkdir()
    accepted = veil("baseline", "create", ".", "-o", "ci/baseline.json", cwd=t4)
    assert accepted.code == 0, accepted.err
    for where, cwd in (("t4", parent), (".", t4), ("sub", t4), (".", t4 / "sub")):
        run = veil("scan", where, cwd=cwd)
        assert run.code == 0 and "2 suppressed (2 baseline)" in run.out, (where, cwd, run.err)


def git(repo, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.org",
           "GIT_COMMITTER_NAME": "Dev", "GIT_COMMITTER_EMAIL": "dev@example.org"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_in_a_git_repository_paths_start_at_its_top(veil, tmp_path):
    """From the work tree's top, so a baseline of `veil scan .` fits `veil scan sub`, a file named
    alone (a pre-commit hook) and the repository's history (`veil git`) alike."""
    repo = tmp_path / "repo"
    (repo / "svc" / "api").mkdir(parents=True)
    (repo / "svc" / "api" / "a.env").write_text(f"A={GITHUB_PAT}\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first")
    assert veil("baseline", "create", ".", cwd=repo).code == 0
    baseline = repo / ".veil-baseline.json"
    assert [e["path"] for e in json.loads(baseline.read_text())["findings"]] == ["svc/api/a.env"]
    for command, cwd in [(("scan", "svc"), repo), (("scan", "."), repo / "svc"), (("scan", "a.env"), repo / "svc/api"),
                         (("scan", repo / "svc/api/a.env"), tmp_path), (("git", repo), tmp_path)]:
        run = veil(*command, "--baseline", baseline, cwd=cwd)
        assert run.code == 0, (command, cwd, run.out)


def test_a_fingerprint_costs_a_guesser_dearly_but_a_scan_little():
    """Guessing ``Winter2025!`` from a published fingerprint took 282 SHA-256 guesses, microseconds:
    each guess now costs a salted, memory-hard hash (scrypt with half a megabyte per guess; its time is
    measured by benchmarks, not here), and the salt names the rule and path."""
    candidates = [f"Winter{year}{mark}" for year in range(2000, 2050) for mark in "!?#$"]
    guesses = [fingerprint("generic-secret-assignment", "config/.env", c) for c in candidates]
    assert len(set(guesses)) == len(candidates)
    salt = b"veil-fingerprint/2\0generic-secret-assignment\0config/.env"
    assert fingerprint("generic-secret-assignment", "config/.env", "Winter2025!") == hashlib.scrypt(
        b"Winter2025!", salt=salt, n=2**9, r=8, p=1, dklen=16).hex()
    assert fingerprint("generic-secret-assignment", "other/.env", "Winter2025!") != guesses[25 * 4]
    old_style = hashlib.sha256(f"generic-secret-assignment\0config/.env\0{hashlib.sha256(b'Winter2025!').hexdigest()}"
                               .encode()).hexdigest()[:32]
    assert fingerprint("generic-secret-assignment", "config/.env", "Winter2025!") != old_style


def test_reports_and_baselines_carry_no_plain_hash_of_a_secret(veil, tmp_path):
    (tmp_path / ".env").write_text(f"GITHUB_TOKEN={GITHUB_PAT}\nAWS={AWS_KEY_ID}\n")
    outputs = [veil("scan", ".", "-f", fmt, cwd=tmp_path).out for fmt in ("json", "sarif", "gitlab", "text")]
    veil("baseline", "create", ".", cwd=tmp_path)
    outputs.append((tmp_path / ".veil-baseline.json").read_text())
    for secret in (GITHUB_PAT, AWS_KEY_ID):
        digest = hashlib.sha256(secret.encode()).hexdigest()
        for rule in ("github-pat", "aws-access-key-id"):
            sarif_v1 = hashlib.sha256(f"{rule}\0{digest}".encode()).hexdigest()
            assert all(secret not in out and digest not in out and sarif_v1 not in out for out in outputs)


@pytest.mark.parametrize(("line", "masked"), [
    ('password = "Winter2025!x"', "…"),  # 12 characters: nothing of either end
    ('DB_PASSWORD="q9Xv2Lz8Kw3m7Pq"', "…"),  # 15
    (f"aws = {AWS_KEY_ID}", "AK…MP"),  # 20: two of each end
    ('stripe = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"', "sk_l…p7dc"),  # 32: four
    (f"token: {GITHUB_PAT_2}", "ghp_…Wvj7"),  # 40
])
def test_short_secrets_show_less(veil, tmp_path, line, masked):
    (tmp_path / "a.env").write_text(line + "\n")
    (finding,) = veil("scan", ".", "-f", "json", cwd=tmp_path).json()["findings"]
    assert finding["secret"] == masked


def test_a_baseline_of_the_old_format_is_refused_then_upgraded(veil, tmp_path):
    (tmp_path / ".env").write_text(f"GITHUB_TOKEN={GITHUB_PAT}\n")
    old = {"tool": {"name": "veil", "version": "0.1.0"}, "version": 1, "findings": [
        {"fingerprint": "0f3d5b0f6b7c4f3aa0f0c1f5f5c0e8d1", "rule": "github-pat", "path": ".env", "line": 1,
         "accepted": "2026-01-02"}]}
    (tmp_path / "b.json").write_text(json.dumps(old))
    run = veil("scan", ".", "--baseline", "b.json", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert run.err == ("veil: b.json: baseline format 1, written by an older Veil: its fingerprints match nothing now "
                       "(format 2 hashes secrets slowly, with paths from the scanned root); accept today's findings "
                       "again with 'veil baseline update' or --update-baseline, which rewrite it\n")
    updated = veil("baseline", "update", ".", "-b", "b.json", cwd=tmp_path)
    assert updated.code == 0
    assert updated.err == ("veil: note: b.json: written by an older Veil; rewriting it in baseline format 2: every "
                           "finding is accepted again as of today\n"
                           "veil: b.json: 1 findings accepted (1 new, 0 kept, 0 gone)\n")
    doc = json.loads((tmp_path / "b.json").read_text())
    assert doc["version"] == 2 and [e["fingerprint"] for e in doc["findings"]] == [PAT_AT_ENV]
    assert veil("scan", ".", "--baseline", "b.json", cwd=tmp_path).code == 0
    (tmp_path / "b.json").write_text(json.dumps({**doc, "version": 3}))
    newer = veil("scan", ".", "--baseline", "b.json", cwd=tmp_path)
    assert (newer.code, newer.err) == (2, "veil: b.json: baseline format 3; this Veil reads format 2\n")
