"""``veil rules list`` and ``veil rules test``."""

from __future__ import annotations

import sys
from collections import Counter

import click

from ..engine import Engine
from ..prefilter import BACKENDS
from ..ruleset import RuleSet, default_rules, load_file
from ..ruletest import check_rule
from .common import EXIT_CLEAN, EXIT_FINDINGS, guard, load_rules


@click.group()
def rules() -> None:
    """List the rules, or check a rule file against its own examples."""


@rules.command("list")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--engine", type=click.Choice(BACKENDS), help="The prefilter whose matching paths are shown.")
@guard
def rules_list(rule_files, engine) -> None:
    """List every rule: id, confidence, how it is matched, tags, description.

    How it is matched: ``hyperscan`` (the whole rule in Hyperscan, its regex run only where it can
    match), ``windows`` (its regex around each keyword hit) or ``whole-chunk`` (a rule without keywords).
    """
    ruleset = load_rules(rule_files)
    paths = Engine(ruleset, engine).paths()
    width = max(len(r.id) for r in ruleset)
    for r in ruleset:
        click.echo(f"{r.id:<{width}}  {r.confidence:<6}  {paths[r.id]:<11}  {','.join(r.tags):<24}  {r.description}")
    counts = Counter(paths.values())
    click.echo(f"{len(ruleset)} rules ({', '.join(f'{n} {path}' for path, n in sorted(counts.items()))})", err=True)


@rules.command("test")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--engine", type=click.Choice(BACKENDS))
@guard
def rules_test(files, engine) -> None:
    """Check every example of the rules in FILES (default: the built-in rules).

    Exit status: 0 all examples pass, 1 some fail, 2 a file does not load.
    """
    ruleset = [r for f in files for r in load_file(f)] if files else default_rules()
    RuleSet(ruleset)  # ids must be unique
    failed = 0
    for rule in ruleset:
        failures = check_rule(rule, engine)
        untested = not rule.positives
        if failures or untested:
            failed += 1
            click.echo(f"FAIL {rule.id} ({rule.source})")
            if untested:
                click.echo("     no positive examples")
        for failure in failures:
            click.echo(f"     {failure.kind} example {failure.text!r}: {failure.problem}")
        if not failures and not untested:
            click.echo(f"ok   {rule.id} ({len(rule.positives)} positive, {len(rule.negatives)} negative)")
    click.echo(f"{len(ruleset) - failed} of {len(ruleset)} rules pass their examples")
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)
