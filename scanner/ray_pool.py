"""A pool on Ray: the :class:`~scanner.pool.Tasks` interface, run by a fixed set of Ray actors.

Each actor holds one :class:`~scanner.pool.Worker` for its life: one engine, built once from the rules
(the rules travel to each actor once; the compiled engine never travels), and what its tasks open (a
repository's ``git cat-file`` reader), kept until the pool releases it. Tasks are the same module-level
functions ``task(worker, *args)`` the process pool runs. Each goes to the actor with the fewest tasks
waiting, so several inputs scanned at once (repositories, from driver threads) share the actors.
Ray must be initialised (``ray.init``) before the pool is made.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import ray

from . import decoders  # noqa: F401 - registers the decoders in the actors too
from .engine import Engine
from .pool import Tasks, Worker
from .ruleset import RuleSet

R = TypeVar("R")


class _Actor:
    """One Ray actor: one worker, one engine."""

    def __init__(self, rules: RuleSet, backend: str | None):
        self.worker = Worker(Engine(rules, backend=backend))

    def run(self, task: Callable[..., R], args: tuple) -> R:
        return task(self.worker, *args)

    def release(self, name: str) -> None:
        self.worker.release(name)

    def close(self) -> None:
        self.worker.close()


class RayPool(Tasks):
    """``jobs`` Ray actors (one CPU each) that each build an engine from ``rules``; a context manager."""

    def __init__(self, jobs: int, rules: RuleSet, backend: str | None = None):
        self.jobs = max(1, jobs)
        actor = ray.remote(num_cpus=1)(_Actor)
        self._actors = [actor.remote(rules, backend) for _ in range(self.jobs)]
        ray.get([a.__ray_ready__.remote() for a in self._actors])  # started, engines built: not counted in a scan
        self._waiting = [0] * self.jobs
        self._lock = threading.Lock()

    def __enter__(self) -> RayPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def submit(self, task: Callable[..., R], *args: Any) -> Future[R]:
        """Run ``task(worker, *args)`` on the actor with the fewest tasks waiting."""
        with self._lock:
            index = min(range(self.jobs), key=self._waiting.__getitem__)
            self._waiting[index] += 1
        future: Future[R] = self._actors[index].run.remote(task, args).future()
        future.add_done_callback(lambda _done: self._finished(index))
        return future

    def _finished(self, index: int) -> None:
        with self._lock:
            self._waiting[index] -= 1

    def release(self, name: str) -> None:
        """Close what every actor holds under ``name``; queued behind the tasks already sent to it."""
        for actor in self._actors:
            actor.release.remote(name)

    def close(self) -> None:
        """Close what the actors hold, then end them."""
        ray.get([actor.close.remote() for actor in self._actors])
        for actor in self._actors:
            ray.kill(actor)
