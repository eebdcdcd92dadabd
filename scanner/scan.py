"""Run the engine over files on all cores and gather findings, statistics and skips."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from .engine import Engine, ScanResult, Skipped
from .finding import Finding
from .ruleset import RuleSet
from .sources.files import FileItem, Skip, WalkOptions, read_file, walk
from .suppress import Suppressor

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
BATCH_FILES = 64
BATCH_BYTES = 4 * 1024 * 1024
# Skips that make a scan fail (exit 2), not just warn: something the user asked for was not (fully) scanned.
ERROR_SKIPS = frozenset({"missing", "unreadable", "corrupt", "hostile"})
PARALLEL_MIN_FILES = 32  # below this, worker start-up costs more than it saves


@dataclass(frozen=True)
class ScanOptions:
    jobs: int = os.cpu_count() or 1
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    engine: str | None = None
    walk: WalkOptions = field(default_factory=WalkOptions)
    suppressor: Suppressor = field(default_factory=Suppressor)


@dataclass
class ScanOutcome:
    """What a scan found, what it read, and what it skipped (with reasons)."""

    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    suppressed: Counter[str] = field(default_factory=Counter)  # findings not reported, by reason

    def add(self, other: ScanOutcome) -> None:
        self.findings.extend(other.findings)
        self.skipped.extend(other.skipped)
        self.files += other.files
        self.bytes += other.bytes
        self.suppressed.update(other.suppressed)

    @property
    def skip_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(s.kind for s in self.skipped).items()))

    @property
    def errors(self) -> list[Skip]:
        """Skips that mean the user asked for something that could not be (fully) scanned."""
        return [s for s in self.skipped if s.error or s.kind in ERROR_SKIPS]


def findings_of(
    result: ScanResult, path: str, origin: dict | None = None, suppressor: Suppressor | None = None
) -> ScanOutcome:
    """Turn one engine result into findings for ``path``; timed-out windows become skips."""
    outcome = ScanOutcome()
    root_path = suppressor.root_path(path) if suppressor else path
    for match in result.matches:
        reason = suppressor.reason(match, path) if suppressor else None
        if reason:
            outcome.suppressed[reason] += 1
        else:
            outcome.findings.append(Finding.from_match(match, path, origin, root_path))
    outcome.skipped = [timeout_skip(path, s, f"bytes {s.start}-{s.end}") for s in result.skipped]
    return outcome


def timeout_skip(path: str, skipped: Skipped, where: str) -> Skip:
    """The skip for a rule that gave up on ``where`` (bytes, a record …) of ``path``."""
    return Skip(path, "timeout", f"rule {skipped.rule_id} gave up on {where}: {skipped.reason}", rule=skipped.rule_id)


def scan_bytes(
    engine: Engine, data: bytes, path: str, origin: dict | None = None, suppressor: Suppressor | None = None
) -> ScanOutcome:
    outcome = findings_of(engine.scan(data), path, origin, suppressor)
    outcome.files, outcome.bytes = 1, len(data)
    return outcome


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
