"""Which repository ``veil git`` scans, and what it says about it: from a sub-folder, a file, a linked worktree,
a submodule and its superproject, a repository another user owns; bad ``--branch``/``--range`` refs exit 2
naming the ref. Real repositories built with the git CLI, the real ``veil`` console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2
from tests.test_git import GIT_ENV, GitRepo, _isolated_git  # noqa: F401 - the fixture isolates git here too


def rule_paths(run) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["path"]) for f in run.json()["findings"])


def notes(run) -> list[str]:
    return [line for line in run.err.splitlines() if line.startswith("veil: note: ")]


@pytest.fixture
def app(tmp_path) -> GitRepo:
    return GitRepo.with_first_commit(tmp_path / "app", {"deploy/aws.env": f"aws_access_key_id = {AWS_KEY_ID}\n",
                                                         "src/deep/main.py": "print('hello')\n"})


def test_a_sub_folder_scans_the_whole_repository_and_says_so(veil, app):
    top = veil("git", app.path, "-f", "json")
    assert top.code == 1 and notes(top) == []
    assert rule_paths(top) == [("aws-access-key-id", "deploy/aws.env")]
    deep = app.path / "src" / "deep"
    note = f"veil: note: {deep} is a folder inside the work tree {app.path}: the whole repository's history is scanned"
    for run in (veil("git", deep, "-f", "json"), veil("git", "-f", "json", cwd=deep)):
        assert run.code == 1 and rule_paths(run) == rule_paths(top)
        assert notes(run) == [note]


def test_a_file_is_not_a_repository(veil, app):
    run = veil("git", app.path / "src/deep/main.py")
    assert run.code == 2 and run.out == ""
    assert run.err == (f"veil: {app.path}/src/deep/main.py: a file, not a repository "
                       f"(`veil scan {app.path}/src/deep/main.py` scans a file)\n")


def test_a_linked_worktree_has_its_own_head_and_index(veil, app, tmp_path):
    wt = GitRepo(tmp_path / "wt")
    app("worktree", "add", "-q", "-b", "side", str(wt.path))
    wt.write("side.py", f"token = {GITHUB_PAT}\n")
    wt.commit("side", 1, "bob")
    from_wt = veil("git", wt.path, "-f", "json")
    from_main = veil("git", app.path, "-f", "json")
    at_head = {(f["path"], f["origin"]["at_head"]) for f in from_wt.json()["findings"]}
    assert at_head == {("deploy/aws.env", True), ("side.py", True)}  # the worktree's HEAD is side
    at_head = {(f["path"], f["origin"]["at_head"]) for f in from_main.json()["findings"]}
    assert at_head == {("deploy/aws.env", True), ("side.py", False)}  # main's is main
    wt.write("staged.py", f"token = {GITHUB_PAT_2}\n")
    staged = veil("git", "--staged", "-f", "json", cwd=wt.path)
    assert staged.code == 1 and rule_paths(staged) == [("github-pat", "staged.py")]
    assert veil("git", "--staged", cwd=app.path).code == 0  # main's index holds nothing staged


def test_submodules_are_other_repositories(veil, app, tmp_path):
    lib = GitRepo.init(tmp_path / "lib")
    lib.write("token.txt", f"token: {GITHUB_PAT}\n")
    lib.commit("lib", 0, "carol")
    app("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(lib.path), "vendor/lib")
    app.commit("vendor lib", 1, "alice")
    run = veil("git", app.path, "-f", "json")
    assert run.code == 1 and rule_paths(run) == [("aws-access-key-id", "deploy/aws.env")]
    assert notes(run) == [
        "veil: note: submodules are other repositories, not scanned here: vendor/lib "
        f"(`veil git {app.path}/vendor/lib` in a work tree scans one)"
    ]
    sub = app.path / "vendor" / "lib"
    run = veil("git", sub, "-f", "json")
    assert run.code == 1 and rule_paths(run) == [("github-pat", "token.txt")]
    assert notes(run) == [
        f"veil: note: {sub} is a submodule of {app.path}: this scans the submodule's own history; "
        f"`veil git {app.path}` scans the superproject's"
    ]


@pytest.fixture
def branches(app) -> GitRepo:
    app("branch", "stale")
    app("tag", "v1.0")
    return app


@pytest.mark.parametrize(("args", "message"), [
    (("--branch", "mian"), "--branch: 'mian' is not a branch, tag or commit in {repo}; did you mean main?"),
    (("--branch", "main", "--branch", "stael"),
     "--branch: 'stael' is not a branch, tag or commit in {repo}; did you mean stale?"),
    (("--range", "stal..main"), "--range stal..main: 'stal' is not a branch, tag or commit in {repo}; "
                                "did you mean stale?"),
    (("--range", "v1.0...mian"), "--range v1.0...mian: 'mian' is not a branch, tag or commit in {repo}; "
                                 "did you mean main?"),
    (("--range", "nothing-like-it"), "--range nothing-like-it: 'nothing-like-it' is not a branch, tag or commit "
                                     "in {repo}"),
    (("--branch", "main^{tree}"), "--branch: 'main^{tree}' names a tree, not a commit"),
])  # fmt: skip
def test_a_bad_ref_exits_2_naming_it(veil, branches, args, message):
    run = veil("git", branches.path, *args)
    assert run.code == 2 and run.out == ""
    assert run.err == f"veil: {message.replace('{repo}', str(branches.path))}\n"


def test_in_a_ci_checkout_a_branch_name_suggests_the_remote_one(veil, branches, tmp_path):
    clone = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch", "--branch", "stale",
                    f"file://{branches.path}", str(clone)],
                   check=True, env={**os.environ, **GIT_ENV})  # fmt: skip
    run = veil("git", clone, "--range", "main..HEAD")
    assert run.code == 2
    assert run.err.splitlines()[-1] == (
        f"veil: --range main..HEAD: 'main' is not a branch, tag or commit in {clone}; did you mean origin/main? "
        "(a shallow clone: older commits were not fetched; `git fetch --unshallow` fetches them)"
    )


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("chown") is None, reason="needs root to give a folder away")
def test_a_repository_another_user_owns_says_how_to_trust_it(veil, app, tmp_path):
    owned = tmp_path / "owned"
    shutil.copytree(app.path, owned)
    subprocess.run(["chown", "-R", "nobody", str(owned)], check=True)
    run = veil("git", owned)
    assert run.code == 2 and "Traceback" not in run.err
    assert run.err == (f"veil: {owned}: detected dubious ownership in repository at '{owned}'; to trust it: "
                       f"git config --global --add safe.directory {owned}\n")


def test_the_scan_path_does_not_import_gitpython(veil_bin, app):
    """GitPython costs ~50 ms to import: `veil git --staged` (the pre-commit hook) never pays it."""
    app.write("new.py", "x = 1\n")
    for args in (["--staged"], []):
        proc = subprocess.run([sys.executable, "-X", "importtime", veil_bin, "git", *args], cwd=app.path,
                              capture_output=True, text=True)  # fmt: skip
        imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
        assert proc.returncode in (0, 1) and "scanner.sources.git.repo" in imported
        assert not {name for name in imported if name == "git" or name.startswith("git.")}, Path(veil_bin).name
