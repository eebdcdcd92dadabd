"""The wheel: every sub-package of ``scanner`` (found by setuptools, not listed by hand) and the top-level
``rules/`` installed as ``scanner/rules``, which an installed Veil loads."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from scanner.ruleset import RuleSet

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_every_module_and_rule_file_and_finds_its_rules(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("veil-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "scanner").rglob("*.py")}
    rules = {f"scanner/rules/{p.name}" for p in (ROOT / "rules").glob("*.toml")}
    assert len(rules) >= 14
    assert modules - names == set() and rules - names == set()
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = "from scanner.ruleset import RuleSet, rules_dir; print(rules_dir()); print(len(RuleSet.default()))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(site), "VEIL_CACHE_DIR": str(tmp_path / "cache")}).stdout.split()
    assert out[0] == str(site / "scanner" / "rules")
    assert int(out[1]) == len(RuleSet.default())
