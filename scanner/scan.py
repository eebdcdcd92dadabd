"""The files door: walk the paths, read each file as a fragment, and scan them on the pool."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .fragment import Fragment
from .outcome import ScanOutcome, Skip, scan_fragment
from .pool import Pool, Worker
from .ruleset import RuleSet
from .sources.files import DEFAULT_MAX_FILE_SIZE, FileItem, WalkOptions, fragments, walk
from .suppress import Suppressor

BATCH_FILES = 64
BATCH_BYTES = 4 * 1024 * 1024
PARALLEL_MIN_FILES = 32  # below this, worker start-up costs more than it saves


@dataclass(frozen=True)
class ScanOptions:
    jobs: int = os.cpu_count() or 1
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    engine: str | None = None
    walk: WalkOptions = field(default_factory=WalkOptions)
    suppressor: Suppressor = field(default_factory=Suppressor)


def _scan_files(worker: Worker, items: list[FileItem]) -> ScanOutcome:
    """A pool task: read and scan a batch of files."""
    options: ScanOptions = worker.settings
    total = ScanOutcome()
    for fragment in fragments(items, options.max_file_size):
        if isinstance(fragment, Skip):
            total.skipped.append(fragment)
        else:
            total.add(scan_fragment(worker.engine, fragment, options.suppressor))
    return total


def _scan_one(worker: Worker, fragment: Fragment) -> ScanOutcome:
    return scan_fragment(worker.engine, fragment, worker.settings.suppressor)


def _batches(items: list[FileItem], weigh: bool) -> Iterator[tuple[list[FileItem]]]:
    """Groups of files small enough to spread evenly over the workers (``weigh``: by size too, which
    costs a ``stat`` a file and matters only when there are workers to spread them over)."""
    batch: list[FileItem] = []
    size = 0
    for item in items:
        batch.append(item)
        if weigh:
            with contextlib.suppress(OSError):
                size += os.stat(item.fs_path).st_size
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield (batch,)
            batch, size = [], 0
    if batch:
        yield (batch,)


Progress = Callable[[int, int, int], None]  # (files done, files in all, bytes read)


def scan_paths(
    paths: list[str], rules: RuleSet, options: ScanOptions, progress: Progress | None = None
) -> ScanOutcome:
    """Scan files and directories, on ``options.jobs`` processes when the tree is large enough."""
    outcome = ScanOutcome()
    items = list(walk(paths, options.walk))
    files = [i for i in items if isinstance(i, FileItem)]
    outcome.skipped.extend(i for i in items if isinstance(i, Skip))
    jobs = options.jobs if len(files) >= PARALLEL_MIN_FILES else 1
    with Pool(jobs, rules, options.engine, settings=options) as pool:
        for part in pool.as_done(_scan_files, _batches(files, weigh=jobs > 1)):
            outcome.add(part)
            if progress:
                progress(outcome.files, len(files), outcome.bytes)
    outcome.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
    return outcome


def scan_stdin(data: bytes, rules: RuleSet, options: ScanOptions) -> ScanOutcome:
    """Scan what was read from standard input, reported as ``<stdin>``."""
    with Pool(1, rules, options.engine, settings=options) as pool:
        return pool.submit(_scan_one, Fragment(data, "<stdin>")).result()
