"""What every scanning command shares: report options, rule loading, error handling, exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import click
import regex

from ..config import Config
from ..outcome import ScanOutcome, Skip
from ..prefilter import BACKENDS
from ..report import FORMATS, ReportOptions, render
from ..ruleset import CONFIDENCE_LEVELS, Rule, RuleSet, default_rules
from ..sources.files import DEFAULT_MAX_FILE_SIZE
from .base import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    at_least,
    guard,
    load_rules,
    output_folder_exists,
    stack,
    write_report,
)

__all__ = ["EXIT_CLEAN", "EXIT_ERROR", "EXIT_FINDINGS", "at_least", "guard", "load_rules", "output_folder_exists",
           "stack", "write_report"]  # and what follows

NOISY_SKIPS = frozenset({"symlink", "timeout", "broken-json"})  # warned about; errors always are
_SIZE = regex.compile(r"(?i)^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$")
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(_ctx: click.Context | None, _param: click.Parameter | None, value: str | int) -> int:
    """A click callback: ``500KB``, ``10MB``, ``1GB`` or a number of bytes."""
    if isinstance(value, int):
        return value
    m = _SIZE.match(value)
    if not m:
        raise click.BadParameter(f"{value!r} is not a size such as 500KB, 10MB or 1GB")
    return int(float(m.group(1)) * _UNITS[(m.group(2) or "").lower()[:1]])


report_options = stack([
    click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True),
    click.option("-o", "--output", type=click.Path(dir_okay=False), callback=output_folder_exists,
                 help="Write the report here, not to stdout."),
    click.option("--show-secrets", is_flag=True, help="Print secrets in clear (masked by default)."),
])
"""``--format``, ``--output``, ``--show-secrets``: pass them on to :func:`finish`."""

engine_options = stack([
    click.option("--engine", type=click.Choice(BACKENDS), help="Keyword prefilter (default: hyperscan if installed)."),
    click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
                 help="Extra rule file in Veil's TOML format (repeatable)."),
    click.option("--min-confidence", type=click.Choice(CONFIDENCE_LEVELS, case_sensitive=False), default="low",
                 show_default=True, help="Run only rules of this confidence or higher (low: all of them)."),
])
"""``--engine``, ``--rules``, ``--min-confidence``."""

jobs_option = click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1,
                           show_default="all cores")


def max_file_size_option(what: str) -> Callable:
    """``--max-file-size``; ``what`` names what is skipped (``files``, ``blobs`` …)."""
    return click.option("--max-file-size", default=str(DEFAULT_MAX_FILE_SIZE), callback=parse_size,
                        help=f"Skip larger {what} (e.g. 500KB, 10MB).  [default: 10MB]")


def warn_skips(outcome: ScanOutcome) -> None:
    """Say on stderr, one line each, what could not be scanned (errors) or was left out for a reason
    worth knowing; a rule that gave up is named once, however many places it gave up on."""
    errors = set(map(id, outcome.errors))
    gave_up: dict[str, list[Skip]] = {}
    for skip in outcome.skipped:
        if id(skip) in errors:
            click.echo(f"veil: error: {skip.path}: {skip.reason}", err=True)
        elif skip.kind == "timeout":
            gave_up.setdefault(skip.rule, []).append(skip)
        elif skip.kind in NOISY_SKIPS:
            click.echo(f"veil: warning: {skip.path}: {skip.reason}", err=True)
    for rule, skips in gave_up.items():
        first = skips[0]
        more = f" and {len(skips) - 1} more place{'s' * (len(skips) > 2)}" if len(skips) > 1 else ""
        click.echo(f"veil: warning: rule {rule} is too slow: it gave up in {first.path} "
                   f"({first.reason.removeprefix(f'rule {rule} gave up on ')}){more}; "
                   "those places were not checked by it", err=True)


def warn_unknown_disabled(config: Config, extra: list[Rule]) -> None:
    """Say on stderr which ids the configuration's ``disable`` lists that name no rule: a typo disables nothing."""
    known = {r.id for r in [*(default_rules() if config.use_default_rules else []), *config.extra_rules, *extra]}
    for rule_id in sorted(config.disabled - known):
        click.echo(f"veil: warning: {config.path}: disable names no rule {rule_id!r}; it disables nothing", err=True)


def finish(outcome: ScanOutcome, rules: RuleSet, fmt: str, output: str | None, show_secrets: bool) -> None:
    """Warn about skips, write the report, and exit: 0 clean, 1 findings, 2 errors."""
    warn_skips(outcome)
    color = fmt == "text" and not output and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    write_report(render(fmt, outcome, rules, ReportOptions(show_secrets, color)), output)
    if outcome.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if outcome.findings else EXIT_CLEAN)
