"""``veil config show``: the effective configuration."""

from __future__ import annotations

import click
import orjson

from ..config import resolve_config
from .common import guard


@click.group("config")
def config_group() -> None:
    """Inspect Veil's configuration."""


@config_group.command("show")
@click.argument("path", default=".", type=click.Path(exists=True))
@click.option("-c", "--config", "config_file", type=click.Path(exists=True, dir_okay=False))
@guard
def show(path: str, config_file: str | None) -> None:
    """Print the configuration that applies to PATH (JSON), and how many rules run."""
    config = resolve_config(config_file, path)
    doc = config.describe()
    doc["rules"] = len(config.ruleset())
    click.echo(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode())
