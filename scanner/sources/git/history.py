"""Scan a repository's history: every unique blob once, on all cores, then attribute what was found.

One ``git log --raw`` pass, parsed on a thread, streams the commits and the blobs each one changed.
Meanwhile one ``git cat-file --batch`` reads each blob once, as soon as the log first names it, and
worker processes (one per core) scan the contents. (Listing the object store up front instead, in
pack order, measured no faster, and it also reads objects no commit reaches.)

One reader with a large delta-base cache, rather than a reader per worker, is what makes this fast:
each delta chain is resolved once, where readers that split the blobs between them each resolve the
same chains again (measured in benchmarks/RESULTS.md, "Git history"). On a small store (a pack under
64 MB) each worker runs a reader of its own instead: the chains fit git's default cache, and contents
then never travel between processes.

When both are done, :mod:`.attribute` turns the blobs that held secrets into findings with a first
commit, author, age, commit count and whether the secret is still at the tip.
"""

from __future__ import annotations

import multiprocessing.util
import os
import queue
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, fields, replace

from ...engine import Engine, Match
from ...ruleset import RuleSet
from ...scan import DEFAULT_MAX_FILE_SIZE, ScanOutcome, timeout_skip
from ..files import BINARY_SNIFF, Skip
from .attribute import Attribution, Selection, attribute
from .repo import BlobReader, GitError, LogParser, Repo, all_blobs, log_argv

BATCH_BLOBS = 256  # blobs per task sent to a worker
BATCH_BYTES = 8 * 1024 * 1024  # … or fewer, when they hold this much
DELTA_CACHE = 512 * 1024 * 1024  # core.deltaBaseCacheLimit of the one reader (git's default, 96 MB, thrashes)
WORKER_READS_BELOW = 64 * 1024 * 1024  # packs smaller than this: a reader per worker beats shipping contents
PARALLEL_MIN_BYTES = 2 * 1024 * 1024  # object stores smaller than this (packed) are scanned in-process
_MATCH_FIELDS = tuple(f.name for f in fields(Match) if f.name != "rule")

Progress = Callable[[int, int, int], None]  # (blobs scanned, blobs found so far, bytes read)


@dataclass(frozen=True)
class GitOptions:
    jobs: int = os.cpu_count() or 1
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    engine: str | None = None
    branches: tuple[str, ...] = ()
    rev_range: str | None = None
    since: str | None = None
    suppressor: object | None = None  # anything with .reason(match, path) -> str | None
    # parent: one cat-file in the parent (large delta-base cache) feeds the workers; worker: a cat-file per
    # worker (no contents between processes, but delta chains resolved twice); auto: worker for small stores
    reader: str = "auto"
    enumerate: str = "log"  # blobs as the log names them; "store": for the whole history, list the store up front
    parallel_min_bytes: int = PARALLEL_MIN_BYTES
    now: float | None = None  # the clock ages are counted against (tests pin it)
    delta_cache: int | None = None  # core.deltaBaseCacheLimit of the reader (default: DELTA_CACHE, RAM permitting)


@dataclass
class BlobResults:
    """What a worker found in a batch of blobs. Matches travel as (rule id, field values)."""

    hits: dict[str, list[tuple[str, tuple]]] = field(default_factory=dict)
    skipped: list[Skip] = field(default_factory=list)  # path: the blob's id
    blobs: int = 0  # scanned
    bytes: int = 0  # scanned
    done: int = 0  # scanned or skipped


def _scan_one(engine: Engine, sha: str, data: bytes, out: BlobResults) -> None:
    out.done += 1
    if b"\0" in data[:BINARY_SNIFF]:
        out.skipped.append(Skip(sha, "binary", "binary file"))
        return
    out.blobs += 1
    out.bytes += len(data)
    result = engine.scan(data)
    if result.matches:
        out.hits[sha] = [(m.rule.id, tuple(getattr(m, name) for name in _MATCH_FIELDS)) for m in result.matches]
    out.skipped.extend(timeout_skip(sha, s, f"bytes {s.start}-{s.end}") for s in result.skipped)


def _read_and_scan(engine: Engine, reader: BlobReader, names: list[str]) -> BlobResults:
    out = BlobResults()
    for blob in reader.read(names):
        if blob.data is None:
            out.done += 1
            out.skipped.append(Skip(blob.sha, blob.skip, blob.reason))
        else:
            _scan_one(engine, blob.sha, blob.data, out)
    return out


