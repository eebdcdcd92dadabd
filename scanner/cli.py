"""The ``veil`` command line: one group, a subcommand per door."""

from __future__ import annotations

import click

from . import __version__
from .commands.baseline import baseline
from .commands.config import config_group
from .commands.git import git, install_hook
from .commands.image import image
from .commands.rules import rules
from .commands.scan import scan
from .commands.trace import trace
from .redact.cli import export_group, redact_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="veil")
def main() -> None:
    """Veil finds secrets where they leak and masks them at egress."""


main.add_command(scan)
main.add_command(rules)
main.add_command(baseline)
main.add_command(config_group)
main.add_command(git)
main.add_command(install_hook)
main.add_command(image)
main.add_command(trace)
main.add_command(redact_command)
main.add_command(export_group)
