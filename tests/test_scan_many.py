"""``veil scan-many`` on Ray (local, 2 CPUs, started once for the module) over a dozen repositories built
with the git CLI: one with a long history, one with a truncated pack, a path that does not exist, a URL
with credentials that cannot be reached, and an image archive. Each report must equal what ``veil git``
(or ``veil image``: the real console script) reports for that target alone."""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.commands.scan_many import STATE, SUMMARY, read_targets, scan_many
from scanner.sources.git.clone import is_url, public, safe_name
from tests.test_docs import _images

ray = pytest.importorskip("ray")

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
    "GIT_AUTHOR_NAME": "nobody", "GIT_AUTHOR_EMAIL": "nobody@example.com",
    "GIT_COMMITTER_NAME": "nobody", "GIT_COMMITTER_EMAIL": "nobody@example.com",
    "RAY_USAGE_STATS_ENABLED": "0",
}  # fmt: skip
PASSWORD = "s3cr3t"  # noqa: S105 - the fake credential that must never be shown
CREDENTIAL_URL = f"https://user:{PASSWORD}@127.0.0.1:9/x.git"  # nothing listens on port 9: fails at once
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _key(rng: random.Random) -> str:
    """A fake, well-formed AWS access key id."""
    return "AKIA" + "".join(rng.choice(BASE32) for _ in range(16))


def _git(path: Path, *args: str, stdin: bytes | None = None) -> None:
    subprocess.run(["git", "-C", str(path), *args], check=True, input=stdin, capture_output=True)


def _small(path: Path, rng: random.Random, commits: int) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    for n in range(commits):
        secret = f"aws_access_key_id = {_key(rng)}\n" if rng.random() < 0.7 else ""
        (path / f"file{n % 3}.py").write_text(f"# revision {n} {rng.random()}\n{secret}")
        _git(path, "add", ".")
        _git(path, "commit", "-q", "-m", f"change {n}")


