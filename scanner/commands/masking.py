"""The masking options ``veil redact`` and ``veil trace --redact`` share, and the masker they build."""

from __future__ import annotations

import os
from collections.abc import Callable

import click

from ..engine import Engine
from ..redact.core import DEFAULT_MASK, Redactor
from ..redact.known import DEFAULT_ENV_PATTERNS, MIN_LENGTH, env_values
from ..ruleset import RuleSet
from .base import stack

masking_options: Callable = stack([
    click.option("--known-values-from-env", is_flag=True,
                 help="Also mask the exact values of environment variables whose names look secret "
                      f"({', '.join(DEFAULT_ENV_PATTERNS[:6])}, …; see --env-name), in their base64, URL, JSON "
                      "and XML forms too."),
    click.option("--env-name", "env_names", multiple=True, metavar="GLOB",
                 help="Which variables --known-values-from-env reads: a name or a glob (repeatable; replaces the "
                      "default list; implies --known-values-from-env)."),
    click.option("--known-values-file", type=click.Path(exists=True, dir_okay=False),
                 help="Also mask the exact values listed in this file, one per line."),
    click.option("--mask", default=DEFAULT_MASK, show_default=True,
                 help="Mask format: {rule} is the rule id (or 'known'), {hash} a short keyed hash of the secret "
                      "(key from $VEIL_HASH_KEY, else random per run)."),
])
"""``--known-values-from-env``, ``--env-name``, ``--known-values-file``, ``--mask``: pass them to
:func:`redactor_from`."""


def redactor_from(rules: RuleSet, backend: str | None, known_values_from_env: bool, env_names: tuple[str, ...],
                  known_values_file: str | None, mask: str) -> Redactor:
    """The masker the options ask for; a bad mask or a known-values file that is not UTF-8 is a usage error."""
    known = known_values_from(known_values_from_env, env_names, known_values_file)
    try:
        return Redactor(Engine(rules, backend), known, mask=mask, hash_key=os.environ.get("VEIL_HASH_KEY"))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def known_values_from(known_values_from_env: bool, env_names: tuple[str, ...], known_values_file: str | None
                      ) -> list[str]:
    """The known values the options name: from the environment, then from the file."""
    known: list[str] = []
    if known_values_from_env or env_names:
        known += env_values(env_names or None).values()
    if known_values_file:
        known += _known_values(known_values_file)
    return known


def _known_values(path: str) -> list[str]:
    """The values listed in ``path``, one a line; a file that is not UTF-8 is a usage error naming it, and
    values too short to be masked are counted in a warning (never quoted)."""
    try:
        with open(path, encoding="utf-8") as handle:
            values = [line.rstrip("\r\n") for line in handle if line.strip()]
    except UnicodeDecodeError:
        raise click.UsageError(f"{path}: not UTF-8 text; --known-values-file takes one value a line") from None
    short = sum(1 for v in values if len(v) < MIN_LENGTH)
    if short:
        verb = "are" if short > 1 else "is"
        click.echo(f"veil: warning: {path}: {short} value{'s' * (short > 1)} {verb} shorter than {MIN_LENGTH} "
                   f"characters and {verb} not masked", err=True)
    return values
