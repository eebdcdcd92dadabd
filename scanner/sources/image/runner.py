"""Scan a whole image archive: configs, then every unique layer (by digest), on several cores if worth it.

A finding in a file that a later layer deletes (whiteout, opaque directory) or overwrites is still
reported — anyone who pulls the image has that layer — with ``state`` saying so.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field, replace

from ...outcome import ScanOutcome, Skip
from ...pool import Pool, Worker
from ...ruleset import RuleSet
from ...suppress import Suppressor
from ..compress import BombError, Limits
from .archive import Archive, open_archive
from .config import CONFIG_PATH, scan_config
from .layer import LayerScan, scan_layer
from .layout import NOT_AN_IMAGE, ImageRef, LayerRef, read_layout

PARALLEL_MIN_BYTES = 16 * 1024**2  # below this, worker start-up costs more than it saves


@dataclass(frozen=True)
class ImageOptions:
    jobs: int = os.cpu_count() or 1
    max_file_size: int = 10 * 1024**2
    engine: str | None = None
    limits: Limits = field(default_factory=Limits)
    suppressor: Suppressor | None = None  # drops accepted findings (by their path in the image)


@dataclass
class _Owner:
    """The first image and layer index a layer digest was met at: its findings are reported there."""

    image: ImageRef
    layer: LayerRef


def scan_image(target: str, rules: RuleSet, options: ImageOptions | None = None) -> ScanOutcome:
    """Scan the image archive or layout at ``target``; problems become skips, never exceptions."""
    options = options or ImageOptions()
    outcome = ScanOutcome()
    if not os.path.exists(target):
        outcome.skipped.append(Skip(target, "missing", "no such file or directory"))
        return outcome
    try:
        archive = open_archive(target, options.limits)
    except BombError as exc:
        outcome.skipped.append(Skip(target, "corrupt", f"the compressed archive {exc}; not scanned"))
        return outcome
    except (OSError, ValueError) as exc:
        outcome.skipped.append(Skip(target, "corrupt", f"{NOT_AN_IMAGE}: {exc}"))
        return outcome
    try:
        _scan_archive(archive, target, rules, options, outcome)
    finally:
        archive.close()
    return outcome


def _scan_archive(archive: Archive, target: str, rules: RuleSet, options: ImageOptions, outcome: ScanOutcome) -> None:
    layout = read_layout(archive)
    for message, hostile in [*archive.notes, *layout.problems]:
        outcome.skipped.append(Skip(target, "hostile" if hostile else "corrupt", message))
    owners: dict[str, _Owner] = {}
    configs: set[str] = set()
    steps: list[ImageRef | Skip] = []  # configs to scan and layers not scanned, in the order reported
    for image in layout.images:
        if image.config is not None and image.config_id not in configs:
            configs.add(image.config_id)
            steps.append(image)
        for layer in image.layers:
            if layer.blob is None:
                steps.append(Skip(target, "hostile" if layer.hostile else "corrupt",
                                  f"{_where(image, layer)}: {layer.problem}"))
            elif layer.digest not in owners:
                owners[layer.digest] = _Owner(image, layer)
    layers = [o.layer for o in owners.values()]
    largest_first = sorted(range(len(layers)), key=lambda i: -(layers[i].blob.size if layers[i].blob else 0))
    with Pool(_jobs(layers, options), rules, options.engine, settings=options) as pool:
        for step in steps:
            if isinstance(step, Skip):
                outcome.skipped.append(step)
            else:
                outcome.add(pool.submit(_scan_config, step.config, _image_origin(step)).result())
        scans = pool.map(_scan_layer, [(layer,) for layer in layers], order=largest_first)  # no big layer last
    by_digest = dict(zip(owners, scans, strict=True))
    for owner, scan in zip(owners.values(), scans, strict=True):
        _report(owner, scan, by_digest, target, outcome)
    # Stable: the config's fields keep their order, a file's findings their line order.
    outcome.findings.sort(key=lambda f: (f.origin.get("image", ""), f.origin.get("platform", ""),
                                         f.path != CONFIG_PATH, f.path != CONFIG_PATH and f.origin.get("layer", 0),
                                         f.path))


def _image_origin(image: ImageRef) -> dict:
    origin = {"image": image.name}
    if image.platform:
        origin["platform"] = image.platform
    return origin


def _where(image: ImageRef, layer: LayerRef) -> str:
    platform = f" ({image.platform})" if image.platform else ""
    return f"{image.name}{platform} layer {layer.index} ({layer.digest[:19]})"


def _scan_config(worker: Worker, config: dict, origin: dict) -> ScanOutcome:
    """A pool task: the findings in an image's config."""
    return scan_config(worker.engine, config, origin, worker.settings.suppressor)


def _scan_layer(worker: Worker, layer: LayerRef) -> LayerScan:
    """A pool task: everything one layer holds."""
    options: ImageOptions = worker.settings
    assert layer.blob is not None
    return scan_layer(worker.engine, layer.blob, options.max_file_size, options.limits, options.suppressor)


def _jobs(layers: list[LayerRef], options: ImageOptions) -> int:
    """Workers worth starting: one per layer at most, none for a small image."""
    total = sum(layer.blob.size for layer in layers if layer.blob)
    return 1 if len(layers) < 2 or total < PARALLEL_MIN_BYTES else min(options.jobs, len(layers))


def _fate(path: str, index: int, image: ImageRef, by_digest: dict[str, LayerScan]) -> str:
    """How a later layer of ``image`` hides ``path`` of layer ``index``: '' when it is still visible."""
    name = path.lstrip("/")
    ancestors = []
    parent = posixpath.dirname(name)
    while parent:
        ancestors.append(parent)
        parent = posixpath.dirname(parent)
    for later in image.layers[index:]:
        scan = by_digest.get(later.digest)
        if scan is None:
            continue
        if name in scan.whiteouts or any(a in scan.whiteouts for a in ancestors) or any(
                a in scan.opaque for a in ancestors) or "" in scan.opaque:
            return f"deleted in layer {later.index}, still in the image"
        if name in scan.entries:
            return f"overwritten in layer {later.index}, still in the image"
    return ""


def _report(owner: _Owner, scan: LayerScan, by_digest: dict[str, LayerScan], target: str,
            outcome: ScanOutcome) -> None:
    image, layer = owner.image, owner.layer
    base = {**_image_origin(image), "layer": layer.index, "digest": layer.digest}
    fates: dict[str, str] = {}
    for finding in scan.findings:
        if finding.path not in fates:
            fates[finding.path] = _fate(finding.path, layer.index, image, by_digest)
        origin = dict(base)
        if fates[finding.path]:
            origin["state"] = fates[finding.path]
        outcome.findings.append(replace(finding, origin=origin))
    where = _where(image, layer)
    outcome.skipped.extend(Skip(target, "hostile", f"{where}: {message}") for message in scan.hostile)
    outcome.skipped.extend(Skip(path, "too-large", f"{size} bytes is over the file size limit ({where})")
                           for path, size in scan.too_large)
    outcome.skipped.extend(Skip(path, "binary", f"binary file ({where})") for path in scan.binary)
    outcome.skipped.extend(replace(s, reason=f"{s.reason} ({where})") for s in scan.timeouts)
    if scan.error:
        outcome.skipped.append(Skip(target, "corrupt", f"{where}: {scan.error}"))
    outcome.files += scan.files
    outcome.bytes += scan.bytes
    outcome.suppressed.update(scan.suppressed)
