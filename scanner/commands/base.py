"""What every command shares and a log-pipeline stage can import cheaply: exit codes, error
handling, rule loading (no report or scan machinery)."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterable
from functools import wraps

import click

from ..ruleset import CONFIDENCE_LEVELS, Rule, RuleError, RuleSet, default_rules, load_file

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
        except RuleError as exc:
            click.echo(f"veil: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if os.environ.get("VEIL_DEBUG"):
                traceback.print_exc()
            click.echo(f"veil: internal error ({type(exc).__name__}); set VEIL_DEBUG=1 for details", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper


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
