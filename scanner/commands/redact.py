"""``veil redact``: a stdin→stdout masking stage for any log pipeline."""

from __future__ import annotations

import os
import sys

import click

from ..prefilter import BACKENDS
from ..redact.pump import Writer, pump
from ..redact.stream import DEFAULT_MAX_HOLD, ByteStreamRedactor
from .base import EXIT_CLEAN, EXIT_ERROR, guard, load_rules
from .masking import masking_options, redactor_from

DEFAULT_MAX_HOLD_SECONDS = 1.0


@click.command("redact")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--jsonl", is_flag=True, help="Each line is JSON: mask inside string values, keep every line valid JSON.")
@masking_options
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra rule file in Veil's TOML format (repeatable).")
@click.option("--engine", type=click.Choice(BACKENDS), help="Keyword prefilter (default: hyperscan if installed).")
@click.option("--max-hold", type=click.FloatRange(min=0), default=DEFAULT_MAX_HOLD_SECONDS, show_default=True,
              metavar="SECONDS",
              help="Longest time a complete line is held back (while a -----BEGIN block waits for its END line); "
                   "an open private-key block is then released with its base64 body masked.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes that mask big blocks of a backlog side by side (on 2 cores one was faster).")
@guard
def redact_command(files, jsonl, known_values_from_env, env_names, known_values_file, mask, rule_files,
                   engine, max_hold, jobs) -> None:
    """Mask secrets in FILES (default: standard input) and write the text to standard output.

    Line-buffered: each line is written as soon as it is complete (a line inside a -----BEGIN block
    waits for the block's END, at most --max-hold seconds). Bytes that are not valid UTF-8
    pass through unchanged, and no line is ever dropped. For any log pipeline:
    `kubectl logs -f pod | veil redact`.
    """
    redactor = redactor_from(load_rules(rule_files), engine, known_values_from_env, env_names, known_values_file,
                             mask)
    out = sys.stdout.buffer
    failed = False
    if not hasattr(os, "fork"):
        jobs = 1  # workers inherit the compiled rules by fork; elsewhere mask in this process
    for name in files or ("-",):
        writer = Writer(ByteStreamRedactor(redactor, jsonl=jsonl, max_hold=DEFAULT_MAX_HOLD * 16), out, jobs)
        try:
            if name == "-":
                pump(sys.stdin.buffer, writer, max_hold)
                continue
            with open(name, "rb") as handle:
                pump(handle, writer, max_hold)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            click.echo(f"veil: error: {name}: {exc.strerror}", err=True)
            failed = True
        finally:
            writer.close()
    sys.exit(EXIT_ERROR if failed else EXIT_CLEAN)
