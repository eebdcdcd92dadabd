"""How a scanner's finding is matched to a planted secret: the scoring rule of the corpus benchmark.

A finding matches a label when (1) it is in the same file, (2) its line range overlaps the label's
(``line``..``end_line``; a multi-line key spans several lines), and (3) when the tool reports a value,
one of its reported values overlaps the planted one after normalisation: the reported value contains
the planted secret (the tool reported more, e.g. a whole URI or ``Bearer …``), or the planted secret
contains the reported value and that part is at least 8 characters long, or the whole secret when it
is shorter (the tool reported a part, e.g. a key block's body or a URI's password). Normalisation
drops whitespace, quotes, backslashes and ``\\n``-style escapes, so a key reported from inside a
JSON string or an indented YAML block still matches. Where the file holds an encoding of the secret
(base64 in a Kubernetes Secret's ``data:``, a docker ``auth``), the label also carries the decoded
value and either form matches. A tool that reports no value (detect-secrets keeps only a hash) is
matched on file and line alone.

Precision counts each label once: a label found is one true positive however many findings match
it (the extra ones are reported as duplicates); a finding that matches no label is a false positive.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
MANIFEST = CORPUS / "manifest.json"
MIN_PART = 8
_NOISE = re.compile(r"\\[nrt]|[\s\\\"'`]")


@dataclass(frozen=True)
class Label:
    path: str  # relative to corpus/, e.g. positives/billing/.env
    line: int
    end_line: int
    secret: str
    family: str
    provider: str
    rule: str | None = None  # the Veil rule expected to report it, when known
    decoded: str | None = None


@dataclass(frozen=True)
class Finding:
    path: str  # relative to corpus/
    line: int
    end_line: int
    values: tuple[str, ...]  # what the tool reported as the secret (and as the whole match); empty: none
    rule: str
    family: str = ""  # the tool's own family for the rule, when it has one


def load_manifest(path: Path = MANIFEST) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_labels(path: Path = MANIFEST) -> list[Label]:
    return [Label(**row) for row in load_manifest(path)["labels"]]


def normalize(text: str) -> str:
    return _NOISE.sub("", text)


def value_matches(reported: str, label: Label) -> bool:
    got = normalize(reported)
    if not got:
        return False
    for planted in (label.secret, label.decoded):
        if not planted:
            continue
        want = normalize(planted)
        if want in got or (got in want and len(got) >= min(len(want), MIN_PART)):
            return True
    return False


def matches(finding: Finding, label: Label) -> bool:
    if finding.path != label.path or finding.end_line < label.line or finding.line > label.end_line:
        return False
    return not finding.values or any(value_matches(v, label) for v in finding.values)


@dataclass
class Score:
    labels: list[Label]
    hits: dict[int, list[Finding]]  # label index -> findings that match it
    false_positives: list[Finding]

    @property
    def found(self) -> list[Label]:
        return [label for i, label in enumerate(self.labels) if self.hits[i]]

    @property
    def missed(self) -> list[Label]:
        return [label for i, label in enumerate(self.labels) if not self.hits[i]]

    @property
    def duplicates(self) -> int:
        """Findings beyond the first on a label (several rules, or one rule twice, on one secret)."""
        return sum(len(h) - 1 for h in self.hits.values() if h)


def score(labels: list[Label], findings: Iterable[Finding]) -> Score:
    by_path: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        by_path[label.path].append(i)
    hits: dict[int, list[Finding]] = {i: [] for i in range(len(labels))}
    false_positives = []
    for finding in findings:
        matched = [i for i in by_path.get(finding.path, ()) if matches(finding, labels[i])]
        for i in matched:
            hits[i].append(finding)
        if not matched:
            false_positives.append(finding)
    return Score(labels, hits, false_positives)


GENERIC_WORDS = ("generic", "entropy", "keyword", "password", "secret", "credential", "curl", "bearer", "basic", "auth")
KEY_WORDS = ("private", "pem", "ssh", "pgp", "putty", "jwt", "age", "pkcs")


@dataclass
class FamilyMap:
    """Which family a peer's rule id belongs to: by the provider names in it, else by generic words."""

    providers: dict[str, str]  # provider -> family (from the manifest)
    cache: dict[str, str] = field(default_factory=dict)

    def __call__(self, rule_id: str) -> str:
        if rule_id not in self.cache:
            self.cache[rule_id] = self._lookup(rule_id)
        return self.cache[rule_id]

    def _lookup(self, rule_id: str) -> str:
        words = re.findall(r"[a-z0-9]+", rule_id.lower())
        joined = "".join(words)
        for provider, family in sorted(self.providers.items(), key=lambda kv: -len(kv[0])):
            name = re.sub(r"[^a-z0-9]", "", provider)
            if name in words or (len(name) >= 5 and name in joined):
                return family
        if any(w in KEY_WORDS for w in words):
            return "keys"
        if any(w.startswith(GENERIC_WORDS) for w in words):
            return "generic"
        return "other"