def _large(path: Path, rng: random.Random, commits: int = 300) -> None:
    """A longer history, written with ``git fast-import`` (quick): files edited over many commits."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    stream = []
    for n in range(commits):
        body = "".join(f"line {i} {rng.random()}\n" for i in range(40))
        if n % 25 == 0:
            body += f"key = '{_key(rng)}'\n"
        data = body.encode()
        stream.append(
            f"commit refs/heads/main\ncommitter nobody <nobody@example.com> {1704067200 + n * 3600} +0000\n"
            f"data {len(f'c{n}')}\nc{n}\nM 100644 inline src/mod{n % 17}.py\ndata {len(data)}\n"
        )
        stream.append(body + "\n")
    _git(path, "fast-import", "--quiet", stdin="".join(stream).encode())


def _corrupt(path: Path, rng: random.Random) -> None:
    """A repository whose one pack is cut in half."""
    _small(path, rng, 3)
    _git(path, "gc", "-q")
    pack = next((path / ".git" / "objects" / "pack").glob("*.pack"))
    pack.write_bytes(pack.read_bytes()[: pack.stat().st_size // 2])


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """The repositories, the targets file, and Ray with 2 CPUs, in a folder with no Veil configuration."""
    root = tmp_path_factory.mktemp("many")
    rng = random.Random(7)
    with pytest.MonkeyPatch.context() as mp:
        for name, value in GIT_ENV.items():
            mp.setenv(name, value)
        mp.chdir(root)
        repos = root / "repos"
        good = []
        for n in range(9):
            _small(repos / f"small{n}", rng, 1 + n % 4)
            good.append(repos / f"small{n}")
        _small(repos / "other" / "small0", rng, 2)  # the same name as small0: its report is numbered
        good.append(repos / "other" / "small0")
        _large(repos / "large", rng)
        good.append(repos / "large")
        _corrupt(repos / "corrupt", rng)
        _images(root / "images")
        good.append(root / "images" / "app.tar")
        targets = [*map(str, good), f"file://{repos / 'small1'}", str(repos / "corrupt"), str(repos / "missing"),
                   CREDENTIAL_URL]
        (root / "targets.txt").write_text("# a dozen repositories\n\n" + "\n".join(targets) + "\n")
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
        try:
            yield root, good
        finally:
            ray.shutdown()


def _run(root: Path, *args: str):
    return CliRunner().invoke(scan_many, [str(root / "targets.txt"), "-d", str(root / "out"), "-j", "2", *args])


@pytest.fixture(scope="module")
def first(env):
    root, _good = env
    return _run(root)


def _findings(report: dict) -> list[tuple]:
    return sorted((f["rule"], f["path"], f["origin"].get("commit"), f["line"], f["secret"]) for f in report["findings"])


def test_each_report_is_veil_gits(env, first, veil_bin):
    root, good = env
    assert first.exit_code == 2, first.output  # some targets failed
    summary = json.loads((root / "out" / SUMMARY).read_text())
    total = 0
    for repo in good:
        name = str(repo)
        report = json.loads((root / "out" / summary["reports"][name]).read_text())
        command = "image" if repo.suffix == ".tar" else "git"
        alone = subprocess.run([veil_bin, command, name, "--format", "json"], capture_output=True, cwd=root)
        assert alone.returncode in (0, 1), alone.stderr
        assert _findings(report) == _findings(json.loads(alone.stdout)), name
        assert summary["by_repository"][name] == len(report["findings"])
        total += len(report["findings"])
    assert total > 20
    assert all("…" in f[4] for f in _findings(report))  # masked by default
    url = f"file://{root / 'repos' / 'small1'}"
    cloned = json.loads((root / "out" / summary["reports"][url]).read_text())
    assert _findings(cloned) == _findings(json.loads((root / "out" / "small1.json").read_text()))
    assert summary["reports"][str(root / "repos" / "other" / "small0")] == "small0-2.json"


def test_failures_are_reported_and_do_not_stop_the_others(env, first):
    root, good = env
    summary = json.loads((root / "out" / SUMMARY).read_text())
    failed = {str(root / "repos" / "corrupt"), str(root / "repos" / "missing"), public(CREDENTIAL_URL)}
    assert set(summary["failed"]) == failed
    assert set(summary["errors"]) == failed
    assert "does not match index" in summary["errors"][str(root / "repos" / "corrupt")][0]
    assert summary["targets"] == len(good) + 1 + len(failed)
    assert sum(summary["by_rule"].values()) == summary["findings"] == sum(summary["by_confidence"].values())
    assert len(summary["reports"]) == len(good) + 1
    assert "trying once more" in first.stderr
    assert f"{len(failed)} failed" in first.stdout


def test_credentials_are_never_shown(env, first):
    root, _good = env
    shown = [first.stdout, first.stderr]
    shown += [p.read_text(errors="replace") for p in (root / "out").rglob("*") if p.is_file()]
    assert not [text for text in shown if PASSWORD in text]
    assert "https://127.0.0.1:9/x.git" in first.stderr


def test_resume_skips_what_is_done(env, first):
    root, good = env
    out = root / "out"
    state = json.loads((out / STATE).read_text())
    assert set(state["done"]) == {*map(str, good), f"file://{root / 'repos' / 'small1'}"}
    reports = {p: p.stat().st_mtime_ns for p in out.glob("*.json") if p.name != SUMMARY}
    before = json.loads((out / SUMMARY).read_text())
    again = _run(root, "--resume")
    assert again.exit_code == 2
    summary = json.loads((out / SUMMARY).read_text())
    assert len(summary["resumed"]) == len(good) + 1
    assert f"{len(good) + 1} skipped" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in reports} == reports
    assert (summary["findings"], summary["by_repository"]) == (before["findings"], before["by_repository"])
    assert summary["failed"] == before["failed"]  # tried again: still failing


def test_targets_file(tmp_path):
    (tmp_path / "t").write_text("# comment\n\nhttps://u:p@github.com/org/name.git\nhttps://github.com/org/name.git\n"
                                "/a/repo\n/b/repo.git\ngit@host.example:org/x.git\n")
    targets = read_targets(str(tmp_path / "t"), "sarif")
    assert [(t.name, t.report) for t in targets] == [
        ("https://github.com/org/name.git", "github.com_org_name.sarif"),
        ("/a/repo", "repo.sarif"),
        ("/b/repo.git", "repo-2.sarif"),
        ("git@host.example:org/x.git", "git_host.example_org_x.sarif"),
    ]
    assert is_url("git@host.example:org/x.git") and not is_url("/a/repo")
    assert public("fatal: 'https://u:tok@h/x' and ssh://git@h/y") == "fatal: 'https://h/x' and ssh://h/y"
    assert safe_name("https://tok@github.com/o/n/") == "github.com_o_n"


def test_ray_started_by_the_command_ends_with_it(tmp_path, veil_bin):
    """The console script starts its own Ray and ends it before returning: no Ray process outlives it."""
    repo = tmp_path / "repo"
    _small(repo, random.Random(7), commits=3)
    (tmp_path / "targets.txt").write_text(f"{repo}\n")
    ray_tmp = Path(tempfile.mkdtemp(prefix="veil-ray-", dir="/tmp"))  # short: Ray's sockets live under it
    try:
        env = {**os.environ, **GIT_ENV, "RAY_TMPDIR": str(ray_tmp)}
        proc = subprocess.run([veil_bin, "scan-many", str(tmp_path / "targets.txt"), "-d", str(tmp_path / "out"),
                               "-j", "1"], capture_output=True, text=True, env=env, check=False)
        alone = subprocess.run([veil_bin, "git", str(repo), "--format", "json"], capture_output=True, env=env)
        assert (proc.returncode, alone.returncode) == (1, 1), proc.stderr
        assert _findings(json.loads((tmp_path / "out" / "repo.json").read_text())) == \
            _findings(json.loads(alone.stdout))
        assert not [p for p in Path("/proc").glob("[0-9]*") if str(ray_tmp).encode() in _cmdline(p)]
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:  # ended meanwhile
        return b""
