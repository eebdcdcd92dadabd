"""Git hooks and CI: ``veil install-hook``, the pre-commit framework hook (real ``pre-commit try-repo``), and
``action.yml`` (validated offline against the GitHub Actions schema, and its scan step run in bash)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import AWS_KEY_ID, GITHUB_PAT
from tests.test_git import GIT_ENV, GitRepo, _isolated_git  # noqa: F401 - the fixture isolates git here too

ROOT = Path(__file__).resolve().parent.parent
RUNNER_BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]  # how a runner runs `shell: bash`


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    return GitRepo.with_first_commit(tmp_path / "repo", {"README.md": "# demo\n"})


def commit(g: GitRepo, message: str) -> subprocess.CompletedProcess:
    """A real `git commit`, hooks and all."""
    return subprocess.run(["git", "-C", str(g.path), "commit", "-q", "-m", message], capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV})  # fmt: skip


def test_install_hook_blocks_a_commit_that_adds_a_secret(veil, repo):
    run = veil("install-hook", repo.path)
    assert run.code == 0, run.err
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    assert os.access(hook, os.X_OK) and "veil pre-commit hook" in hook.read_text()
    repo.write("settings.py", f'TOKEN = "{GITHUB_PAT}"\n')
    blocked = commit(repo, "add token")
    assert blocked.returncode == 1
    shown = blocked.stdout + blocked.stderr  # git sends a hook's output to stderr
    assert "github-pat" in shown and "settings.py" in shown and GITHUB_PAT not in shown
    repo("reset", "-q")
    repo.write("ok.txt", "nothing to see\n")
    assert commit(repo, "clean").returncode == 0
    # `git commit -a` stages into a temporary index (GIT_INDEX_FILE): the hook sees that one
    (repo.path / "ok.txt").write_text(f"nothing to see\naws_access_key_id = {AWS_KEY_ID}\n")
    blocked = subprocess.run(["git", "-C", str(repo.path), "commit", "-q", "-a", "-m", "all"], capture_output=True,
                             text=True, env={**os.environ, **GIT_ENV})  # fmt: skip
    assert blocked.returncode == 1 and "aws-access-key-id" in blocked.stderr
    assert veil("install-hook", repo.path).code == 0  # installing again replaces our own hook quietly


def test_install_hook_honours_core_hooks_path(veil, repo):
    repo("config", "core.hooksPath", ".githooks")
    assert veil("install-hook", repo.path).code == 0
    assert 'exec "$VEIL" git --staged' in (repo.path / ".githooks" / "pre-commit").read_text()


def test_install_hook_keeps_someone_elses_hook(veil, repo):
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 0\n")
    run = veil("install-hook", repo.path)
    assert run.code == 2 and "--force" in run.err
    assert veil("install-hook", repo.path, "--force").code == 0
    assert (hook.parent / "pre-commit.veil-backup").read_text() == "#!/bin/sh\nexit 0\n"
    assert veil("install-hook", "--print").out.startswith("#!/bin/sh\n# veil pre-commit hook")


def test_pre_commit_hooks_file_declares_the_staged_hook():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["veil"]["entry"] == "veil git --staged"
    assert hooks["veil"]["pass_filenames"] is False and hooks["veil"]["language"] == "python"
    assert set(hooks["veil"]["stages"]) <= {"pre-commit", "pre-merge-commit", "manual"}


def _hook_repo(tmp_path: Path) -> Path:
    """This working tree's package, committed in a scratch repository (pre-commit installs from a commit)."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard", "-z", "--",
                             "scanner", "rules", "setup.py", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml"],
                            capture_output=True, check=True).stdout.decode().split("\0")  # fmt: skip
    target = tmp_path / "veil-hook-repo"
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    g = GitRepo.init(target)
    g("add", "-A")
    g.commit("veil", 0, "alice")
    return target


@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed (pip install '.[test]')")
def test_pre_commit_try_repo_fails_the_commit_on_a_staged_secret(repo, tmp_path):
    """The real pre-commit: it builds a virtualenv, pip-installs Veil from the hook repository, runs the hook."""
    hook_repo = _hook_repo(tmp_path)
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_QUIET": "1",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}  # fmt: skip

    def try_repo() -> subprocess.CompletedProcess:
        return subprocess.run(["pre-commit", "try-repo", str(hook_repo), "veil", "--verbose"], cwd=repo.path,
                              capture_output=True, text=True, env=env, timeout=600)  # fmt: skip

    repo.write("README.md", f"# demo\n\naws_access_key_id = {AWS_KEY_ID}\n")
    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "aws-access-key-id" in failed.stdout and "README.md" in failed.stdout
    assert "Failed" in failed.stdout and AWS_KEY_ID not in failed.stdout
    repo.write("README.md", "# demo\n\nno secrets\n")
    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


