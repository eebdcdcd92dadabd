"""The ``veil`` command line: scan, rules."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from functools import wraps

import click
import regex

from . import __version__
from .engine import Engine
from .prefilter import BACKENDS
from .progress import ProgressLine
from .report import FORMATS, ReportOptions, render
from .ruleset import RuleError, RuleSet, default_rules, load_file
from .ruletest import check_rule
from .scan import DEFAULT_MAX_FILE_SIZE, ScanOptions, ScanOutcome, scan_bytes, scan_paths
from .sources.files import DEFAULT_EXCLUDED_DIRS, WalkOptions

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
NOISY_SKIPS = ("unreadable", "symlink", "timeout", "missing")
_SIZE = regex.compile(r"(?i)^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$")
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def _parse_size(_ctx: click.Context, _param: click.Parameter, value: str | int) -> int:
    if isinstance(value, int):
        return value
    m = _SIZE.match(value)
    if not m:
        raise click.BadParameter(f"{value!r} is not a size such as 500KB, 10MB or 1GB")
    return int(float(m.group(1)) * _UNITS[(m.group(2) or "").lower()[:1]])


def _guard(command: Callable) -> Callable:
    """Turn an unexpected exception into exit code 2 without printing data that may hold a secret."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except RuleError as exc:
            click.echo(f"veil: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if os.environ.get("VEIL_DEBUG"):
                traceback.print_exc()
            click.echo(f"veil: internal error ({type(exc).__name__}); set VEIL_DEBUG=1 for details", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper


def _load_rules(extra: tuple[str, ...]) -> RuleSet:
    rules = default_rules()
    for path in extra:
        rules.extend(load_file(path))
    return RuleSet(rules)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="veil")
def main() -> None:
    """Veil finds secrets where they leak and masks them at egress."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here, not to stdout.")
@click.option("--show-secrets", is_flag=True, help="Print secrets in clear (masked by default).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="all cores")
@click.option("--engine", type=click.Choice(BACKENDS), help="Keyword prefilter (default: hyperscan if installed).")
@click.option("--max-file-size", default=str(DEFAULT_MAX_FILE_SIZE), callback=_parse_size,
              help="Skip larger files (e.g. 500KB, 10MB).  [default: 10MB]")
@click.option("--respect-gitignore", is_flag=True, help="Skip files git ignores (scanned by default).")
@click.option("--all", "scan_all", is_flag=True, help="Also scan .git/, dependency and cache folders.")
@click.option("--exclude-dir", multiple=True, metavar="NAME", help="Another folder name to skip (repeatable).")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra rule file in Veil's TOML format (repeatable).")
@_guard
def scan(paths, fmt, output, show_secrets, jobs, engine, max_file_size, respect_gitignore, scan_all,
         exclude_dir, rule_files) -> None:
    """Scan files, directories, or standard input (-) for secrets.

    Exit status: 0 nothing found, 1 findings, 2 error.
    """
    rules = _load_rules(rule_files)
    options = ScanOptions(
        jobs=jobs, max_file_size=max_file_size, engine=engine,
        walk=WalkOptions(scan_all, DEFAULT_EXCLUDED_DIRS | frozenset(exclude_dir), respect_gitignore),
    )
    outcome = ScanOutcome()
    files = [p for p in paths if p != "-"]
    if "-" in paths:
        outcome.add(scan_bytes(Engine(rules, engine), sys.stdin.buffer.read(), "<stdin>"))
    if files:
        progress = ProgressLine()
        try:
            outcome.add(scan_paths(files, rules, options, progress))
        finally:
            progress.close()
    for skip in outcome.skipped:
        if skip.kind in NOISY_SKIPS:
            click.echo(f"veil: {'error' if skip.kind == 'missing' else 'warning'}: {skip.path}: {skip.reason}",
                       err=True)
    color = fmt == "text" and not output and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    report = render(fmt, outcome, rules, ReportOptions(show_secrets, color))
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(report)
    else:
        click.echo(report, nl=False)
    if outcome.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if outcome.findings else EXIT_CLEAN)


@main.group()
def rules() -> None:
    """List the rules, or check a rule file against its own examples."""


@rules.command("list")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False))
@_guard
def rules_list(rule_files) -> None:
    """List every rule: id, confidence, tags, description."""
    ruleset = _load_rules(rule_files)
    width = max(len(r.id) for r in ruleset)
    for r in ruleset:
        click.echo(f"{r.id:<{width}}  {r.confidence:<6}  {','.join(r.tags):<24}  {r.description}")
    click.echo(f"{len(ruleset)} rules", err=True)


@rules.command("test")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--engine", type=click.Choice(BACKENDS))
@_guard
def rules_test(files, engine) -> None:
    """Check every example of the rules in FILES (default: the built-in rules).

    Exit status: 0 all examples pass, 1 some fail, 2 a file does not load.
    """
    ruleset = [r for f in files for r in load_file(f)] if files else default_rules()
    RuleSet(ruleset)  # ids must be unique
    failed = 0
    for rule in ruleset:
        failures = check_rule(rule, engine)
        untested = not rule.positives
        if failures or untested:
            failed += 1
            click.echo(f"FAIL {rule.id} ({rule.source})")
            if untested:
                click.echo("     no positive examples")
        for failure in failures:
            click.echo(f"     {failure.kind} example {failure.text!r}: {failure.problem}")
        if not failures and not untested:
            click.echo(f"ok   {rule.id} ({len(rule.positives)} positive, {len(rule.negatives)} negative)")
    click.echo(f"{len(ruleset) - failed} of {len(ruleset)} rules pass their examples")
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)
