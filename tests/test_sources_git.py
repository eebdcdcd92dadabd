"""``veil git`` and ``veil install-hook`` at the edges: a --since date git cannot read, the staged report's
text, and a hook replaced with --force that still runs. Real repositories, real `git commit`."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import GITHUB_PAT
from tests.test_git import GitRepo, _isolated_git  # noqa: F401 - the fixture isolates git here too
from tests.test_hooks import commit


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    return GitRepo.with_first_commit(tmp_path / "repo", {"config.py": f'TOKEN = "{GITHUB_PAT}"\n'})


def test_since_that_git_cannot_read_is_a_usage_error(veil, repo):
    run = veil("git", "--since", "garbage", repo.path)
    assert run.code == 2 and run.out == ""
    assert run.err.splitlines()[-1] == (
        "Error: Invalid value for '--since': 'garbage' is not a date git understands "
        "(2024-01-31, '3 months ago', yesterday …)")
    assert veil("git", "--since", "2023-12-01", repo.path).code == 1  # the commit is of 2024-01-01
    assert veil("git", "--since", "1 week ago", repo.path).code == 0


def test_staged_text_report_says_staged_in_words(veil, repo):
    repo.write("new.py", f"token = {GITHUB_PAT}\n")
    run = veil("git", "--staged", cwd=repo.path)
    assert run.code == 1, run.err
    assert run.out.splitlines()[1:4] == [
        "  1:9       high   github-pat  GitHub personal access token (classic)",
        f"            secret ghp_…OL8d  fingerprint {run.out.split('fingerprint ')[1].split()[0]}",
        "            staged in the index, not committed yet",
    ]
    assert "staged=True" not in run.out


def test_install_hook_force_still_runs_the_hook_it_replaced(veil, repo, tmp_path):
    hook = repo.path / ".git/hooks/pre-commit"
    ran = tmp_path / "old-hook-ran"
    hook.write_text(f'#!/bin/sh\necho ran >> "{ran}"\n[ ! -e "{tmp_path}/block" ]\n')
    hook.chmod(0o755)
    assert veil("install-hook", "--force", repo.path).code == 0
    repo.write("ok.txt", "nothing to see\n")
    (tmp_path / "block").touch()
    blocked = commit(repo, "the old hook says no")
    assert blocked.returncode == 1 and ran.read_text() == "ran\n"
    (tmp_path / "block").unlink()
    assert commit(repo, "both hooks agree").returncode == 0
    assert ran.read_text() == "ran\nran\n"
    repo.write("leak.py", f"token = {GITHUB_PAT}\n")
    blocked = commit(repo, "Veil says no")
    assert blocked.returncode == 1 and "github-pat" in blocked.stderr
    assert subprocess.run(["git", "-C", str(repo.path), "log", "--format=%s"], capture_output=True,
                          text=True).stdout.split("\n")[0] == "both hooks agree"
