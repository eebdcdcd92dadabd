"""Living with findings, the same for every scanning command: ``--config`` (or the nearest configuration),
its ``[scan]`` defaults, rules and allowlists, ``.veilignore``, ``--baseline``, ``--update-baseline``, and
inline ``veil:allow`` markers (``--no-inline-allow``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

from ..baseline import baseline_document, load_baseline
from ..config import Config, find_ignore_file, read_fingerprints, resolve_config
from ..ruleset import RuleSet, load_file
from ..scan import ScanOutcome
from ..suppress import Suppressor
from .common import (
    EXIT_CLEAN,
    at_least,
    engine_options,
    jobs_option,
    max_file_size_option,
    stack,
    warn_skips,
    warn_unknown_disabled,
)


def config_option(where: str) -> Callable:
    """``-c/--config``; ``where`` says where the default one is looked for."""
    return click.option("-c", "--config", "config_file", type=click.Path(exists=True, dir_okay=False),
                        help="Configuration file (default: the nearest veil.toml, .veil.toml, pyproject.toml "
                             f"[tool.veil] or .gitleaks.toml {where}).")


inline_option = click.option("--no-inline-allow", is_flag=True, help="Ignore veil:allow / gitleaks:allow comments.")
baseline_option = click.option("-b", "--baseline", "baseline_file", type=click.Path(dir_okay=False),
                               help="Report only findings not accepted in this baseline file.")
update_baseline_option = click.option(
    "--update-baseline", "update_baseline", type=click.Path(dir_okay=False), metavar="FILE",
    help="Accept every finding: write them (hashed) to this baseline file, keeping the dates of entries "
         "already there, and exit 0.",
)


def suppression_options(where: str) -> Callable:
    """``--config``, ``--baseline``, ``--update-baseline``, ``--no-inline-allow``: see :func:`resolve_suppression`
    and :func:`accept_findings`."""
    return stack([config_option(where), baseline_option, update_baseline_option, inline_option])


def source_options(where: str, skipped: str | None = None) -> Callable:
    """The options of ``veil git``, ``image`` and ``trace``: engine, :func:`suppression_options`, ``--jobs``,
    and ``--max-file-size`` when ``skipped`` names what it skips."""
    sizes = [max_file_size_option(skipped)] if skipped else []
    return stack([engine_options, suppression_options(where), jobs_option, *sizes])


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


def resolve_suppression(ctx: click.Context, start: str) -> tuple[RuleSet, Suppressor]:
    """The rules to run and what to drop of their findings, from ``ctx.params`` and the configuration.

    The configuration is ``--config`` or the nearest one at or above ``start`` (so is ``.veilignore``);
    its ``[scan]`` table fills the flags not given (read ``ctx.params`` afterwards), its notes go to stderr.
    ``--update-baseline`` reads no baseline: every current finding is to be accepted.
    """
    config = resolve_config(ctx.params["config_file"], start)
    apply_defaults(ctx, config)
    for note in config.notes:
        click.echo(f"veil: note: {note}", err=True)
    p = ctx.params
    extra = [r for f in p["rule_files"] for r in load_file(f)]
    warn_unknown_disabled(config, extra)
    rules = at_least(config.ruleset(extra), p["min_confidence"])
    ignore_file = find_ignore_file(start)
    reading = p.get("baseline_file") and not p.get("update_baseline")
    baseline = frozenset(load_baseline(p["baseline_file"])) if reading else frozenset()
    suppressor = config.suppressor(read_fingerprints(ignore_file) if ignore_file else frozenset(), baseline)
    return rules, replace(suppressor, inline=not p["no_inline_allow"])


def accept_findings(outcome: ScanOutcome, target: str, previous: dict[str, dict] | None = None) -> None:
    """Write every finding to the baseline ``target`` and exit 0; ``previous`` entries (by default
    those already in ``target``) keep their dates. A scan with errors writes nothing and returns, for
    :func:`finish` to report them."""
    if outcome.errors:
        return
    warn_skips(outcome)
    if previous is None:
        previous = load_baseline(target) if os.path.exists(target) else {}
    Path(target).write_bytes(baseline_document(outcome.findings, previous))
    kept = sum(1 for f in outcome.findings if f.fingerprint in previous)
    click.echo(f"veil: {target}: {len(outcome.findings)} findings accepted ({len(outcome.findings) - kept} new, "
               f"{kept} kept, {len(previous) - kept} gone)", err=True)
    sys.exit(EXIT_CLEAN)
