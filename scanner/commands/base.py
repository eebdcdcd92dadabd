"""What every command shares and a log-pipeline stage can import cheaply: exit codes, error
handling, writing output, rule loading (no report or scan machinery)."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterable
from functools import wraps

import click

from ..errors import VeilError
from ..ruleset import CONFIDENCE_LEVELS, Rule, RuleSet, default_rules, load_file

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def guard(command: Callable) -> Callable:
    """Turn an unexpected exception into exit code 2 without printing data that may hold a secret."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # `veil … | head`: the reader left; exit quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
            sys.exit(0)
        except VeilError as exc:  # a user's error, with a message naming what is at fault
            click.echo(f"veil: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if os.environ.get("VEIL_DEBUG"):
                traceback.print_exc()
            click.echo(f"veil: internal error ({type(exc).__name__}); set VEIL_DEBUG=1 for details", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper


def stack(options: list[Callable]) -> Callable:
    """Several click decorators as one."""

    def decorate(command: Callable) -> Callable:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def load_rules(extra: tuple[str, ...] = (), min_confidence: str = "low") -> RuleSet:
    """The built-in rules plus the user's rule files, down to ``min_confidence``."""
    rules = default_rules()
    for path in extra:
        rules.extend(load_file(path))
    return at_least(rules, min_confidence)


def at_least(rules: Iterable[Rule], min_confidence: str) -> RuleSet:
    """The rules of confidence ``min_confidence`` or higher.

    Dropped before the scan, not after: fewer rules run. The findings are the same as filtering
    afterwards, since where secrets overlap the most confident rule wins anyway.
    """
    floor = CONFIDENCE_LEVELS.index(min_confidence)
    return RuleSet(r for r in rules if CONFIDENCE_LEVELS.index(r.confidence) >= floor)


def output_folder_exists(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A click callback: refuse ``--output`` in a folder that does not exist before scanning, not after."""
    folder = os.path.dirname(value) if value else ""
    if folder and not os.path.isdir(folder):
        raise click.BadParameter(f"{value}: the folder {folder} does not exist")
    return value


def write_report(report: str | bytes, output: str | None, what: str = "the report") -> None:
    """``report`` to ``output`` (stdout when None); a file that cannot be written is a clear error
    saying ``what`` could not be written."""
    data = report.encode() if isinstance(report, str) else report
    if not output:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        with open(output, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        click.echo(f"veil: error: cannot write {what} to {output}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ERROR)
