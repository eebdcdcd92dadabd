"""``veil scan`` over real trees: a very deep one, default excludes (egg-info, setuptools' build/), text in
UTF-16 and with byte-order marks, and no PATH at all."""

from __future__ import annotations

import codecs
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import AWS_KEY_ID, GITHUB_PAT

DEPTH = 1200  # past Python's recursion limit (1000): a recursive walk dies with RecursionError


@pytest.fixture
def deep_root(tmp_path) -> Iterator[Path]:
    """A folder removed with ``rm -rf`` afterwards: pytest's own clean-up recurses, and a deep tree breaks it."""
    yield tmp_path / "deep"
    subprocess.run(["rm", "-rf", str(tmp_path / "deep")], check=True)


def test_a_tree_1200_folders_deep_is_scanned(veil, tmp_path, deep_root):
    deep_root.mkdir()
    (tmp_path / "deep/a.txt").write_text(f"token = {GITHUB_PAT}\n")
    here = os.getcwd()
    os.chdir(tmp_path / "deep")  # one level at a time (os.makedirs recurses too), each call a short path
    try:
        for _ in range(DEPTH):
            os.mkdir("d")
            os.chdir("d")
        Path("z.txt").write_text(f"aws_access_key_id = {AWS_KEY_ID}\n")
    finally:
        os.chdir(here)
    run = veil("scan", "deep", "-f", "json", cwd=tmp_path)
    assert (run.code, run.err) == (1, "")
    assert [(f["path"], f["rule"]) for f in run.json()["findings"]] == [
        ("deep/a.txt", "github-pat"), (os.path.join("deep", *["d"] * DEPTH, "z.txt"), "aws-access-key-id")]


def test_egg_info_and_setuptools_build_output_are_skipped_by_default(veil, tmp_path):
    leak = f"token = {GITHUB_PAT}\n"
    for name in ("veil.egg-info/PKG-INFO", "build/lib/pkg/mod.py", "build/bdist.linux-x86_64/x.py",
                 "src/app.py", "web/build/bundle.js", "dist/app.js"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(leak)
    run = veil("scan", tmp_path, "-f", "json")
    assert run.code == 1, run.err
    shown = sorted(Path(f["path"]).relative_to(tmp_path).as_posix() for f in run.json()["findings"])
    # a build/ that is not setuptools' (a web bundle) and dist/ (built JavaScript) are scanned
    assert shown == ["dist/app.js", "src/app.py", "web/build/bundle.js"]
    everything = veil("scan", tmp_path, "--all", "-f", "json")
    assert len(everything.json()["findings"]) == 6


def test_utf16_and_bom_files_are_decoded_and_scanned(veil, tmp_path):
    text = f"# settings\n\ntoken = {GITHUB_PAT}\n"
    (tmp_path / "le.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (tmp_path / "be.txt").write_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    (tmp_path / "bom8.txt").write_bytes(codecs.BOM_UTF8 + f"{AWS_KEY_ID}\n".encode())
    (tmp_path / "binary.bin").write_bytes(codecs.BOM_UTF16_LE + b"\0\0\0\0" + GITHUB_PAT.encode())
    run = veil("scan", tmp_path, "-f", "json")
    assert run.code == 1, run.err
    found = [(Path(f["path"]).name, f["rule"], f["line"], f["column"]) for f in run.json()["findings"]]
    assert found == [("be.txt", "github-pat", 3, 9), ("bom8.txt", "aws-access-key-id", 1, 1),
                     ("le.txt", "github-pat", 3, 9)]
    assert run.json()["skipped"] == [{"path": str(tmp_path / "binary.bin"), "kind": "binary", "reason": "binary file"}]


def test_scan_without_a_path_scans_the_current_directory(veil, tmp_path):
    (tmp_path / "app.env").write_text(f"GITHUB_TOKEN={GITHUB_PAT}\n")
    run = veil("scan", "-f", "json", cwd=tmp_path)
    assert run.code == 1, run.err
    assert [f["path"] for f in run.json()["findings"]] == ["app.env"]


def test_exclude_dir_with_a_slash_is_a_path_from_here_or_from_the_configuration(veil, tmp_path):
    for name in ("fixtures/a.env", "src/fixtures/b.env", "src/c.env"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"GITHUB_TOKEN={GITHUB_PAT}\n")

    def found(*args: str, cwd: Path = tmp_path) -> list[str]:
        run = veil("scan", *args, "-f", "json", cwd=cwd)
        assert run.code == 1, run.err
        return [Path(f["path"]).as_posix() for f in run.json()["findings"]]

    assert found(".", "--exclude-dir", "fixtures/") == ["src/c.env", "src/fixtures/b.env"]
    assert found(".", "--exclude-dir", "fixtures") == ["src/c.env"]  # a name: anywhere
    assert found("fixtures", "--exclude-dir", "fixtures/") == ["fixtures/a.env"]  # what is named is scanned
    (tmp_path / "veil.toml").write_text('[scan]\nexclude-dir = ["fixtures/"]\n')
    assert found("..", cwd=tmp_path / "src") == ["../src/c.env", "../src/fixtures/b.env"]  # from the config's folder


def test_veils_own_checkout_scans_clean(veil):
    """The repository's veil.toml leaves out its fixtures: a newcomer's first `veil scan .` finds nothing."""
    run = veil("scan", ".", cwd=Path(__file__).resolve().parent.parent)
    assert (run.code, run.err) == (0, "")
    assert run.out.startswith("0 findings in 0 files · ")
