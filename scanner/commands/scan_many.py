"""``veil scan-many``: the histories of many repositories on Ray, one report each, then a summary.

Every repository's unique blobs are batched (as ``veil git`` batches them) onto one :class:`RayPool`
of actors, one engine each, so a huge repository is spread over the whole cluster; a few repositories
are in flight at once (a driver thread each), so small ones keep the actors busy. Each driver thread
lists its repository's blobs, gathers what the actors found and attributes it (first commit, author,
age), then writes the repository's report, the same as ``veil git REPO --format FMT`` writes, and
records it as done in the output folder's state file, which ``--resume`` reads.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import click

from ..errors import VeilError
from ..outcome import ScanOutcome
from ..pool import Tasks
from ..progress import ProgressLine
from ..report import ReportOptions, render
from ..ruleset import RuleSet
from ..sources.git import GitOptions, Repo, scan_history
from ..sources.git.clone import clone, is_url, public, safe_name
from ..sources.image import ImageOptions, scan_image
from ..suppress import Suppressor
from .common import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    engine_options,
    guard,
    jobs_option,
    max_file_size_option,
    stack,
)
from .suppression import baseline_option, config_option, inline_option, resolve_suppression

SUFFIXES = {"json": ".json", "jsonl": ".jsonl", "sarif": ".sarif"}
STATE = ".veil-scan-many.json"  # in the output folder: the targets done, with their counts
SUMMARY = "summary.json"
SLOWEST = 5
TOP = 10  # rules and repositories named in the text summary


class TargetTimeout(VeilError):
    """A target took longer than ``--timeout``."""


@dataclass(frozen=True)
class Target:
    spec: str  # as the targets file gives it: may hold credentials, so never shown
    name: str  # as shown: the URL without user information, or the path
    report: str  # the report's file name in the output folder


@dataclass
class Result:
    """What one target gave: its counts for the summary, or the errors that stopped it (``failed``)."""

    name: str
    report: str
    seconds: float = 0.0
    bytes: int = 0
    findings: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)
    by_confidence: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    failed: bool = False


def read_targets(path: str, fmt: str) -> list[Target]:
    """The targets listed in ``path`` (blank lines and ``#`` comments ignored, repeats dropped), each with
    a report file name of its own: the repository's name, made safe, numbered when two would clash."""
    targets: list[Target] = []
    names: set[str] = set()
    used: set[str] = set()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            spec = line.strip()
            if not spec or spec.startswith("#"):
                continue
            name = public(spec)
            if name in names:
                click.echo(f"veil: note: {name} is listed twice; scanned once", err=True)
                continue
            names.add(name)
            stem = safe_name(spec if is_url(spec) else os.path.basename(os.path.abspath(spec)))
            report, number = stem, 1
            while report in used:
                number += 1
                report = f"{stem}-{number}"
            used.add(report)
            targets.append(Target(spec, name, report + SUFFIXES[fmt]))
    return targets


def _write_atomically(path: str, data: str) -> None:
    """``data`` to ``path`` through a temporary file beside it: a reader never sees half of it."""
    partial = f"{path}.{os.getpid()}-{threading.get_ident()}.partial"
    try:
        with open(partial, "w", encoding="utf-8") as out:
            out.write(data)
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


@dataclass(frozen=True)
class Settings:
    """What every target is scanned with."""

    rules: RuleSet
    suppressor: Suppressor
    fmt: str
    show_secrets: bool
    max_file_size: int
    engine: str | None
    timeout: float | None
    out_dir: str
    cache_dir: str


class Run:
    """One ``scan-many`` run: scans targets from driver threads on a shared pool, writes each report as
    its target finishes, keeps the state file and the progress line."""

    def __init__(self, pool: Tasks, settings: Settings, total: int, state: dict[str, dict]):
        self.pool, self.settings, self.total = pool, settings, total
        self.state = state  # target name -> Result fields, for the targets done
        self.done = len(state)
        self._bytes: dict[str, int] = {}
        self._lock = threading.Lock()
        self._progress = ProgressLine(unit="targets")

    def scan_all(self, targets: list[Target], threads: int) -> list[Result]:
        try:
            with ThreadPoolExecutor(threads, thread_name_prefix="veil-target") as executor:
                return list(executor.map(self.scan, targets))
        finally:
            self._progress.close()

    def scan(self, target: Target) -> Result:
        """Scan ``target``, once more if it fails; write its report and record it as done."""
        for attempt in (1, 2):
            started = time.monotonic()
            try:
                outcome = self._attempt(target, started)
                break
            except Exception as exc:  # noqa: BLE001 - a target's failure never stops the others
                message = _message(exc).removeprefix(f"{target.name}: ")
                if attempt == 1:
                    self._say(f"veil: {target.name}: {message}; trying once more")
                    continue
                self._say(f"veil: error: {target.name}: {message}")
                result = Result(target.name, target.report, time.monotonic() - started, errors=[message], failed=True)
                self._count(target, result)
                return result
        report = render(self.settings.fmt, outcome, self.settings.rules, ReportOptions(self.settings.show_secrets))
        _write_atomically(os.path.join(self.settings.out_dir, target.report), report)
        found = outcome.findings
        result = Result(
            target.name, target.report, time.monotonic() - started, outcome.bytes, len(found),
            dict(Counter(f.rule_id for f in found)), dict(Counter(f.confidence for f in found)),
            [public(f"{skip.path}: {skip.reason}") for skip in outcome.errors],
        )
        self._count(target, result)
        return result

    def _attempt(self, target: Target, started: float) -> ScanOutcome:
        s = self.settings
        deadline = started + s.timeout if s.timeout else None
        path = clone(target.spec, s.cache_dir, s.timeout) if is_url(target.spec) else target.spec
        if os.path.isfile(path):  # an image archive (docker save, OCI): scanned here, as `veil image -j 1` does
            return scan_image(path, s.rules, ImageOptions(1, s.max_file_size, s.engine, suppressor=s.suppressor))

        def progress(_done: int, _total: int, nbytes: int) -> None:
            self._moved(target, nbytes)
            if deadline is not None and time.monotonic() > deadline:
                raise TargetTimeout(f"timed out after {s.timeout:g} s")

        options = GitOptions(jobs=self.pool.jobs, max_file_size=s.max_file_size, engine=s.engine,
                             suppressor=s.suppressor)
        return scan_history(Repo.open(path), s.rules, options, progress, self.pool)

    def _say(self, message: str) -> None:
        with self._lock:
            self._progress.close()  # erased; drawn again on the next update
            click.echo(message, err=True)

    def _moved(self, target: Target, nbytes: int) -> None:
        with self._lock:
            self._bytes[target.name] = nbytes
            self._progress(self.done, self.total, sum(self._bytes.values()))

    def _count(self, target: Target, result: Result) -> None:
        with self._lock:
            self.done += 1
            self._bytes[target.name] = result.bytes
            if not result.failed:
                self.state[target.name] = asdict(result)
                _write_atomically(os.path.join(self.settings.out_dir, STATE),
                                  json.dumps({"version": 1, "done": self.state}, indent=1))
            self._progress(self.done, self.total, sum(self._bytes.values()))


def _message(exc: Exception) -> str:
    """A failure on one line, without credentials (a Ray error's first line: not the remote traceback)."""
    text = str(exc).strip().splitlines()
    reason = text[0] if text else type(exc).__name__
    return public(reason if isinstance(exc, VeilError) else f"{type(exc).__name__}: {reason}")


def load_state(out_dir: str) -> dict[str, dict]:
    """The targets a previous run finished whose report is still there."""
    try:
        with open(os.path.join(out_dir, STATE), encoding="utf-8") as handle:
            done = json.load(handle).get("done", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return {name: entry for name, entry in done.items()
            if isinstance(entry, dict) and os.path.exists(os.path.join(out_dir, str(entry.get("report"))))}


def summarize(results: Iterable[Result], resumed: list[str], seconds: float) -> dict[str, Any]:
    """The summary: findings by rule, confidence and repository; the slowest targets; errors per target."""
    results = list(results)
    by_rule: Counter[str] = Counter()
    by_confidence: Counter[str] = Counter()
    for result in results:
        by_rule.update(result.by_rule)
        by_confidence.update(result.by_confidence)
    total_bytes = sum(r.bytes for r in results)
    return {
        "targets": len(results),
        "resumed": resumed,
        "failed": [r.name for r in results if r.failed],
        "findings": sum(r.findings for r in results),
        "by_rule": dict(by_rule.most_common()),
        "by_confidence": dict(by_confidence.most_common()),
        "by_repository": {r.name: r.findings for r in results if not r.failed},
        "reports": {r.name: r.report for r in results if not r.failed},
        "slowest": [{"target": r.name, "seconds": round(r.seconds, 2), "mb": round(r.bytes / 1e6, 2)}
                    for r in sorted(results, key=lambda r: -r.seconds)[:SLOWEST]],
        "errors": {r.name: r.errors for r in results if r.errors},
        "seconds": round(seconds, 2),
        "mb": round(total_bytes / 1e6, 2),
    }


def summary_text(summary: dict[str, Any], out_dir: str) -> str:
    """The summary in a few lines, for stdout."""
    scanned = summary["targets"] - len(summary["resumed"]) - len(summary["failed"])
    rate = summary["mb"] / summary["seconds"] if summary["seconds"] else 0.0
    lines = [
        f"veil scan-many: {summary['targets']} targets: {scanned} scanned, {len(summary['resumed'])} skipped "
        f"(done before, --resume), {len(summary['failed'])} failed; {summary['findings']} findings; "
        f"{summary['mb']:.1f} MB in {summary['seconds']:.1f} s ({rate:.1f} MB/s)",
    ]

    def counts(title: str, table: dict[str, int]) -> None:
        if table:
            shown = ", ".join(f"{key} {value}" for key, value in list(table.items())[:TOP])
            more = f" and {len(table) - TOP} more (in {SUMMARY})" if len(table) > TOP else ""
            lines.append(f"  {title}: {shown}{more}")

    counts("by rule", summary["by_rule"])
    counts("by confidence", summary["by_confidence"])
    counts("by repository", dict(Counter({name: n for name, n in summary["by_repository"].items() if n}).most_common()))
    if summary["slowest"]:
        lines.append("  slowest: " + ", ".join(f"{s['target']} {s['seconds']:.1f} s ({s['mb']:.1f} MB)"
                                                for s in summary["slowest"]))
    lines.extend(f"  error: {name}: {'; '.join(errors)}" for name, errors in summary["errors"].items())
    lines.append(f"  reports and {SUMMARY} in {out_dir}")
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def ray_session(address: str | None, jobs: int | None) -> Iterator[int]:
    """Connect to the Ray cluster at ``address``, or start one here with ``jobs`` CPUs (unless this process
    already has Ray running); yields the number of actors to start: ``jobs``, or every CPU of the cluster.
    A Ray started here is ended on the way out, at once: not at interpreter exit, where Ray first sleeps
    half a second, and without waiting a second for its autoscaler monitor to end on SIGTERM."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no prompt, no report sent
    import ray

    started = not ray.is_initialized()
    if started:
        quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(num_cpus=jobs or os.cpu_count() or 1, **quiet)
    try:
        yield jobs or max(1, int(ray.cluster_resources().get("CPU", 1)))
    finally:
        if started:
            node = getattr(ray._private.worker, "_global_node", None)  # None when connected to a cluster
            with contextlib.suppress(Exception):  # a private hook: only ever a faster way to the same end
                node.kill_monitor(check_alive=False)
            ray.shutdown()


@click.command("scan-many")
@click.argument("targets_file", type=click.Path(exists=True, dir_okay=False))
@click.option("-d", "--output-dir", required=True, type=click.Path(file_okay=False),
              help="Folder for one report per repository, summary.json and the state --resume reads.")
@click.option("-f", "--format", "fmt", type=click.Choice(list(SUFFIXES)), default="json", show_default=True)
@click.option("--show-secrets", is_flag=True, help="Write secrets in clear in the reports (masked by default).")
@click.option("--ray-address", metavar="ADDRESS",
              help="A running Ray cluster (ray://host:10001, auto …). Default: Ray started here with --jobs CPUs.")
@click.option("--cache-dir", type=click.Path(file_okay=False),
              help="Where URL targets are cloned (bare) and fetched again on re-use.  [default: OUTPUT_DIR/.clones]")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Give up on a target after this long (it is tried once more, then reported as failed).")
@click.option("--resume", is_flag=True, help="Skip the targets a previous run into OUTPUT_DIR finished.")
@stack([engine_options, config_option("at or above the current directory"), baseline_option, inline_option,
        jobs_option, max_file_size_option("blobs")])
@click.pass_context
@guard
def scan_many(ctx: click.Context, targets_file: str, output_dir: str, fmt: str, show_secrets: bool,
              ray_address: str | None, cache_dir: str | None, timeout: float | None, resume: bool,
              **_options: Any) -> None:
    """Scan the history of every repository listed in TARGETS_FILE on Ray, one report each in OUTPUT_DIR.

    TARGETS_FILE lists one target a line: a git URL (cloned bare into --cache-dir, fetched again on
    re-use), a local repository (scanned in place) or an image archive (docker save, OCI); blank lines
    and # comments are ignored. Each report is written as soon as its repository is done; a target that
    fails is tried once more and never stops the others. Credentials in URLs are never shown or written.

    Exit status: 0 nothing found, 1 findings, 2 a target failed or could not be fully scanned.
    """
    started = time.monotonic()
    rules, suppressor = resolve_suppression(ctx, ".")
    p = ctx.params
    targets = read_targets(targets_file, fmt)
    os.makedirs(output_dir, exist_ok=True)
    state = load_state(output_dir) if resume else {}
    done = {t.name for t in targets if state.get(t.name, {}).get("report") == t.report}
    todo = [t for t in targets if t.name not in done]
    jobs = p["jobs"] if ctx.get_parameter_source("jobs") is not click.core.ParameterSource.DEFAULT \
        or not ray_address else None
    settings = Settings(rules, suppressor, fmt, show_secrets, p["max_file_size"], p["engine"], timeout, output_dir,
                        cache_dir or os.path.join(output_dir, ".clones"))
    results = [Result(**state[t.name]) for t in targets if t.name in done]
    if todo:
        try:
            from ..ray_pool import RayPool  # Ray is imported only when there is work for it
        except ImportError as exc:
            raise VeilError(f"scan-many runs on Ray, which is not installed ({exc}): pip install 'veil[ray]'") from None

        with ray_session(ray_address, jobs) as actors, RayPool(actors, rules, p["engine"]) as pool:
            run = Run(pool, settings, len(targets), {name: state[name] for name in done})
            results.extend(run.scan_all(todo, threads=min(len(todo), max(2, pool.jobs))))
    summary = summarize(results, sorted(done), time.monotonic() - started)
    _write_atomically(os.path.join(output_dir, SUMMARY), json.dumps(summary, indent=2) + "\n")
    click.echo(summary_text(summary, output_dir), nl=False)
    sys.exit(EXIT_ERROR if summary["errors"] else EXIT_FINDINGS if summary["findings"] else EXIT_CLEAN)
