"""``veil image``: container images (docker save, OCI archive, OCI layout), no Docker engine needed."""

from __future__ import annotations

import click

from ..outcome import ScanOutcome
from ..sources.image import ImageOptions, Limits, scan_image
from .common import finish, guard, parse_size, report_options
from .suppression import accept_findings, resolve_suppression, source_options

_DEFAULT = Limits()


@click.command()
@click.argument("images", nargs=-1, required=True)
@report_options
@source_options("at or above the current directory", "files inside layers")
@click.option("--max-layer-size", default=str(_DEFAULT.max_size), callback=parse_size,
              help="Stop reading a layer that expands past this (e.g. 2GB).  [default: 8GB]")
@click.option("--max-ratio", type=click.FloatRange(min=1), default=_DEFAULT.max_ratio, show_default=True,
              help="Stop reading a layer that expands more than this many times (a decompression bomb).")
@click.pass_context
@guard
def image(ctx: click.Context, images, **_options) -> None:
    """Scan container images: every layer (deleted files too), the config, the build history.

    IMAGE is a `docker save` tarball (plain or compressed), an OCI image archive, or an OCI image
    layout directory. Paths in findings, allowlists and baselines are paths inside the image
    (/srv/app.env); the build config is <image config>.

    Exit status: 0 nothing found, 1 findings, 2 error (an image, a layer or an entry in one that could not
    be fully scanned: damaged, truncated, or hostile, such as a path leading out of the image).
    """
    rules, suppressor = resolve_suppression(ctx, ".")
    p = ctx.params
    limits = Limits(max_ratio=p["max_ratio"], ratio_floor=min(_DEFAULT.ratio_floor, p["max_layer_size"]),
                    max_size=p["max_layer_size"])
    options = ImageOptions(jobs=p["jobs"], max_file_size=p["max_file_size"], engine=p["engine"], limits=limits,
                           suppressor=suppressor)
    outcome = ScanOutcome()
    for target in images:
        outcome.add(scan_image(target, rules, options))
    if p["update_baseline"]:
        accept_findings(outcome, p["update_baseline"])
    finish(outcome, rules, p["fmt"], p["output"], p["show_secrets"])
