"""Human-readable report: findings grouped by file, coloured on a terminal."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

import click

from ..outcome import ScanOutcome
from ..ruleset import CONFIDENCE_LEVELS

_CONFIDENCE_COLOURS = {"high": "red", "medium": "yellow", "low": "cyan"}
TOP_RULES = 5  # rules named in the breakdown line; the rest are counted


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def summary(outcome: ScanOutcome) -> str:
    """One line: how much was found, read and skipped."""
    found = len(outcome.findings)
    files_hit = len({f.path for f in outcome.findings})
    line = (
        f"{found} finding{'s' * (found != 1)} in {files_hit} file{'s' * (files_hit != 1)}"
        f" · {outcome.files} file{'s' * (outcome.files != 1)} scanned ({_size(outcome.bytes)})"
    )
    suppressed = sum(outcome.suppressed.values())
    if suppressed:
        reasons = ", ".join(f"{n} {why}" for why, n in sorted(outcome.suppressed.items()))
        line += f" · {suppressed} suppressed ({reasons})"
    if outcome.skipped:
        line += " · skipped: " + ", ".join(f"{n} {kind}" for kind, n in outcome.skip_counts.items())
    return line


def breakdown(outcome: ScanOutcome) -> str:
    """One line: findings by confidence, then by rule (the most frequent first), for a long report."""
    confidences = Counter(f.confidence for f in outcome.findings)
    by_confidence = ", ".join(f"{confidences[c]} {c}" for c in reversed(CONFIDENCE_LEVELS) if confidences[c])
    rules = sorted(Counter(f.rule_id for f in outcome.findings).items(), key=lambda item: (-item[1], item[0]))
    by_rule = ", ".join(f"{rule} {n}" for rule, n in rules[:TOP_RULES])
    more = len(rules) - TOP_RULES
    if more > 0:
        by_rule += f", {more} more rule{'s' * (more != 1)}"
    return f"by confidence: {by_confidence} · by rule: {by_rule}"


def render_text(outcome: ScanOutcome, show_secrets: bool, color: bool) -> str:
    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    out: list[str] = []
    for path, group in groupby(outcome.findings, key=lambda f: f.path):
        out.append(style(path, bold=True))
        for f in group:
            where = f"{f.line}:{f.column}"
            conf = style(f"{f.confidence:<6}", fg=_CONFIDENCE_COLOURS.get(f.confidence))
            out.append(f"  {where:<9} {conf} {style(f.rule_id, bold=True)}  {f.description}")
            story = f.origin.get("summary")  # a source that tells the finding's history in a sentence (git)
            place = "" if story else "".join(f"  {k}={v}" for k, v in f.origin.items())
            secret = f.shown_secret(show_secrets) + f.pair_note(show_secrets) + f.decoded_note
            out.append(f"  {'':<9} secret {secret}  fingerprint {f.fingerprint}{place}")
            if story:
                out.append(f"  {'':<9} {story}")
        out.append("")
    if outcome.findings:
        out.append(breakdown(outcome))
    out.append(summary(outcome))
    return "\n".join(out) + "\n"
