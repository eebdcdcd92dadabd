"""`veil git` reports the same thing every run: where a secret first leaked does not depend on Python's
string hashing when one commit adds it in several files."""

from __future__ import annotations

import json
import os
import subprocess

from tests.conftest import GITHUB_PAT


def test_the_first_leak_of_a_secret_added_in_many_files_at_once_is_the_same_every_run(veil_bin, tmp_path):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=env)
    for name in ("b.env", "a.env", "d.env", "c.env", "f.env", "e.env"):
        (tmp_path / name).write_text(f"TOKEN={GITHUB_PAT}\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True, env=env)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-qm", "one"], check=True, env=env)
    reports = set()
    for seed in ("1", "2", "3", "4", "5"):
        run = subprocess.run([veil_bin, "git", str(tmp_path), "-f", "json"], capture_output=True,
                             env={**env, "PYTHONHASHSEED": seed}, check=False)
        findings = json.loads(run.stdout)["findings"]
        reports.add(json.dumps([f["origin"] for f in findings], sort_keys=True))
    assert len(reports) == 1
    assert {origin["leaked_path"] for origin in json.loads(reports.pop())} == {"a.env"}
