"""``veil git --staged``, the pre-commit mode, on what a commit really holds: the staged version of a partially
staged file (not the work tree's), renames, deletions, binary files, non-ASCII paths under core.quotepath, and
configurations that change what ``git diff`` prints (diff.relative, diff.interHunkContext, index version 4).
Real repositories built with the git CLI; findings compared exactly."""

from __future__ import annotations

import pytest

from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2
from tests.test_git import GitRepo, _isolated_git  # noqa: F401 - the fixture isolates git here too

OLD = "AKIANYEPBVYS4KWTSO26"  # committed before: never the commit's doing


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    return GitRepo.with_first_commit(tmp_path / "repo", {
        "settings.py": f"DEBUG = False\naws_access_key_id = {OLD}\nPORT = 8000\n", "README.md": "# demo\n"})


def staged(veil, g: GitRepo, cwd=None) -> tuple[int, list[tuple[str, str, int]], dict]:
    run = veil("git", "--staged", "-f", "json", cwd=cwd or g.path)
    assert run.code in (0, 1), run.err
    doc = run.json()
    return run.code, sorted((f["rule"], f["path"], f["line"]) for f in doc["findings"]), doc["stats"]


def test_the_staged_version_is_scanned_not_the_work_tree(veil, repo):
    path = repo.path / "settings.py"
    committed = path.read_text()
    path.write_text(committed + f"token = {GITHUB_PAT}\n")
    repo("add", "settings.py")
    path.write_text(committed)  # the secret is gone from the work tree, but the commit would still add it
    assert staged(veil, repo)[:2] == (1, [("github-pat", "settings.py", 4)])
    repo("reset", "-q")
    path.write_text(committed + "PORT2 = 8001\n")
    repo("add", "settings.py")
    path.write_text(committed + f"PORT2 = 8001\ntoken = {GITHUB_PAT}\n")  # not staged: not this commit's
    assert staged(veil, repo)[:2] == (0, [])


def test_a_non_ascii_path_is_reported_as_it_is_named(veil, repo):
    repo("config", "core.quotepath", "true")
    repo.write("café/naïve €.py", f"token = {GITHUB_PAT}\n")
    assert staged(veil, repo)[:2] == (1, [("github-pat", "café/naïve €.py", 1)])


def test_a_rename_adds_only_its_edits(veil, repo):
    (repo.path / "config").mkdir()
    repo("mv", "settings.py", "config/settings.py")
    code, found, stats = staged(veil, repo)
    assert (code, found) == (0, [])  # OLD moved with its file: the commit adds no line
    assert stats["files"] == 1
    path = repo.path / "config/settings.py"
    path.write_text(path.read_text() + f"token = {GITHUB_PAT}\n")
    repo("add", "config/settings.py")
    assert staged(veil, repo)[:2] == (1, [("github-pat", "config/settings.py", 4)])


def test_a_deletion_adds_nothing(veil, repo):
    repo("rm", "-q", "settings.py")
    assert staged(veil, repo) == (0, [], staged(veil, repo)[2])
    assert staged(veil, repo)[2]["files"] == 0


def test_binary_files_are_skipped_and_text_marked_binary_is_scanned_whole(veil, repo):
    (repo.path / "blob.bin").write_bytes(b"\0\1\2" + f"key = {AWS_KEY_ID}".encode())
    repo("add", "blob.bin")
    run = veil("git", "--staged", "-f", "json", cwd=repo.path)
    assert run.code == 0 and [(s["path"], s["kind"]) for s in run.json()["skipped"]] == [("blob.bin", "binary")]
    repo("reset", "-q")
    # .gitattributes says git shows no lines for settings.py: every secret in its staged version counts
    repo.write(".gitattributes", "settings.py -diff\n")
    repo.commit("attributes", 1, "alice")
    path = repo.path / "settings.py"
    path.write_text(path.read_text() + f"token = {GITHUB_PAT}\n")
    repo("add", "settings.py")
    assert staged(veil, repo)[:2] == (1, [("aws-access-key-id", "settings.py", 2), ("github-pat", "settings.py", 4)])


@pytest.mark.parametrize("config", [
    ("diff.relative", "true"),  # run from a sub-folder, git diff would print only that folder's files
    ("diff.interHunkContext", "10"),  # hunks fused over the unchanged line that holds OLD
    ("diff.noprefix", "true"),
    ("color.ui", "always"),
    ("diff.renames", "copies"),
    ("index.version", "4"),  # what feature.manyFiles sets; GitPython's index reader refuses it
])  # fmt: skip
def test_configuration_does_not_change_what_counts(veil, repo, config):
    repo("config", *config)
    if config[0] == "index.version":
        repo("update-index", "--index-version", config[1])
    (repo.path / "sub").mkdir()
    path = repo.path / "settings.py"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([f"token = {GITHUB_PAT}", *lines, f"token2 = {GITHUB_PAT_2}"]) + "\n")
    repo("add", "settings.py")
    for cwd in (repo.path, repo.path / "sub"):
        assert staged(veil, repo, cwd)[:2] == (1, [("github-pat", "settings.py", 1), ("github-pat", "settings.py", 5)])
