"""The labelled corpus: Veil finds every planted secret, once, and nothing else — on both prefilter backends.

Labels and the matching rule live in corpus/ (manifest.json, scoring.py; see corpus/README.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scanner.finding import Finding as VeilFinding
from scanner.prefilter import BACKENDS
from scanner.ruleset import RuleSet
from scanner.scan import ScanOptions, scan_paths

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
sys.path.insert(0, str(CORPUS))
import scoring  # noqa: E402

LABELS = scoring.load_labels()
TOPS = ("positives", "negatives")


def as_scored(finding: VeilFinding, path: str) -> scoring.Finding:
    end = finding.line + finding.secret.count("\n")
    return scoring.Finding(path, finding.line, end, (finding.secret,), finding.rule_id, (finding.tags or ("",))[0])


def shown(label: scoring.Label) -> str:
    return f"{label.path}:{label.line} {label.provider} ({label.rule or label.family})"


@pytest.fixture(scope="module", params=BACKENDS)
def result(request) -> scoring.Score:
    findings = []
    for top in TOPS:
        outcome = scan_paths([str(CORPUS / top)], RuleSet.default(), ScanOptions(jobs=1, engine=request.param))
        assert outcome.skipped == []
        findings += [as_scored(f, str(Path(f.path).resolve().relative_to(CORPUS))) for f in outcome.findings]
    return scoring.score(LABELS, findings)


def test_every_planted_secret_is_found(result):
    assert [shown(label) for label in result.missed] == []


def test_nothing_else_is_found(result):
    assert [f"{f.path}:{f.line} {f.rule}" for f in result.false_positives] == []


def test_one_finding_per_secret(result):
    doubled = [(shown(result.labels[i]), [f.rule for f in hits]) for i, hits in result.hits.items() if len(hits) > 1]
    assert doubled == []


def test_the_expected_rule_reports_each_secret(result):
    wrong = [
        (shown(result.labels[i]), [f.rule for f in hits])
        for i, hits in result.hits.items()
        if hits and result.labels[i].rule and {f.rule for f in hits} != {result.labels[i].rule}
    ]
    assert wrong == []


def test_corpus_through_the_console_script(veil):
    run = veil("scan", "positives", "negatives", "-f", "json", "--show-secrets", cwd=CORPUS)
    assert run.code == 1
    findings = [
        scoring.Finding(f["path"], f["line"], f["line"] + f["secret"].count("\n"), (f["secret"],), f["rule"])
        for f in run.json()["findings"]
    ]
    result = scoring.score(LABELS, findings)
    assert ([shown(label) for label in result.missed], [f"{f.path}:{f.line}" for f in result.false_positives]) == (
        [],
        [],
    )


def test_labels_point_at_their_secrets():
    for label in LABELS:
        lines = (CORPUS / label.path).read_text(encoding="utf-8").split("\n")[label.line - 1 : label.end_line]
        assert scoring.normalize(label.secret) in scoring.normalize("\n".join(lines)), shown(label)


def test_corpus_size_and_layout():
    files = {top: {str(p.relative_to(CORPUS)) for p in (CORPUS / top).rglob("*") if p.is_file()} for top in TOPS}
    labelled = {label.path for label in LABELS}
    assert labelled == files["positives"], "every positive file holds a planted secret, and only those"
    assert len(files["positives"]) + len(files["negatives"]) >= 400
    assert len(files["negatives"]) > len(files["positives"])


def test_the_generator_writes_the_committed_corpus():
    run = subprocess.run([sys.executable, str(CORPUS / "generate.py"), "--check"], capture_output=True, text=True)
    assert (run.returncode, run.stdout.strip()) == (0, "corpus is up to date")
