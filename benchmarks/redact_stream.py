"""Throughput of ``veil redact`` on a JSONL agent log, next to ``cat`` and a five-substitution ``sed -E``.

    python benchmarks/redact_stream.py [--size-mb 200] [--repeat 1] [--write]

The log is generated once (seeded) into benchmarks/.work/agent-<size>MB.jsonl: agent steps, tool
calls with JSON arguments, model calls with token counts, HTTP requests, stack traces, and a
fake secret about every 400 lines. Each command reads the file on stdin and writes to /dev/null,
one after another, each as ``cat FILE | COMMAND > /dev/null``; MB/s = file size / wall time, best
of --repeat. ``--probe`` adds in-process rows with some rules left out, to show where time goes.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import time
from pathlib import Path

WORK = Path(__file__).with_name(".work")
SECRETS = [
    "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d",
    "AKIABNXJBTFQXKWOVOMP",
    "xoxb-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "glpat-Zq81hVb7TwPm3xKdLr2A",
    "sk-proj-" + "Tq7pXz9Lm2Nv4Rb8Kc1Wd6Yf3Hg5Js0Ae" * 2,
]
SED = (
    "s/ghp_[A-Za-z0-9]{36}/[REDACTED]/g; s/AKIA[A-Z2-7]{16}/[REDACTED]/g; "
    "s/xox[baprs]-[A-Za-z0-9-]{10,}/[REDACTED]/g; s/glpat-[A-Za-z0-9_-]{20}/[REDACTED]/g; "
    "s/sk-[A-Za-z0-9_-]{20,}/[REDACTED]/g"
)
WORDS = [
    "the",
    "weather",
    "in",
    "paris",
    "tomorrow",
    "summarize",
    "this",
    "document",
    "find",
    "flights",
    "to",
    "tokyo",
    "list",
    "open",
    "issues",
    "refactor",
    "parser",
    "write",
    "unit",
    "tests",
    "for",
    "api",
    "client",
    "check",
    "disk",
    "usage",
    "on",
    "node",
    "three",
]


def _line(rng: random.Random, n: int) -> str:
    ts = f"2026-11-23T10:{n // 60000 % 60:02d}:{n // 1000 % 60:02d}.{n % 1000:03d}Z"
    trace = f"{rng.getrandbits(128):032x}"
    kind = rng.random()
    text = " ".join(rng.choices(WORDS, k=rng.randint(4, 14)))
    if kind < 0.35:
        doc = {
            "ts": ts,
            "level": "info",
            "logger": "agent.loop",
            "trace_id": trace,
            "step": n % 50,
            "msg": f"step finished: {text}",
            "latency_ms": rng.randint(5, 4000),
        }
    elif kind < 0.6:
        args = {"query": text, "limit": rng.randint(1, 50), "path": f"/srv/data/{rng.randint(1, 999)}.json"}
        doc = {
            "ts": ts,
            "level": "debug",
            "logger": "agent.tools",
            "trace_id": trace,
            "tool": "web_search",
            "arguments": json.dumps(args),
            "result_chars": rng.randint(100, 90000),
        }
    elif kind < 0.8:
        doc = {
            "ts": ts,
            "level": "info",
            "logger": "llm.client",
            "trace_id": trace,
            "model": "small-v2",
            "usage": {"input_tokens": rng.randint(100, 9000), "output_tokens": rng.randint(10, 900)},
            "messages": [{"role": "user", "content": text}, {"role": "assistant", "content": text[::-1]}],
        }
    elif kind < 0.97:
        doc = {
            "ts": ts,
            "level": "info",
            "logger": "http",
            "trace_id": trace,
            "method": "POST",
            "url": f"https://api.example.com/v1/items/{rng.randint(1, 10**6)}",
            "status": 200,
            "duration_ms": rng.random() * 300,
            "user_agent": "agent/1.4 python-httpx/0.27",
        }
    else:
        doc = {
            "ts": ts,
            "level": "error",
            "logger": "agent.loop",
            "trace_id": trace,
            "msg": "tool failed",
            "exc": 'Traceback (most recent call last):\n  File "agent/loop.py", line 88, in run\n'
            "    result = tool(**args)\nTimeoutError: upstream took too long",
        }
    if rng.random() < 1 / 400:
        doc["note"] = f"retrying with credential {rng.choice(SECRETS)}"
    return json.dumps(doc, separators=(",", ":"))


def generate(size_mb: int) -> Path:
    path = WORK / f"agent-{size_mb}MB.jsonl"
    if path.exists() and path.stat().st_size >= size_mb * 10**6:
        return path
    WORK.mkdir(exist_ok=True)
    rng, n, written = random.Random(7), 0, 0
    with open(path.with_suffix(".tmp"), "w", encoding="utf-8") as out:
        while written < size_mb * 10**6:
            batch = "".join(_line(rng, n + i) + "\n" for i in range(1000))
            out.write(batch)
            written += len(batch.encode())
            n += 1000
    path.with_suffix(".tmp").rename(path)
    return path


def keyword_dense_log(size_mb: int) -> Path:
    """The keyword-dense application log of ``keyword_dense.py`` (with its manifest), generated once."""
    from keyword_dense import generate_log

    path = WORK / f"keyword-dense-{size_mb}MB.jsonl"
    if not path.exists():
        WORK.mkdir(exist_ok=True)
        generate_log(path, size_mb * 10**6)
    return path


def masked_planted(veil: str, path: Path) -> tuple[int, int]:
    """(planted fakes no longer in clear after ``veil redact``, planted fakes) from the log's manifest."""
    manifest = json.loads(path.with_suffix(".manifest.json").read_text())
    with open(path, "rb") as handle:
        out = subprocess.run([veil, "redact", "-j", "2"], stdin=handle, capture_output=True, check=True).stdout
    lines = out.decode().split("\n")
    return sum(entry["value"] not in lines[entry["line"] - 1] for entry in manifest), len(manifest)


