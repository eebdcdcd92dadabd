"""What a scan found, read and skipped: the one result type every source, runner and report shares."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .finding import Finding
from .fragment import Fragment

if TYPE_CHECKING:
    from .engine import Engine, ScanResult, Skipped
    from .suppress import Suppressor

# Skips that make a scan fail (exit 2), not just warn: something the user asked for was not (fully) scanned.
ERROR_SKIPS = frozenset({"missing", "unreadable", "corrupt", "hostile"})


@dataclass(frozen=True, slots=True)
class Skip:
    """Something not scanned, and why. ``kind`` is a short tag counted in the scan's statistics.
    ``error``: a skip that is a failure (exit 2) though its kind is not always one (a file the user
    named, too large); ``rule``: the rule that gave up (``timeout`` skips)."""

    path: str
    kind: str
    reason: str
    error: bool = False
    rule: str = ""


@dataclass
class ScanOutcome:
    """What a scan found, what it read, and what it skipped (with reasons)."""

    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    suppressed: Counter[str] = field(default_factory=Counter)  # findings not reported, by reason

    def add(self, other: ScanOutcome) -> None:
        self.findings.extend(other.findings)
        self.skipped.extend(other.skipped)
        self.files += other.files
        self.bytes += other.bytes
        self.suppressed.update(other.suppressed)

    @property
    def skip_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(s.kind for s in self.skipped).items()))

    @property
    def errors(self) -> list[Skip]:
        """Skips that mean the user asked for something that could not be (fully) scanned."""
        return [s for s in self.skipped if s.error or s.kind in ERROR_SKIPS]


def findings_of(
    result: ScanResult, path: str, origin: dict | None = None, suppressor: Suppressor | None = None
) -> ScanOutcome:
    """Turn one engine result into findings for ``path``; timed-out windows become skips."""
    outcome = ScanOutcome()
    root_path = suppressor.root_path(path) if suppressor and result.matches else path  # a few path calls a file
    for match in result.matches:
        reason = suppressor.reason(match, path) if suppressor else None
        if reason:
            outcome.suppressed[reason] += 1
        else:
            outcome.findings.append(Finding.from_match(match, path, origin, root_path))
    outcome.skipped = [timeout_skip(path, s, f"bytes {s.start}-{s.end}") for s in result.skipped]
    return outcome


def timeout_skip(path: str, skipped: Skipped, where: str) -> Skip:
    """The skip for a rule that gave up on ``where`` (bytes, a record …) of ``path``."""
    return Skip(path, "timeout", f"rule {skipped.rule_id} gave up on {where}: {skipped.reason}", rule=skipped.rule_id)


def scan_fragment(engine: Engine, fragment: Fragment, suppressor: Suppressor | None = None) -> ScanOutcome:
    """Scan one fragment: its findings, and one file of ``len(fragment.data)`` bytes read."""
    outcome = findings_of(engine.scan(fragment.data), fragment.path, fragment.origin, suppressor)
    outcome.files, outcome.bytes = 1, len(fragment.data)
    return outcome
