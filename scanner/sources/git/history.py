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

import os
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, replace

from ...engine import Engine, Match
from ...fragment import Fragment
from ...outcome import ScanOutcome, Skip, timeout_skip
from ...pool import Pool, Tasks, Worker
from ...ruleset import RuleSet
from ..files import BINARY_SNIFF, DEFAULT_MAX_FILE_SIZE
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

    def add(self, part: BlobResults) -> None:
        self.hits.update(part.hits)
        self.skipped.extend(part.skipped)
        self.blobs += part.blobs
        self.bytes += part.bytes
        self.done += part.done


def _scan_one(engine: Engine, fragment: Fragment, out: BlobResults) -> None:
    out.done += 1
    if b"\0" in fragment.data[:BINARY_SNIFF]:
        out.skipped.append(Skip(fragment.path, "binary", "binary file"))
        return
    out.blobs += 1
    out.bytes += len(fragment.data)
    result = engine.scan(fragment.data)
    if result.matches:
        out.hits[fragment.path] = [(m.rule.id, tuple(getattr(m, name) for name in _MATCH_FIELDS))
                                   for m in result.matches]
    out.skipped.extend(timeout_skip(fragment.path, s, f"bytes {s.start}-{s.end}") for s in result.skipped)


def _fragments(reader: BlobReader, names: list[str], out: BlobResults) -> Iterator[Fragment]:
    """The blobs ``names`` as fragments (path: the blob's id); those not read are counted as skips."""
    for blob in reader.read(names):
        if blob.data is None:
            out.done += 1
            out.skipped.append(Skip(blob.sha, blob.skip, blob.reason))
        else:
            yield Fragment(blob.data, blob.sha)


@dataclass(frozen=True)
class _ReaderSpec:
    """How a worker opens its own ``git cat-file`` reader; sent with each task, so that one pool can serve
    many repositories. The worker keeps the reader under :attr:`key` until the pool releases it."""

    repo_path: str
    max_size: int
    delta_cache: int | None = None

    @property
    def key(self) -> str:
        return f"reader {self.repo_path}"

    def open(self) -> BlobReader:
        return BlobReader(self.repo_path, self.max_size, self.delta_cache)


def _scan_blobs(worker: Worker, spec: _ReaderSpec | None, names: list[str], contents: list[Fragment]) -> BlobResults:
    """A pool task: scan blobs read by this worker's own reader (``names``, read as ``spec`` says) or by
    the parent (``contents``)."""
    out = BlobResults()
    fragments: Iterable[Fragment] = _fragments(worker.hold(spec.key, spec.open), names, out) \
        if spec is not None and names else contents
    for fragment in fragments:
        _scan_one(worker.engine, fragment, out)
    return out


class _Batches:
    """The batches of blob names to scan, as the pool takes them: names for workers that read, or
    contents read here (one reader, a large delta-base cache) for workers that only scan."""

    def __init__(self, repo: Repo, options: GitOptions, spec: _ReaderSpec | None):
        self.submitted = 0
        self.skipped = BlobResults()  # blobs this process could not read
        self.spec = spec  # how workers read, or None: this process reads
        self.reader = BlobReader(repo.path, options.max_file_size, options.delta_cache or _delta_cache()) \
            if spec is None else None

    def of(self, names: Iterable[list[str]]) -> Iterator[tuple[_ReaderSpec | None, list[str], list[Fragment]]]:
        for batch in names:
            self.submitted += len(batch)
            if self.reader is None:
                yield self.spec, batch, []
                continue
            contents: list[Fragment] = []
            size = 0
            for fragment in _fragments(self.reader, batch, self.skipped):
                contents.append(fragment)
                size += len(fragment.data)
                if size >= BATCH_BYTES:
                    yield None, [], contents
                    contents, size = [], 0
            if contents:
                yield None, [], contents

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()


def _scan_names(repo: Repo, rules: RuleSet, options: GitOptions, names: Iterable[list[str]],
                progress: Progress | None, pool: Tasks | None) -> BlobResults:
    """Scan every batch of blob names ``names`` yields, on ``pool`` (shared with other repositories) or on
    a pool of its own; gather what the workers found. Workers read a small store's blobs themselves; a
    large one's are read here, by one reader with a large delta-base cache, and sent to them."""
    shared = pool is not None
    parallel = shared or options.jobs > 1 and repo.object_bytes >= options.parallel_min_bytes
    reader = options.reader
    if reader == "auto":
        reader = "worker" if repo.object_bytes < WORKER_READS_BELOW else "parent"
    spec = None if parallel and reader == "parent" else _ReaderSpec(
        repo.path, options.max_file_size, None if parallel else options.delta_cache or _delta_cache())
    total = BlobResults()
    batches = _Batches(repo, options, spec)
    tasks = pool or Pool(options.jobs if parallel else 1, rules, options.engine)
    try:
        for part in tasks.as_done(_scan_blobs, batches.of(names), window=2 * (tasks.jobs if shared else options.jobs)):
            total.add(part)
            if progress:
                progress(total.done, batches.submitted, total.bytes)
    finally:
        if spec is not None:
            tasks.release(spec.key)
        if not shared:
            tasks.close()
        batches.close()
    total.add(batches.skipped)
    return total


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


def scan_history(repo: Repo, rules: RuleSet, options: GitOptions, progress: Progress | None = None,
                 pool: Tasks | None = None) -> ScanOutcome:
    """Scan the blobs of the selected history once each and return attributed findings. ``pool``: workers
    shared with other scans (built from the same ``rules``), instead of a pool started for this one."""
    selection = selection_of(repo, options)
    parser = LogParser()
    # enumerate="store", whole history: every blob in the store, in pack order, without waiting for the log
    # (a blob no commit reaches is then scanned but never reported: attribution finds no commit for it).
    upfront = all_blobs(repo) if selection.whole and options.enumerate == "store" else None
    named: queue.Queue[list[str] | None] = queue.Queue()
    failed: list[BaseException] = []
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

        def batches() -> Iterator[list[str]]:
            reader.start()
            if upfront is not None:
                for start in range(0, len(upfront), BATCH_BLOBS):
                    yield upfront[start : start + BATCH_BLOBS]
                return
            names: list[str] = []
            while (more := named.get()) is not None:
                names.extend(more)
                if len(names) >= BATCH_BLOBS:
                    yield names
                    names = []
            if names:
                yield names

        try:
            found = _scan_names(repo, rules, options, batches(), progress, pool)
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
            if reader.ident is not None:
                reader.join(timeout=5)
            stdout.close()
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
