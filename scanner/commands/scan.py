"""``veil scan``: files, directories and standard input — and the scan options other commands share."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import click

from ..config import find_config
from ..outcome import ScanOutcome
from ..progress import ProgressLine
from ..ruleset import RuleSet
from ..scan import ScanOptions, scan_paths, scan_stdin
from ..sources.files import WalkOptions
from .common import engine_options, finish, guard, jobs_option, max_file_size_option, report_options, stack
from .suppression import baseline_option, config_option, inline_option, resolve_suppression

scan_options: Callable = stack([
    engine_options,
    config_option("at or above the scanned path"),
    jobs_option,
    max_file_size_option("files"),
    click.option("--respect-gitignore", is_flag=True, help="Skip files git ignores (scanned by default)."),
    click.option("--all", "scan_all", is_flag=True, help="Also scan .git/, dependency and cache folders."),
    click.option("--exclude-dir", multiple=True, metavar="NAME|PATH/",
                 help="Another folder to skip (repeatable): a NAME anywhere, or a PATH/ (with a slash) from the "
                      "current directory (in a configuration's [scan] table: from its folder). Always skipped: "
                      ".git, dependency, cache and virtualenv folders, *.egg-info, setuptools' build/."),
    inline_option,
])
"""The options of every command that scans paths: pass ``ctx.params`` to :func:`run_scan`."""


def run_scan(ctx: click.Context, paths: tuple[str, ...]) -> tuple[ScanOutcome, RuleSet]:
    """Find the configuration, apply it, and scan ``paths`` (``-`` is standard input).

    A ``baseline_file`` parameter, when the command has one, hides the findings it accepted.
    """
    files = [path for path in paths if path != "-"]
    rules, suppressor = resolve_suppression(ctx, next(iter(files), "."), files)
    p = ctx.params
    options = ScanOptions(
        jobs=p["jobs"], max_file_size=p["max_file_size"], engine=p["engine"],
        walk=WalkOptions.excluding(p["exclude_dir"], _exclusion_base(ctx, files), p["scan_all"],
                                   p["respect_gitignore"]),
        suppressor=suppressor,
    )
    outcome = ScanOutcome()
    if "-" in paths:
        data = sys.stdin.buffer.read()
        outcome.add(scan_stdin(data, rules, options))
    if files:
        progress = ProgressLine()
        try:
            outcome.add(scan_paths(files, rules, options, progress))
        finally:
            progress.close()
    return outcome, rules


def _exclusion_base(ctx: click.Context, files: list[str]) -> str:
    """Where an ``--exclude-dir`` PATH/ starts: the configuration's folder when the setting came from its
    ``[scan]`` table, else the current directory."""
    if ctx.get_parameter_source("exclude_dir") is click.core.ParameterSource.DEFAULT:
        config = ctx.params["config_file"] or find_config(next(iter(files), "."))
        if config:
            return os.path.dirname(os.path.abspath(config))
    return os.getcwd()


@click.command()
@click.argument("paths", nargs=-1)
@report_options
@scan_options
@baseline_option
@click.pass_context
@guard
def scan(ctx: click.Context, paths, fmt, output, show_secrets, baseline_file, **_options) -> None:
    """Scan files, directories, or standard input (-) for secrets; no PATHS: the current directory.

    Exit status: 0 nothing found, 1 findings, 2 error (something named could not be fully scanned).
    """
    outcome, rules = run_scan(ctx, paths or (".",))
    finish(outcome, rules, ctx.params["fmt"], ctx.params["output"], ctx.params["show_secrets"])
