"""Pump a byte stream through a masker to an output: each line out as soon as it is complete, big
blocks of a backlog masked by the pool's workers meanwhile, nothing printed in clear if masking fails."""

from __future__ import annotations

import contextlib
import os
import select
import stat
import time
from collections import deque
from typing import TYPE_CHECKING, BinaryIO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

from .stream import ByteStreamRedactor, Job

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..pool import Pool, Worker

BATCH = 1 << 20
PARALLEL_MIN = 1 << 18  # blocks this big go to worker processes (with -j > 1); smaller ones are masked inline
WITHHELD = b"[REDACTED:veil-error]"


def _withheld(block: bytes) -> bytes:
    """One mask per line: what is written if masking a block fails, so no line is lost."""
    lines = block.count(b"\n")
    return (WITHHELD + b"\n") * lines + (WITHHELD if not block.endswith(b"\n") else b"")


def _mask_safely(stream: ByteStreamRedactor, job: Job) -> bytes:
    try:
        return stream.mask(job)
    except Exception:  # noqa: BLE001 - never print what could not be masked
        return _withheld(job.block)


def _mask_in_worker(worker: Worker, job: Job) -> bytes:
    """A pool task: mask one block with the stream the worker inherited."""
    return _mask_safely(worker.settings, job)


class Writer:
    """Writes masked blocks in input order; big blocks are masked by worker processes meanwhile."""

    def __init__(self, stream: ByteStreamRedactor, out: BinaryIO, jobs: int):
        self.stream, self.out, self.jobs = stream, out, jobs
        self.pool: Pool | None = None
        self.pending: deque[tuple[Future, bytes]] = deque()

    def submit(self, job: Job) -> None:
        if self.jobs > 1 and (self.pending or len(job.block) >= PARALLEL_MIN):
            if self.pool is None:  # only a backlog with -j > 1 needs workers; they inherit the stream by fork
                from ..pool import Pool  # imported here: spare every other run the cost of multiprocessing

                self.pool = Pool(self.jobs, engine=self.stream.redactor.engine, settings=self.stream)
            self.pending.append((self.pool.submit(_mask_in_worker, job), job.block))
            while len(self.pending) > 2 * self.jobs or (self.pending and self.pending[0][0].done()):
                self._write_oldest()
        else:
            self._write(_mask_safely(self.stream, job))

    def drain(self) -> None:
        """Write everything submitted: called before waiting for input, so no line waits on the pool."""
        while self.pending:
            self._write_oldest()

    def close(self) -> None:
        self.drain()
        if self.pool is not None:
            self.pool.close()

    def _write_oldest(self) -> None:
        future, block = self.pending.popleft()
        try:
            masked = future.result()
        except Exception:  # noqa: BLE001 - a worker died: never print the block in clear
            masked = _withheld(block)
        self._write(masked)

    def _write(self, data: bytes) -> None:
        if data:
            self.out.write(data)
            self.out.flush()


def _widen_pipe(fd: int) -> None:
    """Let a fast producer run up to :data:`BATCH` bytes ahead on a pipe (Linux; 64 KiB by default),
    so a backlog reaches the engine in big blocks. Anything else is left as it is."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), BATCH)


def pump(source: BinaryIO, writer: Writer, max_hold: float) -> None:
    """Copy ``source`` through the writer's stream. Each line goes out as soon as it is complete: a
    read takes only what is already there, and pending blocks are written before waiting for more.
    Lines held back (an open key block) are released once held ``max_hold`` seconds."""
    fd, stream = source.fileno(), writer.stream
    _widen_pipe(fd)
    eof, held_since = False, 0.0
    while not eof:
        if writer.pending and not select.select([fd], [], [], 0)[0]:
            writer.drain()
        if stream.holding:
            wait = held_since + max_hold - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                for job in stream.release():
                    writer.submit(job)
                writer.drain()
                continue
        chunk = os.read(fd, BATCH)  # returns what is there, however little: no wait for more
        if not chunk:
            break
        # A backlog (a file, a fast producer): take what is already there, up to BATCH bytes, so
        # the engine sees big blocks. Nothing waits for data that has not arrived.
        parts, size = [chunk], len(chunk)
        while size < BATCH and select.select([fd], [], [], 0)[0]:
            more = os.read(fd, BATCH - size)
            if not more:
                eof = True
                break
            parts.append(more)
            size += len(more)
        was_holding = stream.holding
        for job in stream.take(b"".join(parts) if len(parts) > 1 else chunk):
            writer.submit(job)
        if not was_holding:
            held_since = time.monotonic()
    for job in stream.take_rest():
        writer.submit(job)
    writer.drain()