def _time(cmd: list[str], path: Path) -> float:
    """Wall time of ``cat path | cmd > /dev/null``: the command reads a pipe, as a pipeline stage does."""
    start = time.perf_counter()
    feeder = subprocess.Popen(["cat", str(path)], stdout=subprocess.PIPE)
    subprocess.run(cmd, stdin=feeder.stdout, stdout=subprocess.DEVNULL, check=True)
    feeder.stdout.close()
    feeder.wait()
    return time.perf_counter() - start


def _in_process(path: Path, without: tuple[str, ...]) -> float:
    """ByteStreamRedactor fed 1 MB blocks in this process, optionally without some rules: where the time goes."""
    from scanner.engine import Engine
    from scanner.redact import ByteStreamRedactor, Redactor
    from scanner.ruleset import RuleSet

    stream = ByteStreamRedactor(Redactor(Engine([r for r in RuleSet.default() if r.id not in without])))
    start = time.perf_counter()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            stream.feed(block)
    stream.close()
    return time.perf_counter() - start


def main() -> None:
    from throughput import veil_exe

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--dense-mb", type=int, default=200, help="size of the keyword-dense log (0: skip it)")
    parser.add_argument("--probe", action="store_true", help="also time the redactor in-process with fewer rules")
    parser.add_argument("--write", action="store_true", help="update the Redaction section of RESULTS.md")
    args = parser.parse_args()
    veil = str(veil_exe())
    inputs = [generate(args.size_mb)] + ([keyword_dense_log(args.dense_mb)] if args.dense_mb else [])
    for path in inputs:
        print(f"\n{path.name}")
        table = _measure(veil, path, args)
        if path.name.startswith("keyword-dense"):
            masked, planted = masked_planted(veil, path)
            print(f"planted fakes masked: {masked}/{planted}")
    if args.write:
        from redact_results import write_subsection

        path = inputs[0]
        with open(path, "rb") as handle:
            lines = sum(1 for _ in handle)
        write_subsection(
            "Stream (`benchmarks/redact_stream.py`)",
            (
                f"{path.stat().st_size / 1e6:.0f} MB generated JSONL agent log ({lines} lines, a fake secret about "
                f"every 400 lines), `cat FILE | COMMAND > /dev/null`, best of {args.repeat}, 2 shared cores. "
                "Target: `veil redact` at least as fast as the `sed -E`.\n\n" + table
            ),
        )


def _measure(veil: str, path: Path, args: argparse.Namespace) -> str:
    """Time every command (and the in-process probes if asked) on one input; print and return the table."""
    size = path.stat().st_size
    commands = {
        "cat": ["cat"],
        "sed -E (5 substitutions)": ["sed", "-E", SED],
        "veil redact -j 1": [veil, "redact", "-j", "1"],
        "veil redact (-j 2: both cores)": [veil, "redact", "-j", "2"],
        "veil redact --jsonl (-j 2)": [veil, "redact", "--jsonl", "-j", "2"],
    }
    _time(["cat"], path)  # warm the page cache
    probes = {  # in-process rows, to show what the engine's rules cost on this log
        "in-process ByteStreamRedactor, all rules": (),
        "in-process, without generic-secret-assignment": ("generic-secret-assignment",),
        "in-process, without it and url-basic-auth": ("generic-secret-assignment", "url-basic-auth"),
    }
    best = {name: float("inf") for name in [*commands, *probes]}
    for _ in range(args.repeat):
        for name, cmd in commands.items():
            best[name] = min(best[name], _time(cmd, path))
        if args.probe:
            for name, without in probes.items():
                best[name] = min(best[name], _in_process(path, without))
    best = {name: value for name, value in best.items() if value != float("inf")}
    rows = ["| command | seconds | MB/s | vs sed |", "|---|---:|---:|---:|"]
    for name, seconds in best.items():
        rows.append(
            f"| {name} | {seconds:.2f} | {size / seconds / 1e6:.1f} | "
            f"{best['sed -E (5 substitutions)'] / seconds:.2f}× |"
        )
    table = "\n".join(rows)
    print(table)
    return table


if __name__ == "__main__":
    main()
