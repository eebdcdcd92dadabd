"""``veil export``: Veil's rules as configuration for other tools (the OpenTelemetry Collector)."""

from __future__ import annotations

import click

from ..redact.otelcol import PROCESSORS, render
from .base import guard, load_rules, output_folder_exists, write_report


@click.group("export")
def export_group() -> None:
    """Export Veil's rules as configuration for other tools."""


@export_group.command("otelcol")
@click.option("--processor", type=click.Choice(PROCESSORS), default="transform", show_default=True,
              help="transform: OTTL statements that keep the text around each secret (attributes, span names, "
                   "status messages, log bodies); redaction: the redaction processor's blocked_values.")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), callback=output_folder_exists,
              help="Write here, not to stdout.")
@guard
def export_otelcol(processor, rule_files, output) -> None:
    """Write an OpenTelemetry Collector processor configuration (YAML) from the rule set."""
    write_report(render(load_rules(rule_files), processor), output, "the configuration")
