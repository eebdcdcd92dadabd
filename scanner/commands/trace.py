"""``veil trace``: AI-agent traces and logs (JSON, JSON Lines, OTLP JSON); ``--redact`` writes a masked copy."""

from __future__ import annotations

import os
import sys

import click

from ..redact.core import Redactor
from ..redact.trace import redact_bytes
from ..sources.compress import BombError
from ..sources.trace import TraceOptions, read_trace, scan_traces
from ..sources.trace.walk import MAX_DEPTH
from .common import EXIT_ERROR, finish, guard, report_options, write_report
from .masking import masking_options, redactor_from
from .suppression import accept_findings, resolve_suppression, source_options

_MASKING = ("known_values_from_env", "env_names", "known_values_file", "mask")


@click.command()
@click.argument("files", nargs=-1, required=True)
@report_options
@source_options("at or above the current directory", data=True)
@click.option("--max-depth", type=click.IntRange(min=0), default=MAX_DEPTH, show_default=True,
              help="How many levels of JSON-inside-a-string to decode.")
@click.option("--redact", is_flag=True,
              help="Write a copy of FILE with every secret masked to --output (or stdout), instead of a report.")
@masking_options
@click.pass_context
@guard
def trace(ctx: click.Context, files, redact, update_baseline, **_options) -> None:
    """Scan agent traces and logs: every JSON string, JSON encoded in strings too.

    FILE is JSON, JSON Lines or OpenTelemetry OTLP JSON (traces or logs), plain or compressed;
    - reads standard input; a directory, every *.json, *.jsonl and *.ndjson file under it. Findings
    name the JSON path, the JSON Lines record, and the message or tool call that leaked
    (OpenTelemetry GenAI, LangSmith, OpenAI, MCP). Allowlists and baselines match FILE as given;
    --redact masks every secret the configured rules find, and known values, as `veil redact` does.

    Exit status: 0 nothing found, 1 findings, 2 error (something named could not be fully scanned).
    With --redact: 0 once the copy is written.
    """
    if redact and update_baseline:
        raise click.UsageError("--redact writes a masked copy, not a report: --update-baseline does not apply")
    rules, suppressor = resolve_suppression(ctx, ".", [f for f in files if f != "-"])
    p = ctx.params
    options = TraceOptions(jobs=p["jobs"], engine=p["engine"], max_depth=p["max_depth"], suppressor=suppressor)
    if redact:
        masker = redactor_from(rules, p["engine"], p["known_values_from_env"], p["env_names"], p["known_values_file"],
                               p["mask"])
        _redact(files, p["output"], masker, options)
        return
    given = [f"--{name.replace('_', '-')}" for name in _MASKING if ctx.get_parameter_source(name)
             is not click.core.ParameterSource.DEFAULT]
    if given:
        raise click.UsageError(f"{', '.join(given)}: masking options apply only with --redact")
    outcome = scan_traces(files, rules, options)
    if update_baseline:
        accept_findings(outcome, update_baseline)
    finish(outcome, rules, p["fmt"], p["output"], p["show_secrets"])


def _redact(files: tuple[str, ...], output: str | None, masker: Redactor, options: TraceOptions) -> None:
    if len(files) != 1:
        raise click.UsageError("--redact takes exactly one FILE")
    path = files[0]
    if path != "-" and not os.path.isfile(path):
        problem = "a directory: --redact masks one file" if os.path.isdir(path) else "no such file"
        click.echo(f"veil: error: {path}: {problem}", err=True)
        sys.exit(EXIT_ERROR)
    try:
        data, damage = read_trace(path, options.limits)
    except (OSError, BombError) as exc:
        click.echo(f"veil: error: {path}: {getattr(exc, 'strerror', None) or exc}; nothing written", err=True)
        sys.exit(EXIT_ERROR)
    result = redact_bytes(masker, data, options.max_depth)
    for line in result.broken_lines:
        click.echo(f"veil: warning: {path}: line {line} is not JSON; masked as plain text", err=True)
    if result.unmasked:
        click.echo(f"veil: warning: {path}: {result.unmasked} secret(s) in JSON keys were left in place", err=True)
    write_report(result.data, output)
    rules_used = ", ".join(f"{n} {rule}" for rule, n in sorted(result.masked.items()))
    where = f" → {output}" if output else ""
    click.echo(f"veil: masked {result.count} secret{'s' * (result.count != 1)} in {path}{where}"
               + (f" ({rules_used})" if rules_used else ""), err=True)
    if damage:
        click.echo(f"veil: error: {path}: {damage}; only the {len(data)} bytes before it were copied", err=True)
        sys.exit(EXIT_ERROR)
