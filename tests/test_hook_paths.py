"""``veil install-hook`` puts the hook where git runs it, wherever it is asked from: a sub-folder, a linked
worktree (the common folder: one hook for every worktree), core.hooksPath set in the repository, in the global
configuration (GIT_CONFIG_GLOBAL honoured) or with ``~``. Each case is checked against git's own answer
(``git rev-parse --git-path hooks``) and by a real ``git commit`` the hook blocks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import GITHUB_PAT
from tests.test_git import GitRepo, _isolated_git  # noqa: F401 - the fixture isolates git here too


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    return GitRepo.with_first_commit(tmp_path / "repo", {"src/app.py": "print('hello')\n"})


def git(g: GitRepo, *args: str) -> subprocess.CompletedProcess:
    """git in ``os.environ`` as the test set it (the isolating fixture, then GIT_CONFIG_GLOBAL or HOME)."""
    return subprocess.run(["git", "-C", str(g.path), *args], capture_output=True, text=True, env=os.environ)


def git_hooks(g: GitRepo) -> Path:
    """Where git itself runs g's hooks from (a relative answer is relative to the work tree's top)."""
    return (g.path / git(g, "rev-parse", "--git-path", "hooks").stdout.strip()).resolve()


def installs_where_git_looks_and_blocks(veil, g: GitRepo, asked: Path) -> str:
    run = veil("install-hook", asked)
    assert run.code == 0, run.err
    hook = git_hooks(g) / "pre-commit"
    assert run.err.splitlines()[0] == f"veil: installed {hook}"
    g.write("leak.py", f"token = {GITHUB_PAT}\n")
    blocked = git(g, "commit", "-q", "-m", "leak")  # a real commit, hooks and all
    assert blocked.returncode == 1 and "github-pat" in blocked.stderr and GITHUB_PAT not in blocked.stderr
    g("reset", "-q")
    return run.err


def test_from_a_sub_folder(veil, repo):
    err = installs_where_git_looks_and_blocks(veil, repo, repo.path / "src")
    assert err == f"veil: installed {repo.path}/.git/hooks/pre-commit\n"


def test_from_a_linked_worktree_into_the_common_folder(veil, repo, tmp_path):
    wt = GitRepo(tmp_path / "wt")
    repo("worktree", "add", "-q", "-b", "side", str(wt.path))
    err = installs_where_git_looks_and_blocks(veil, wt, wt.path)
    assert err == f"veil: installed {repo.path}/.git/hooks/pre-commit\n"
    installs_where_git_looks_and_blocks(veil, repo, repo.path)  # the same hook guards the main work tree


@pytest.mark.parametrize("where", ["relative", "absolute", "home"])
def test_core_hooks_path_in_the_repository(veil, repo, tmp_path, monkeypatch, where):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    value = {"relative": ".githooks", "absolute": str(tmp_path / "hooks"), "home": "~/hooks"}[where]
    repo("config", "core.hooksPath", value)
    err = installs_where_git_looks_and_blocks(veil, repo, repo.path / "src")
    assert err.splitlines()[1] == (f"veil: note: core.hooksPath, set in {repo.path}/.git/config, chose that folder "
                                   "(git runs no hook from .git/hooks while it is set)")
    assert not (repo.path / ".git/hooks/pre-commit").exists()


def test_core_hooks_path_in_the_global_configuration(veil, repo, tmp_path, monkeypatch):
    config = tmp_path / "global.gitconfig"
    config.write_text(f"[core]\n\thooksPath = {tmp_path / 'global-hooks'}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    err = installs_where_git_looks_and_blocks(veil, repo, repo.path)
    assert err == (f"veil: installed {tmp_path}/global-hooks/pre-commit\n"
                   f"veil: note: core.hooksPath, set in {config}, chose that folder "
                   "(git runs no hook from .git/hooks while it is set)\n")
    repo("config", "core.hooksPath", ".githooks")  # the repository's own setting wins over the global one
    installs_where_git_looks_and_blocks(veil, repo, repo.path)
    assert (repo.path / ".githooks/pre-commit").exists()


def test_bare_and_not_a_repository_exit_2(veil, repo, tmp_path):
    bare = GitRepo.init(tmp_path / "bare.git", "--bare")
    run = veil("install-hook", bare.path)
    assert (run.code, run.err) == (2, f"veil: {bare.path}: a bare repository has no commits made in it to guard\n")
    (tmp_path / "plain").mkdir()
    run = veil("install-hook", tmp_path / "plain")
    assert (run.code, run.err) == (2, f"veil: {tmp_path}/plain: not a git repository (or any of the parent "
                                      "directories)\n")  # fmt: skip
    assert os.listdir(tmp_path / "plain") == []
