"""``veil image``: container images (docker save, OCI archive, OCI layout), no Docker engine needed."""

from __future__ import annotations

import os
import sys

import click

from ..scan import DEFAULT_MAX_FILE_SIZE, ScanOutcome
from ..sources.image import NOT_AN_IMAGE, ImageOptions, Limits, scan_image
from .common import EXIT_ERROR, engine_options, finish, guard, load_rules, parse_size, report_options

_DEFAULT = Limits()


@click.command()
@click.argument("images", nargs=-1, required=True)
@report_options
@engine_options
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="all cores")
@click.option("--max-file-size", default=str(DEFAULT_MAX_FILE_SIZE), callback=parse_size,
              help="Skip larger files inside layers (e.g. 500KB, 10MB).  [default: 10MB]")
@click.option("--max-layer-size", default=str(_DEFAULT.max_size), callback=parse_size,
              help="Stop reading a layer that expands past this (e.g. 2GB).  [default: 8GB]")
@click.option("--max-ratio", type=click.FloatRange(min=1), default=_DEFAULT.max_ratio, show_default=True,
              help="Stop reading a layer that expands more than this many times (a decompression bomb).")
@guard
def image(images, fmt, output, show_secrets, engine, rule_files, min_confidence, jobs, max_file_size,
          max_layer_size, max_ratio) -> None:
    """Scan container images: every layer (deleted files too), the config, the build history.

    IMAGE is a `docker save` tarball (plain or compressed), an OCI image archive, or an OCI image
    layout directory.

    Exit status: 0 nothing found, 1 findings, 2 error.
    """
    rules = load_rules(rule_files, min_confidence)
    limits = Limits(max_ratio=max_ratio, ratio_floor=min(_DEFAULT.ratio_floor, max_layer_size),
                    max_size=max_layer_size)
    options = ImageOptions(jobs=jobs, max_file_size=max_file_size, engine=engine, limits=limits)
    outcome = ScanOutcome()
    for target in images:
        outcome.add(scan_image(target, rules, options))
    try:
        finish(outcome, rules, fmt, output, show_secrets)
    except SystemExit as done:
        # An argument that is not an image at all is an error, like a path that does not exist.
        if done.code != EXIT_ERROR and any(NOT_AN_IMAGE in s.reason for s in outcome.skipped):
            sys.exit(EXIT_ERROR)
        raise
