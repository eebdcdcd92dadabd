"""The ``veil`` command line: one group, a subcommand per door, each imported only when it runs."""

from __future__ import annotations

import importlib

import click

from . import __version__

# name -> (module, attribute). A log-pipeline stage or a pre-commit hook starts many times a day:
# it should not pay for importing every other door.
COMMANDS = {
    "scan": ("scanner.commands.scan", "scan"),
    "rules": ("scanner.commands.rules", "rules"),
    "baseline": ("scanner.commands.baseline", "baseline"),
    "config": ("scanner.commands.config", "config_group"),
    "git": ("scanner.commands.git", "git"),
    "install-hook": ("scanner.commands.git", "install_hook"),
    "image": ("scanner.commands.image", "image"),
    "trace": ("scanner.commands.trace", "trace"),
    "redact": ("scanner.commands.redact", "redact_command"),
    "export": ("scanner.commands.export", "export_group"),
    "scan-many": ("scanner.commands.scan_many", "scan_many"),
    "redact-lake": ("scanner.commands.redact_lake", "redact_lake"),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="veil")
def main() -> None:
    """Veil finds secrets where they leak and masks them at egress."""
