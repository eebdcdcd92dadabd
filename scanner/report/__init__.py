"""Sinks: turn a scan outcome into text, JSON, JSON Lines, SARIF or GitLab's format. Secrets are masked by
default, and so is every other string that holds one (:func:`~scanner.report.masking.masked`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..outcome import ScanOutcome
from ..ruleset import RuleSet
from .gitlab import render_gitlab
from .jsonfmt import render_json, render_jsonl
from .masking import masked
from .sarif import render_sarif
from .text import render_text

FORMATS = ("text", "json", "jsonl", "sarif", "gitlab")


@dataclass(frozen=True)
class ReportOptions:
    show_secrets: bool = False
    color: bool = False


def render(fmt: str, outcome: ScanOutcome, rules: RuleSet, options: ReportOptions) -> str:
    """The report for ``outcome`` in format ``fmt``."""
    if not options.show_secrets:
        outcome = masked(outcome)
    if fmt == "text":
        return render_text(outcome, options.show_secrets, options.color)
    if fmt == "json":
        return render_json(outcome, options.show_secrets)
    if fmt == "jsonl":
        return render_jsonl(outcome, options.show_secrets)
    if fmt == "sarif":
        return render_sarif(outcome, rules, options.show_secrets)
    if fmt == "gitlab":
        return render_gitlab(outcome, options.show_secrets)
    raise ValueError(f"unknown format {fmt!r}")
