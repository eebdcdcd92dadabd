"""``veil scan``: files, directories and standard input."""

from __future__ import annotations

import os
import sys

import click

from ..engine import Engine
from ..progress import ProgressLine
from ..scan import DEFAULT_MAX_FILE_SIZE, ScanOptions, ScanOutcome, scan_bytes, scan_paths
from ..sources.files import DEFAULT_EXCLUDED_DIRS, WalkOptions
from .common import engine_options, finish, guard, load_rules, parse_size, report_options


@click.command()
@click.argument("paths", nargs=-1, required=True)
@report_options
@engine_options
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="all cores")
@click.option("--max-file-size", default=str(DEFAULT_MAX_FILE_SIZE), callback=parse_size,
              help="Skip larger files (e.g. 500KB, 10MB).  [default: 10MB]")
@click.option("--respect-gitignore", is_flag=True, help="Skip files git ignores (scanned by default).")
@click.option("--all", "scan_all", is_flag=True, help="Also scan .git/, dependency and cache folders.")
@click.option("--exclude-dir", multiple=True, metavar="NAME", help="Another folder name to skip (repeatable).")
@guard
def scan(paths, fmt, output, show_secrets, engine, rule_files, jobs, max_file_size, respect_gitignore, scan_all,
         exclude_dir) -> None:
    """Scan files, directories, or standard input (-) for secrets.

    Exit status: 0 nothing found, 1 findings, 2 error.
    """
    rules = load_rules(rule_files)
    options = ScanOptions(
        jobs=jobs, max_file_size=max_file_size, engine=engine,
        walk=WalkOptions(scan_all, DEFAULT_EXCLUDED_DIRS | frozenset(exclude_dir), respect_gitignore),
    )
    outcome = ScanOutcome()
    files = [p for p in paths if p != "-"]
    if "-" in paths:
        outcome.add(scan_bytes(Engine(rules, engine), sys.stdin.buffer.read(), "<stdin>"))
    if files:
        progress = ProgressLine()
        try:
            outcome.add(scan_paths(files, rules, options, progress))
        finally:
            progress.close()
    finish(outcome, rules, fmt, output, show_secrets)
