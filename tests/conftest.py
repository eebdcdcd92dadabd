"""Shared test helpers: run the real ``veil`` console script, build fake secrets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# Fake, well-formed values (random, never issued by any provider).
GITHUB_PAT = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
GITHUB_PAT_2 = "ghp_IBXuDL7DxtpYlSXpfKtHF4vUCsMehGAkWvj7"
AWS_KEY_ID = "AKIABNXJBTFQXKWOVOMP"


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory):
    """Tests (and the console scripts they run) start from an empty start-up cache of their own."""
    os.environ["VEIL_CACHE_DIR"] = str(tmp_path_factory.mktemp("veil-cache"))


@pytest.fixture(scope="session")
def veil_bin() -> str:
    beside = Path(sys.executable).with_name("veil")  # not a version manager's shim: it costs a shell per run
    path = str(beside) if beside.exists() else shutil.which("veil")
    assert path, "the veil console script is not installed: pip install '.[test]'"
    return path


@pytest.fixture
def veil(veil_bin):
    def run(*args: str, stdin: bytes | None = None, cwd=None) -> Run:
        proc = subprocess.run([veil_bin, *map(str, args)], input=stdin, capture_output=True, cwd=cwd, timeout=120)
        return Run(proc.returncode, proc.stdout.decode(), proc.stderr.decode())

    return run
