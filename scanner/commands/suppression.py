"""Living with findings, the same for every scanning command: ``--config`` (or the nearest configuration),
its ``[scan]`` defaults, rules and allowlists, ``.veilignore``, ``--baseline``, ``--update-baseline``, and
inline ``veil:allow`` markers (``--no-inline-allow``; in data such as traces, only with ``--inline-allow``).

Fingerprints (hence ``.veilignore`` and baselines) hash a finding's path from its *root*: the git work
tree holding the scanned path, else the nearest folder above it with a ``.veilignore`` or a configuration,
else the scanned folder (a scanned file's folder). So ``veil scan .``, ``veil scan $PWD`` and ``veil scan
sub`` agree, whatever the directory Veil runs from.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import click

from ..baseline import FORMAT_VERSION, OutdatedBaseline, baseline_document, load_baseline
from ..config import Config, find_config, find_ignore_file, read_fingerprints, resolve_config
from ..outcome import ScanOutcome
from ..ruleset import RuleSet, load_file
from ..suppress import Suppressor
from .common import (
    EXIT_CLEAN,
    at_least,
    engine_options,
    jobs_option,
    max_file_size_option,
    output_folder_exists,
    stack,
    warn_skips,
    warn_unknown_disabled,
    write_report,
)


def config_option(where: str) -> Callable:
    """``-c/--config``; ``where`` says where the default one is looked for."""
    return click.option("-c", "--config", "config_file", type=click.Path(exists=True, dir_okay=False),
                        help="Configuration file (default: the nearest veil.toml, .veil.toml, pyproject.toml "
                             f"[tool.veil] or .gitleaks.toml {where}).")


inline_option = click.option("--no-inline-allow", is_flag=True, help="Ignore veil:allow / gitleaks:allow comments.")
data_inline_option = click.option(
    "--inline-allow", is_flag=True,
    help="Honour veil:allow / gitleaks:allow markers in the scanned text. Off by default: the text is data "
         "(a prompt, a tool's output), and data must not be able to hide its own secrets.",
)
baseline_option = click.option("-b", "--baseline", "baseline_file", type=click.Path(dir_okay=False),
                               help="Report only findings not accepted in this baseline file.")
update_baseline_option = click.option(
    "--update-baseline", "update_baseline", type=click.Path(dir_okay=False), metavar="FILE",
    callback=output_folder_exists,
    help="Accept every finding: write them (hashed) to this baseline file, keeping the dates of entries "
         "already there, and exit 0.",
)


def suppression_options(where: str, data: bool = False) -> Callable:
    """``--config``, ``--baseline``, ``--update-baseline``, and ``--no-inline-allow`` (``--inline-allow`` when
    the scanned text is ``data``): see :func:`resolve_suppression` and :func:`accept_findings`."""
    return stack([config_option(where), baseline_option, update_baseline_option,
                  data_inline_option if data else inline_option])


def source_options(where: str, skipped: str | None = None, data: bool = False) -> Callable:
    """The options of ``veil git``, ``image`` and ``trace``: engine, :func:`suppression_options`, ``--jobs``,
    and ``--max-file-size`` when ``skipped`` names what it skips."""
    sizes = [max_file_size_option(skipped)] if skipped else []
    return stack([engine_options, suppression_options(where, data), jobs_option, *sizes])


def fingerprint_roots(paths: Iterable[str]) -> tuple[str, ...]:
    """The real folders the fingerprinted paths of findings under ``paths`` start from: for each path,
    the git work tree holding it (the nearest folder with a ``.git``), else the folder of the nearest
    ``.veilignore`` or configuration above it (the project's), else the path itself (a file's folder)."""
    roots = set()
    for path in paths:
        folder = Path(os.path.realpath(path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))))
        tree = next((f for f in (folder, *folder.parents) if os.path.lexists(f / ".git")), None)
        project = [found.parent for found in (find_ignore_file(folder), find_config(folder)) if found]
        roots.add(str(tree or max(project, key=lambda f: len(f.parts), default=folder)))
    return tuple(sorted(roots))


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
            if isinstance(param.type, click.Path) and config.path is not None:
                value = _from_folder(config.path.parent, value)
            try:
                converted = param.type_cast_value(ctx, value)
                ctx.params[name] = param.callback(ctx, param, converted) if param.callback else converted
            except click.BadParameter as exc:
                raise click.UsageError(f"{config.path}: [scan] {key}: {exc.message}") from None


def _from_folder(folder: Path, value: str | list[str]) -> str | list[str]:
    """A path setting (or a list of them) read from a configuration in ``folder``: relative to it."""
    if isinstance(value, list):
        return [str(folder / v) for v in value]
    return str(folder / value)


def resolve_suppression(ctx: click.Context, start: str, scanned: Iterable[str] = ()) -> tuple[RuleSet, Suppressor]:
    """The rules to run and what to drop of their findings, from ``ctx.params`` and the configuration.

    The configuration is ``--config`` or the nearest one at or above ``start`` (so is ``.veilignore``);
    its ``[scan]`` table fills the flags not given (read ``ctx.params`` afterwards), its notes and warnings
    go to stderr. ``--update-baseline`` reads no baseline: every current finding is to be accepted.
    Findings in the files or folders ``scanned`` are fingerprinted from their roots (:func:`fingerprint_roots`);
    other paths (inside an image, a repository's history) as they are.
    """
    config = resolve_config(ctx.params["config_file"], start)
    apply_defaults(ctx, config)
    for note in config.notes:
        click.echo(f"veil: note: {note}", err=True)
    for warning in config.warnings:
        click.echo(f"veil: warning: {warning}", err=True)
    p = ctx.params
    extra = [r for f in p["rule_files"] for r in load_file(f)]
    warn_unknown_disabled(config, extra)
    rules = at_least(config.ruleset(extra), p["min_confidence"])
    ignore_file = find_ignore_file(start)
    reading = p.get("baseline_file") and not p.get("update_baseline")
    baseline = frozenset(load_baseline(p["baseline_file"])) if reading else frozenset()
    suppressor = config.suppressor(read_fingerprints(ignore_file) if ignore_file else frozenset(), baseline)
    inline = p["inline_allow"] if "inline_allow" in p else not p["no_inline_allow"]
    return rules, replace(suppressor, inline=inline, roots=fingerprint_roots(scanned))


def accept_findings(outcome: ScanOutcome, target: str, previous: dict[str, dict] | None = None) -> None:
    """Write every finding to the baseline ``target`` and exit 0; ``previous`` entries (by default
    those already in ``target``) keep their dates. A scan with errors writes nothing and returns, for
    :func:`finish` to report them."""
    if outcome.errors:
        return
    warn_skips(outcome)
    if previous is None:
        previous = previous_baseline(target) if os.path.exists(target) else {}
    write_report(baseline_document(outcome.findings, previous), target, "the baseline")
    kept = sum(1 for f in outcome.findings if f.fingerprint in previous)
    click.echo(f"veil: {target}: {len(outcome.findings)} findings accepted ({len(outcome.findings) - kept} new, "
               f"{kept} kept, {len(previous) - kept} gone)", err=True)
    sys.exit(EXIT_CLEAN)


def previous_baseline(path: str) -> dict[str, dict]:
    """The entries of the baseline ``path`` that is about to be rewritten; none (said on stderr) when an
    older Veil wrote it, so that rewriting it upgrades it."""
    try:
        return load_baseline(path)
    except OutdatedBaseline:
        click.echo(f"veil: note: {path}: written by an older Veil; rewriting it in baseline format {FORMAT_VERSION}: "
                   "every finding is accepted again as of today", err=True)
        return {}
