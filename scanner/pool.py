"""One pool for every door: worker start-up, one engine per worker, batches in order or as they finish.

A door hands the pool its rules (each worker builds one engine from them, once) or an engine built
here (workers are then forked and inherit it: a redactor's compiled state does not pickle), plus
``settings`` every task needs (options, a suppressor …), sent once per worker rather than per task.
Tasks are module-level functions ``task(worker, *args)``. With one job, or when the door judges the
input too small to be worth worker start-up, tasks run in this process on a worker built here, so a
door has one way through whatever its size. A task's exception is raised where its result is taken.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from . import decoders  # noqa: F401 - registers the decoders in workers too, whatever the start method
from .engine import Engine
from .ruleset import RuleSet

R = TypeVar("R")


class Closable(Protocol):
    def close(self) -> None: ...


@dataclass
class Worker:
    """What one worker holds for its whole life: one engine, the door's settings, and resources it
    opened once (a ``git cat-file`` reader, say), closed when the worker ends."""

    engine: Engine
    settings: Any = None
    held: dict[str, Closable] = field(default_factory=dict)

    def hold(self, name: str, make: Callable[[], Closable]) -> Any:
        """The resource ``name``, made on first use and kept for this worker's life."""
        if name not in self.held:
            self.held[name] = make()
        return self.held[name]

    def release(self, name: str) -> None:
        """Close and forget the resource ``name``, if held (its input is done; the worker goes on)."""
        resource = self.held.pop(name, None)
        if resource is not None:
            resource.close()

    def close(self) -> None:
        for resource in self.held.values():
            resource.close()
        self.held.clear()


_worker: Worker | None = None  # in a worker process: its state, set once at start-up


def _start(rules: RuleSet | None, backend: str | None, settings: Any, engine: Engine | None) -> None:
    global _worker
    _worker = Worker(engine or Engine(rules, backend=backend), settings)
    # Workers leave through multiprocessing's exit, which runs finalizers, not atexit.
    multiprocessing.util.Finalize(_worker, _worker.close, exitpriority=10)


def _call(task: Callable[..., R], args: tuple) -> R:
    assert _worker is not None, "worker not started"
    return task(_worker, *args)


class Tasks:
    """What a pool offers a door beyond :meth:`submit`: tasks over many batches, in order or as they finish.
    Subclasses set ``jobs`` and implement ``submit`` (this module's :class:`Pool`, or one on a cluster)."""

    jobs: int

    def submit(self, task: Callable[..., R], *args: Any) -> Future[R]:
        raise NotImplementedError

    def release(self, name: str) -> None:
        """Close what the workers hold under ``name``: a pool shared by many inputs does so as each input
        is done. A pool serving one input closes everything when it ends, so here: nothing."""

    def map(self, task: Callable[..., R], batches: Sequence[tuple], order: Iterable[int] | None = None) -> list[R]:
        """``task`` over every batch (a tuple of arguments); results in the batches' order. ``order``:
        the order to start them in (largest first, so one big batch does not start last)."""
        futures = {i: self.submit(task, *batches[i]) for i in (range(len(batches)) if order is None else order)}
        return [futures[i].result() for i in range(len(batches))]

    def as_done(self, task: Callable[..., R], batches: Iterable[tuple], window: int | None = None) -> Iterator[R]:
        """``task`` over every batch, results as they finish; batches are taken from ``batches`` only
        while fewer than ``window`` (default: four per worker) wait, so a lazy source is read as it goes."""
        window = window or 4 * self.jobs
        pending: set[Future[R]] = set()
        for args in batches:
            pending.add(self.submit(task, *args))
            done, pending = wait(pending, timeout=None if len(pending) >= window else 0, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in done)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in done)


class Pool(Tasks):
    """``jobs`` worker processes (none when ``jobs`` is 1: tasks then run here, at once).

    Pass ``rules`` and ``backend`` for workers that build their own engine, or ``engine`` for workers
    forked from this process that inherit it. Use as a context manager: leaving it stops the workers
    and closes what they held.
    """

    def __init__(self, jobs: int, rules: RuleSet | None = None, backend: str | None = None, *,
                 settings: Any = None, engine: Engine | None = None):
        self.jobs = max(1, jobs)
        self._local: Worker | None = None
        self._executor: ProcessPoolExecutor | None = None
        if self.jobs == 1:
            self._local = Worker(engine or Engine(rules, backend=backend), settings)
        else:
            context = multiprocessing.get_context("fork") if engine is not None else None
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_start,
                                                 initargs=(rules, backend, settings, engine))

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        if self._local is not None:
            self._local.close()

    @property
    def here(self) -> Worker:
        """The worker of a one-job pool, in this process: for work that keeps state from one task to
        the next (the MCP tool names a trace file leaves for the next)."""
        if self._local is None:
            raise RuntimeError("a pool with workers has no worker here")
        return self._local

    def submit(self, task: Callable[..., R], *args: Any) -> Future[R]:
        """Run ``task(worker, *args)``: on a worker, or here at once when there are none."""
        if self._executor is not None:
            return self._executor.submit(_call, task, args)
        future: Future[R] = Future()
        try:
            future.set_result(task(self._local, *args))
        except Exception as exc:  # noqa: BLE001 - raised where the result is taken, as from a worker
            future.set_exception(exc)
        return future
