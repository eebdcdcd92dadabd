"""``veil scan``: files, directories and standard input — and the scan options other commands share."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import replace

import click

from ..baseline import load_baseline
from ..config import Config, find_ignore_file, read_fingerprints, resolve_config
from ..engine import Engine
from ..progress import ProgressLine
from ..ruleset import RuleSet, load_file
from ..scan import DEFAULT_MAX_FILE_SIZE, ScanOptions, ScanOutcome, scan_bytes, scan_paths
from ..sources.files import DEFAULT_EXCLUDED_DIRS, WalkOptions
from .common import at_least, engine_options, finish, guard, parse_size, report_options, stack


def apply_defaults(ctx: click.Context, config: Config) -> None:
    """Flags the user did not give take their value from the configuration's ``[scan]`` table."""
    known = {opt.lstrip("-").replace("-", "_"): p for p in ctx.command.params for opt in p.opts if opt.startswith("--")}
    for key, value in config.defaults.items():
        param = known.get(key)
        if param is None or param.name is None:
            if ctx.command.name == "scan":  # every setting belongs to some option of `veil scan`
                raise click.UsageError(f"{config.path}: [scan] has no setting {key!r}")
            continue
        name = param.name
        if ctx.get_parameter_source(name) is click.core.ParameterSource.DEFAULT:
            try:
                converted = param.type_cast_value(ctx, value)
            except click.BadParameter as exc:
                raise click.UsageError(f"{config.path}: [scan] {key}: {exc.message}") from None
            ctx.params[name] = param.callback(ctx, param, converted) if param.callback else converted


scan_options: Callable = stack([
    engine_options,
    click.option("-c", "--config", "config_file", type=click.Path(exists=True, dir_okay=False),
                 help="Configuration file (default: nearest veil.toml, .veil.toml, pyproject.toml "
                      "[tool.veil] or .gitleaks.toml above the scanned path)."),
    click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="all cores"),
    click.option("--max-file-size", default=str(DEFAULT_MAX_FILE_SIZE), callback=parse_size,
                 help="Skip larger files (e.g. 500KB, 10MB).  [default: 10MB]"),
    click.option("--respect-gitignore", is_flag=True, help="Skip files git ignores (scanned by default)."),
    click.option("--all", "scan_all", is_flag=True, help="Also scan .git/, dependency and cache folders."),
    click.option("--exclude-dir", multiple=True, metavar="NAME", help="Another folder name to skip (repeatable)."),
    click.option("--no-inline-allow", is_flag=True, help="Ignore veil:allow / gitleaks:allow comments."),
])
"""The options of every command that scans paths: pass ``ctx.params`` to :func:`run_scan`."""


def run_scan(ctx: click.Context, paths: tuple[str, ...]) -> tuple[ScanOutcome, RuleSet]:
    """Find the configuration, apply it, and scan ``paths`` (``-`` is standard input).

    A ``baseline_file`` parameter, when the command has one, hides the findings it accepted.
    """
    start = next((p for p in paths if p != "-"), ".")
    config = resolve_config(ctx.params["config_file"], start)
    apply_defaults(ctx, config)
    for note in config.notes:
        click.echo(f"veil: note: {note}", err=True)
    p = ctx.params
    rules = at_least(config.ruleset([r for f in p["rule_files"] for r in load_file(f)]), p["min_confidence"])
    ignore_file = find_ignore_file(start)
    baseline = frozenset(load_baseline(p["baseline_file"])) if p.get("baseline_file") else frozenset()
    suppressor = replace(
        config.suppressor(read_fingerprints(ignore_file) if ignore_file else frozenset(), baseline),
        inline=not p["no_inline_allow"],
    )
    options = ScanOptions(
        jobs=p["jobs"], max_file_size=p["max_file_size"], engine=p["engine"],
        walk=WalkOptions(p["scan_all"], DEFAULT_EXCLUDED_DIRS | frozenset(p["exclude_dir"]), p["respect_gitignore"]),
        suppressor=suppressor,
    )
    outcome = ScanOutcome()
    if "-" in paths:
        data = sys.stdin.buffer.read()
        outcome.add(scan_bytes(Engine(rules, options.engine), data, "<stdin>", None, suppressor))
    files = [path for path in paths if path != "-"]
    if files:
        progress = ProgressLine()
        try:
            outcome.add(scan_paths(files, rules, options, progress))
        finally:
            progress.close()
    return outcome, rules


@click.command()
@click.argument("paths", nargs=-1, required=True)
@report_options
@scan_options
@click.option("-b", "--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Report only findings not accepted in this baseline file.")
@click.pass_context
@guard
def scan(ctx: click.Context, paths, fmt, output, show_secrets, baseline_file, **_options) -> None:
    """Scan files, directories, or standard input (-) for secrets.

    Exit status: 0 nothing found, 1 findings, 2 error.
    """
    outcome, rules = run_scan(ctx, paths)
    finish(outcome, rules, ctx.params["fmt"], ctx.params["output"], ctx.params["show_secrets"])
