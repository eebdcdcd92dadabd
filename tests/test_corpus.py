"""The labelled corpus: every expected finding, and nothing else — on both prefilter backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.prefilter import BACKENDS
from scanner.ruleset import RuleSet
from scanner.scan import ScanOptions, scan_paths

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def expected() -> set[tuple[str, int, str]]:
    rows = json.loads((CORPUS / "manifest.json").read_text())["findings"]
    return {(r["path"], r["line"], r["rule"]) for r in rows}


@pytest.mark.parametrize("backend", BACKENDS)
def test_corpus_findings_are_exactly_the_manifest(backend):
    outcome = scan_paths([str(CORPUS)], RuleSet.default(), ScanOptions(jobs=1, engine=backend))
    found = {(str(Path(f.path).relative_to(CORPUS)), f.line, f.rule_id) for f in outcome.findings}
    assert found == expected()
    assert len(outcome.findings) == len(found), "one finding per secret"
    assert outcome.skipped == []


def test_manifest_covers_every_positive_file_and_no_negative():
    paths = {p for p, _, _ in expected()}
    positives = {str(p.relative_to(CORPUS)) for p in (CORPUS / "positives").rglob("*") if p.is_file()}
    assert paths == positives
    assert not any(p.startswith("negatives/") for p in paths)


def test_corpus_through_the_console_script(veil):
    run = veil("scan", "corpus", "-f", "json", cwd=CORPUS.parent)
    assert run.code == 1
    assert {(f["path"].removeprefix("corpus/"), f["line"], f["rule"]) for f in run.json()["findings"]} == expected()
