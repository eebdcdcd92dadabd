"""``veil redact`` (a stdin→stdout masking stage) and ``veil export otelcol``."""

from __future__ import annotations

import contextlib
import os
import select
import stat
import sys
import time
from collections import deque
from typing import TYPE_CHECKING, BinaryIO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

import click

from ..commands.base import EXIT_CLEAN, EXIT_ERROR, guard, load_rules, output_folder_exists, write_report
from ..engine import Engine
from ..prefilter import BACKENDS
from .core import DEFAULT_MASK, Redactor
from .known import DEFAULT_ENV_PATTERNS, MIN_LENGTH, env_values
from .otelcol import PROCESSORS, render
from .stream import DEFAULT_MAX_HOLD, ByteStreamRedactor, Job

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

BATCH = 1 << 20
PARALLEL_MIN = 1 << 18  # blocks this big go to worker processes (with -j > 1); smaller ones are masked inline
DEFAULT_MAX_HOLD_SECONDS = 1.0
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


_worker_stream: ByteStreamRedactor | None = None  # set before the pool forks: workers inherit it


def _mask_in_worker(job: Job) -> bytes:
    return _mask_safely(_worker_stream, job)


class _Writer:
    """Writes masked blocks in input order; big blocks are masked by worker processes meanwhile."""

    def __init__(self, stream: ByteStreamRedactor, out: BinaryIO, jobs: int):
        self.stream, self.out, self.jobs = stream, out, jobs
        self.pool: ProcessPoolExecutor | None = None
        self.pending: deque[tuple[Future, bytes]] = deque()

    def submit(self, job: Job) -> None:
        if self.jobs > 1 and (self.pending or len(job.block) >= PARALLEL_MIN):
            if self.pool is None:
                global _worker_stream
                _worker_stream = self.stream
                import multiprocessing  # only a backlog with -j > 1 needs workers: spare every other run
                from concurrent.futures import ProcessPoolExecutor

                self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"))
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
            self.pool.shutdown()

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


def _pump(source: BinaryIO, writer: _Writer, max_hold: float) -> None:
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


@click.command("redact")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--jsonl", is_flag=True, help="Each line is JSON: mask inside string values, keep every line valid JSON.")
@click.option("--known-values-from-env", is_flag=True,
              help="Also mask the exact values of environment variables whose names look secret "
                   f"({', '.join(DEFAULT_ENV_PATTERNS[:6])}, …; see --env-name), in their base64, URL, JSON "
                   "and XML forms too.")
@click.option("--env-name", "env_names", multiple=True, metavar="GLOB",
              help="Which variables --known-values-from-env reads: a name or a glob (repeatable; replaces the "
                   "default list; implies --known-values-from-env).")
@click.option("--known-values-file", type=click.Path(exists=True, dir_okay=False),
              help="Also mask the exact values listed in this file, one per line.")
@click.option("--mask", default=DEFAULT_MASK, show_default=True,
              help="Mask format: {rule} is the rule id (or 'known'), {hash} a short keyed hash of the secret "
                   "(key from $VEIL_HASH_KEY, else random per run).")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra rule file in Veil's TOML format (repeatable).")
@click.option("--engine", type=click.Choice(BACKENDS), help="Keyword prefilter (default: hyperscan if installed).")
@click.option("--max-hold", type=click.FloatRange(min=0), default=DEFAULT_MAX_HOLD_SECONDS, show_default=True,
              metavar="SECONDS",
              help="Longest time a complete line is held back (while a -----BEGIN block waits for its END line); "
                   "an open private-key block is then released with its base64 body masked.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes that mask big blocks of a backlog side by side (on 2 cores one was faster).")
@guard
def redact_command(files, jsonl, known_values_from_env, env_names, known_values_file, mask, rule_files,
                   engine, max_hold, jobs) -> None:
    """Mask secrets in FILES (default: standard input) and write the text to standard output.

    Line-buffered: each line is written as soon as it is complete (a line inside a -----BEGIN block
    waits for the block's END, at most --max-hold seconds). Bytes that are not valid UTF-8
    pass through unchanged, and no line is ever dropped. For any log pipeline:
    `kubectl logs -f pod | veil redact`.
    """
    known: list[str] = []
    if known_values_from_env or env_names:
        known += env_values(env_names or None).values()
    if known_values_file:
        known += _known_values(known_values_file)
    try:
        redactor = Redactor(Engine(load_rules(rule_files), engine), known, mask=mask,
                            hash_key=os.environ.get("VEIL_HASH_KEY"))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    out = sys.stdout.buffer
    failed = False
    if not hasattr(os, "fork"):
        jobs = 1  # workers inherit the compiled rules by fork; elsewhere mask in this process
    for name in files or ("-",):
        writer = _Writer(ByteStreamRedactor(redactor, jsonl=jsonl, max_hold=DEFAULT_MAX_HOLD * 16), out, jobs)
        try:
            if name == "-":
                _pump(sys.stdin.buffer, writer, max_hold)
                continue
            with open(name, "rb") as handle:
                _pump(handle, writer, max_hold)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            click.echo(f"veil: error: {name}: {exc.strerror}", err=True)
            failed = True
        finally:
            writer.close()
    sys.exit(EXIT_ERROR if failed else EXIT_CLEAN)


def _known_values(path: str) -> list[str]:
    """The values listed in ``path``, one a line; a file that is not UTF-8 is a usage error naming it, and
    values too short to be masked are counted in a warning (never quoted)."""
    try:
        with open(path, encoding="utf-8") as handle:
            values = [line.rstrip("\r\n") for line in handle if line.strip()]
    except UnicodeDecodeError:
        raise click.UsageError(f"{path}: not UTF-8 text; --known-values-file takes one value a line") from None
    short = sum(1 for v in values if len(v) < MIN_LENGTH)
    if short:
        verb = "are" if short > 1 else "is"
        click.echo(f"veil: warning: {path}: {short} value{'s' * (short > 1)} {verb} shorter than {MIN_LENGTH} "
                   f"characters and {verb} not masked", err=True)
    return values


@click.group("export")
def export_group() -> None:
    """Export Veil's rules as configuration for other tools."""


@export_group.command("otelcol")
@click.option("--processor", type=click.Choice(PROCESSORS), default="transform", show_default=True,
              help="transform: OTTL statements that keep the text around each secret (attributes, span names, "
                   "status messages, log bodies); redaction: the redaction processor's blocked_values.")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), callback=output_folder_exists,
              help="Write here, not to stdout.")
@guard
def export_otelcol(processor, rule_files, output) -> None:
    """Write an OpenTelemetry Collector processor configuration (YAML) from the rule set."""
    write_report(render(load_rules(rule_files), processor), output, "the configuration")
