#!/usr/bin/env python3
"""Time ``veil scan-many`` on Ray against ``veil git`` run on each repository one after another.

Generates 12 repositories of mixed sizes (one larger) with ``benchmarks/git_generate.py``, or takes the
repositories given, then times (a) ``veil git REPO --format json`` on each in turn (the real console
script, all cores each), (b) ``veil scan-many`` over all of them with ``-j 1`` and ``-j`` N (Ray started by
the command itself, included in the time), (c) ``veil scan-many --ray-address`` on a Ray this script
started beforehand (Ray's start-up, several seconds, left out). Prints a table and whether every
repository's findings count is the same every way.

    python benchmarks/scale_ray.py                       # 12 generated repositories under benchmarks/.work/ray
    python benchmarks/scale_ray.py /work/.mirror/*/repo  # existing repositories
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VEIL = str(Path(sys.executable).with_name("veil"))
SIZES = [1500] + [150 + 50 * n for n in range(11)]  # commits: one larger repository, eleven small to medium


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("repos", nargs="*", type=Path, help="repositories to scan (default: 12 generated ones)")
    p.add_argument("--work", type=Path, default=HERE / ".work" / "ray", help="where generated repositories go")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers of the widest scan-many run")
    return p.parse_args(argv)


def generate(work: Path) -> list[Path]:
    """The 12 benchmark repositories, generated once (deterministic) and re-used afterwards."""
    repos = []
    for n, commits in enumerate(SIZES):
        repo = work / f"repo{n:02d}.git"
        if not (repo / "HEAD").exists():
            subprocess.run([sys.executable, str(HERE / "git_generate.py"), str(repo), "--commits", str(commits),
                            "--files", "120", "--seed", str(n + 1)], check=True, capture_output=True)
        repos.append(repo)
    return repos


def sequential(repos: list[Path]) -> tuple[float, dict[str, int], int]:
    """``veil git`` on each repository in turn: seconds, findings per repository, bytes of blobs scanned."""
    counts, total = {}, 0
    started = time.perf_counter()
    for repo in repos:
        proc = subprocess.run([VEIL, "git", str(repo), "--format", "json"], capture_output=True, check=False)
        report = json.loads(proc.stdout)
        counts[str(repo)] = len(report["findings"])
        total += report["stats"]["bytes"]
    return time.perf_counter() - started, counts, total


def scan_many(repos: list[Path], jobs: int, *more: str) -> tuple[float, dict[str, int]]:
    """``veil scan-many -j jobs`` (and options ``more``) over every repository: seconds, findings per repository."""
    with tempfile.TemporaryDirectory() as out:
        targets = Path(out) / "targets.txt"
        targets.write_text("".join(f"{repo}\n" for repo in repos))
        started = time.perf_counter()
        subprocess.run([VEIL, "scan-many", str(targets), "-d", f"{out}/reports", "-j", str(jobs), *more],
                       capture_output=True, check=False)
        seconds = time.perf_counter() - started
        summary = json.loads((Path(out) / "reports" / "summary.json").read_text())
    return seconds, summary["by_repository"]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    repos = [repo.resolve() for repo in args.repos] or generate(args.work)
    base, expected, total = sequential(repos)
    mb = total / 1e6
    rows = [("veil git, one after another", base)]
    same = True
    for jobs in sorted({1, args.jobs}):
        seconds, counts = scan_many(repos, jobs)
        rows.append((f"veil scan-many -j {jobs}", seconds))
        same &= counts == expected
    import ray  # here: the rest of the script runs without it

    ray.init(num_cpus=args.jobs, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    try:
        seconds, counts = scan_many(repos, args.jobs, "--ray-address", ray.get_runtime_context().gcs_address)
    finally:
        ray.shutdown()
    rows.append((f"veil scan-many -j {args.jobs}, Ray up", seconds))
    same &= counts == expected
    print(f"{len(repos)} targets, {mb:.1f} MB of blobs, {sum(expected.values())} findings, {os.cpu_count()} cores")
    print(f"{'run':<30} {'targets':>7} {'MB':>8} {'seconds':>8} {'MB/s':>7} {'vs sequential':>14}")
    for name, seconds in rows:
        print(f"{name:<30} {len(repos):>7} {mb:>8.1f} {seconds:>8.2f} {mb / seconds:>7.1f} {base / seconds:>13.2f}x")
    print(f"identical findings count per repository: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