# ---------------------------------------------------------------------------------------------- workers

_worker: tuple[Engine, BlobReader | None] | None = None


def _init_worker(repo_path: str, rules: RuleSet, backend: str | None, max_size: int, own_reader: bool) -> None:
    global _worker
    reader = BlobReader(repo_path, max_size) if own_reader else None
    if reader is not None:  # workers leave through multiprocessing's exit, which runs finalizers, not atexit
        multiprocessing.util.Finalize(reader, reader.close, exitpriority=10)
    _worker = (Engine(rules, backend=backend), reader)


def _worker_names(names: list[str]) -> BlobResults:
    assert _worker is not None and _worker[1] is not None, "worker not initialised"
    return _read_and_scan(_worker[0], _worker[1], names)


def _worker_contents(blobs: list[tuple[str, bytes]]) -> BlobResults:
    assert _worker is not None, "worker not initialised"
    out = BlobResults()
    for sha, data in blobs:
        _scan_one(_worker[0], sha, data, out)
    return out


class _Scanner:
    """Scans batches of blob names, in this process or on a pool; results gather in ``self.total``."""

    def __init__(self, repo: Repo, rules: RuleSet, options: GitOptions, progress: Progress | None):
        self.options = options
        self.progress = progress
        self.total = BlobResults()
        self.submitted = 0
        self.pending: set[Future[BlobResults]] = set()
        self.parallel = options.jobs > 1 and repo.object_bytes >= options.parallel_min_bytes
        reader = options.reader
        if reader == "auto":
            reader = "worker" if repo.object_bytes < WORKER_READS_BELOW else "parent"
        self.parent_reads = self.parallel and reader == "parent"
        self.engine = None if self.parallel else Engine(rules, backend=options.engine)
        self.reader = None
        if not self.parallel or self.parent_reads:
            self.reader = BlobReader(repo.path, options.max_file_size, options.delta_cache or _delta_cache())
        self.pool = None
        if self.parallel:
            self.pool = ProcessPoolExecutor(
                options.jobs, initializer=_init_worker,
                initargs=(repo.path, rules, options.engine, options.max_file_size, not self.parent_reads),
            )  # fmt: skip

    def submit(self, names: list[str]) -> None:
        """Scan these blobs (now, or on the pool); returns once few enough tasks are waiting."""
        if not names:
            return
        self.submitted += len(names)
        if self.pool is None:
            assert self.engine is not None and self.reader is not None
            self._add(_read_and_scan(self.engine, self.reader, names))
        elif self.parent_reads:
            assert self.reader is not None
            contents: list[tuple[str, bytes]] = []
            size = 0
            out = BlobResults()
            for blob in self.reader.read(names):
                if blob.data is None:
                    out.done += 1
                    out.skipped.append(Skip(blob.sha, blob.skip, blob.reason))
                    continue
                contents.append((blob.sha, blob.data))
                size += len(blob.data)
                if size >= BATCH_BYTES:
                    self._send(_worker_contents, contents)
                    contents, size = [], 0
            self._send(_worker_contents, contents)
            self._add(out)
        else:
            self._send(_worker_names, names)

    def _send(self, task: Callable, batch: list) -> None:
        if not batch:
            return
        assert self.pool is not None
        self.pending.add(self.pool.submit(task, batch))
        self.collect(block=len(self.pending) >= 2 * self.options.jobs)

    def collect(self, block: bool = False) -> None:
        if not self.pending:
            return
        done, self.pending = wait(self.pending, timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            self._add(future.result())

    def finish(self) -> BlobResults:
        while self.pending:
            self.collect(block=True)
        return self.total

    def _add(self, part: BlobResults) -> None:
        total = self.total
        total.hits.update(part.hits)
        total.skipped.extend(part.skipped)
        total.blobs += part.blobs
        total.bytes += part.bytes
        total.done += part.done
        if self.progress:
            self.progress(total.done, self.submitted, total.bytes)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.reader is not None:
            self.reader.close()


# ---------------------------------------------------------------------------------------------- history


def selection_of(repo: Repo, options: GitOptions) -> Selection:
    """What ``git log`` walks (revisions and limits), and the tip that "still present" refers to."""
    limits = [f"--since={options.since}"] if options.since else []
    if options.rev_range:
        spec = options.rev_range
        if spec.startswith("-"):
            raise GitError(f"--range {spec}: a range looks like BASE..HEAD")
        if ".." in spec:
            base, _, end = spec.partition("...") if "..." in spec else spec.partition("..")
        else:
            base, end, spec = spec, "HEAD", f"{spec}..HEAD"
        for rev in (base or "HEAD", end or "HEAD"):
            repo.resolve(rev, what=f"--range {options.rev_range}")
        end = end or "HEAD"
        return Selection([*limits, "--end-of-options", spec], repo.resolve(end), end)
    if options.branches:
        for name in options.branches:
            repo.resolve(name, what="--branch")
        tip = options.branches[0]
        return Selection([*limits, "--end-of-options", *options.branches], repo.resolve(tip), tip)
    label = "HEAD" if repo.head_ref is None else f"HEAD ({repo.head_ref.removeprefix('refs/heads/')})"
    return Selection([*limits, "--all"], repo.head, label, whole=not options.since)


def scan_history(repo: Repo, rules: RuleSet, options: GitOptions, progress: Progress | None = None) -> ScanOutcome:
    """Scan the blobs of the selected history once each and return attributed findings."""
    selection = selection_of(repo, options)
    parser = LogParser()
    # enumerate="store", whole history: every blob in the store, in pack order, without waiting for the log
    # (a blob no commit reaches is then scanned but never reported: attribution finds no commit for it).
    upfront = all_blobs(repo) if selection.whole and options.enumerate == "store" else None
    named: queue.Queue[list[str] | None] = queue.Queue()
    failed: list[BaseException] = []
    scanner = _Scanner(repo, rules, options, progress)
    with tempfile.TemporaryFile() as errors:
        log = repo.popen(*log_argv(selection.revisions), stderr=errors.fileno())
        assert log.stdout is not None
        stdout = log.stdout

        def read_log() -> None:
            try:
                for chunk in iter(lambda: stdout.read1(1 << 16), b""):
                    new = parser.feed(chunk)
                    if upfront is None and new:
                        named.put([sha for sha, _path in new])
                new = parser.close()
                if upfront is None and new:
                    named.put([sha for sha, _path in new])
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                failed.append(exc)
            finally:
                named.put(None)

        reader = threading.Thread(target=read_log, name="veil-git-log", daemon=True)
        reader.start()
        try:
            if upfront is not None:
                for start in range(0, len(upfront), BATCH_BLOBS):
                    scanner.submit(upfront[start : start + BATCH_BLOBS])
            else:
                names: list[str] = []
                while (more := named.get()) is not None:
                    names.extend(more)
                    if len(names) >= BATCH_BLOBS:
                        scanner.submit(names)
                        names = []
                scanner.submit(names)
            found = scanner.finish()
            reader.join()
            if failed:
                raise failed[0]
            if log.wait():
                errors.seek(0)
                message = errors.read().decode("utf-8", "replace").strip().splitlines()
                raise GitError(f"git log: {message[0] if message else f'exit {log.returncode}'}")
        finally:
            if log.poll() is None:
                log.kill()
                log.wait()
            reader.join(timeout=5)
            stdout.close()
            scanner.close()
    by_id = {rule.id: rule for rule in rules}
    hits = {
        sha: [Match(by_id[rule_id], **dict(zip(_MATCH_FIELDS, values, strict=True))) for rule_id, values in found]
        for sha, found in found.hits.items()
    }
    result: Attribution = attribute(
        repo, parser, hits, selection, options.suppressor, time.time() if options.now is None else options.now
    )
    outcome = ScanOutcome(result.findings)
    outcome.files, outcome.bytes = found.blobs, found.bytes
    outcome.skipped = [replace(s, path=_blob_place(parser, s.path)) for s in found.skipped]
    if hasattr(outcome, "suppressed"):
        outcome.suppressed.update(result.suppressed)
    return outcome


def _delta_cache() -> int:
    """:data:`DELTA_CACHE`, or an eighth of the memory on a small machine."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return DELTA_CACHE
    return max(96 * 1024 * 1024, min(DELTA_CACHE, memory // 8))


def _blob_place(parser: LogParser, sha: str) -> str:
    return f"{parser.blob_paths.get(sha, '?')} (blob {sha[:12]})"