# ---------------------------------------------------------------------------------------------- action.yml


@pytest.mark.skipif(shutil.which("check-jsonschema") is None, reason="check-jsonschema is not installed")
def test_action_yml_validates_against_the_github_actions_schema(tmp_path):
    ok = subprocess.run(["check-jsonschema", "--builtin-schema", "vendor.github-actions", str(ROOT / "action.yml")],
                        capture_output=True, text=True)  # fmt: skip
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # the validator is not a rubber stamp: a run step without `shell` is refused
    broken = yaml.safe_load((ROOT / "action.yml").read_text())
    del broken["runs"]["steps"][1]["shell"]
    (tmp_path / "action.yml").write_text(yaml.safe_dump(broken))
    bad = subprocess.run(
        ["check-jsonschema", "--builtin-schema", "vendor.github-actions", str(tmp_path / "action.yml")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode != 0


def _action_step(step_id: str) -> dict:
    return next(s for s in yaml.safe_load((ROOT / "action.yml").read_text())["runs"]["steps"] if s.get("id") == step_id)


def _run_scan_step(tmp_path: Path, repo_path: Path, **github) -> tuple[int, dict[str, str], Path]:
    """Run the action's scan step the way a runner does: bash, env from the step, GITHUB_* files."""
    step = _action_step("scan")
    inputs = {"range": "", "config": "", "baseline": "", "format": "sarif", "output": "", "path": str(repo_path),
              "args": ""}  # fmt: skip
    env = {"RANGE": inputs["range"], "CONFIG": "", "BASELINE": "", "FORMAT": inputs["format"], "OUTPUT": "",
           "REPO_PATH": inputs["path"], "EXTRA_ARGS": "--jobs 1", "EVENT": "", "PR_BASE": "", "PR_HEAD": "",
           "PUSH_BEFORE": "", "PUSH_AFTER": ""}  # fmt: skip
    assert set(env) == set(step["env"])
    env.update(github)
    outputs, summary = tmp_path / "github_output", tmp_path / "step_summary"
    outputs.write_text("")
    proc = subprocess.run(
        [*RUNNER_BASH, step["run"]], cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, **env, "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary),
             "GITHUB_ACTION_PATH": str(ROOT), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return proc, values, summary


def test_action_scan_step_on_a_pull_request_and_on_a_schedule(repo, tmp_path):
    base = repo("rev-parse", "HEAD")
    repo.write("deploy.env", f"aws_access_key_id = {AWS_KEY_ID}\n")
    head = repo.commit("leak", 1, "bob")
    # pull_request: only the PR's commits
    proc, out, summary = _run_scan_step(tmp_path, repo.path, EVENT="pull_request", PR_BASE=base, PR_HEAD=head)
    assert out["exit-code"] == "1" and out["findings"] == "1", proc.stderr
    assert f"Scanning the commits in {base}..{head}" in proc.stdout
    sarif = json.loads((tmp_path / out["report"]).read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "aws-access-key-id"
    assert "deploy.env:1: aws-access-key-id" in proc.stderr and AWS_KEY_ID not in proc.stderr
    assert "| aws-access-key-id | `deploy.env:1` |" in summary.read_text()
    # a pull request that adds nothing
    proc, out, _ = _run_scan_step(tmp_path, repo.path, EVENT="pull_request", PR_BASE=head, PR_HEAD=head)
    assert (out["exit-code"], out["findings"]) == ("0", "0"), proc.stderr
    # schedule: the whole history
    proc, out, _ = _run_scan_step(tmp_path, repo.path, EVENT="schedule")
    assert "Scanning the whole history" in proc.stdout and out["exit-code"] == "1"
    # the last step turns findings into a failed job, and an error into another
    fail = _action_step("fail")["run"]
    for code, expected in (("1", 1), ("0", 0), ("2", 2)):
        done = subprocess.run([*RUNNER_BASH, fail], capture_output=True, text=True,
                              env={**os.environ, "CODE": code, "FINDINGS": "1", "FAIL": "true"})  # fmt: skip
        assert done.returncode == expected
