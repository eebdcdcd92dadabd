"""Run the engine over files on all cores and gather findings, statistics and skips."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from .engine import Engine
from .outcome import ScanOutcome, Skip, scan_bytes
from .ruleset import RuleSet
from .sources.files import DEFAULT_MAX_FILE_SIZE, FileItem, WalkOptions, read_file, walk
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


def _scan_items(engine: Engine, items: Iterable[FileItem], options: ScanOptions) -> ScanOutcome:
    total = ScanOutcome()
    for item in items:
        data = read_file(item, options.max_file_size)
        if isinstance(data, Skip):
            total.skipped.append(data)
        else:
            total.add(scan_bytes(engine, data, item.path, None, options.suppressor))
    return total


_worker: tuple[Engine, ScanOptions] | None = None


def _init_worker(rules: RuleSet, options: ScanOptions) -> None:
    global _worker
    _worker = (Engine(rules, backend=options.engine), options)


def _worker_scan(items: list[FileItem]) -> ScanOutcome:
    assert _worker is not None, "worker not initialised"
    engine, options = _worker
    return _scan_items(engine, items, options)


def _batches(items: list[FileItem]) -> Iterator[list[FileItem]]:
    """Groups of files small enough to spread evenly over the workers."""
    batch: list[FileItem] = []
    size = 0
    for item in items:
        batch.append(item)
        with contextlib.suppress(OSError):
            size += os.stat(item.fs_path).st_size
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


Progress = Callable[[int, int, int], None]  # (files done, files in all, bytes read)


def scan_paths(
    paths: list[str], rules: RuleSet, options: ScanOptions, progress: Progress | None = None
) -> ScanOutcome:
    """Scan files and directories, on ``options.jobs`` processes when the tree is large enough."""
    outcome = ScanOutcome()
    items = list(walk(paths, options.walk))
    files = [i for i in items if isinstance(i, FileItem)]
    outcome.skipped.extend(i for i in items if isinstance(i, Skip))
    if options.jobs <= 1 or len(files) < PARALLEL_MIN_FILES:
        engine = Engine(rules, backend=options.engine)
        for item in files:
            outcome.add(_scan_items(engine, [item], options))
            if progress:
                progress(outcome.files, len(files), outcome.bytes)
    else:
        _scan_parallel(files, rules, options, outcome, progress)
    outcome.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
    return outcome


def _scan_parallel(
    files: list[FileItem], rules: RuleSet, options: ScanOptions, outcome: ScanOutcome, progress: Progress | None
) -> None:
    def collect(pending: set[Future[ScanOutcome]]) -> set[Future[ScanOutcome]]:
        done, rest = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            outcome.add(future.result())
        if progress:
            progress(outcome.files, len(files), outcome.bytes)
        return rest

    with ProcessPoolExecutor(options.jobs, initializer=_init_worker, initargs=(rules, options)) as pool:
        pending: set[Future[ScanOutcome]] = set()
        for batch in _batches(files):
            pending.add(pool.submit(_worker_scan, batch))
            if len(pending) >= options.jobs * 4:
                pending = collect(pending)
        while pending:
            pending = collect(pending)
