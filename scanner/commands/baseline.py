"""``veil baseline create`` and ``veil baseline update``: accept today's findings."""

from __future__ import annotations

import click

from .common import finish, guard, output_folder_exists
from .scan import run_scan, scan_options
from .suppression import accept_findings, previous_baseline

DEFAULT_BASELINE = ".veil-baseline.json"


@click.group()
def baseline() -> None:
    """Record accepted findings so that `veil scan --baseline` reports only new ones."""


def _write(ctx: click.Context, paths: tuple[str, ...], target: str, previous: dict[str, dict]) -> None:
    outcome, rules = run_scan(ctx, paths)
    accept_findings(outcome, target, previous)
    finish(outcome, rules, "text", None, False)  # only when the scan had errors: report them, exit 2


@baseline.command("create")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", default=DEFAULT_BASELINE, show_default=True, type=click.Path(dir_okay=False),
              callback=output_folder_exists)
@scan_options
@click.pass_context
@guard
def create(ctx: click.Context, paths, output, **_options) -> None:
    """Scan PATHS and accept every finding. The file holds hashes, never secrets."""
    _write(ctx, paths, output, {})


@baseline.command("update")
@click.argument("paths", nargs=-1, required=True)
@click.option("-b", "--baseline", "baseline_path", default=DEFAULT_BASELINE, show_default=True,
              type=click.Path(dir_okay=False))
@scan_options
@click.pass_context
@guard
def update(ctx: click.Context, paths, baseline_path, **_options) -> None:
    """Scan PATHS again: add new findings to the baseline, drop the ones that are gone."""
    _write(ctx, paths, baseline_path, previous_baseline(baseline_path))
