"""``veil redact-lake`` on a local Spark session next to ``veil redact`` in one process, on the same log.

    python benchmarks/scale_spark.py [--source FILE] [--copies 3] [--keep]

The log is --copies concatenated copies of --source (default benchmarks/.work/agent-50MB.jsonl, made by
benchmarks/redact_stream.py), about 150 MB. Rows: ``veil redact --jsonl`` (and plain ``veil redact``
for the text format) reading the file, writing a file, best of three; ``veil redact-lake --format json`` with local[1]
and local[2]; ``--format text`` with local[2]. "wall" is the whole command (a Spark run includes
starting the JVM and its Python workers), "masking" the seconds redact-lake reports for reading,
masking and writing (on a cold JVM and cold Python workers). The "warm" rows run the same plan
(``scanner.spark.redact_counted``) twice in one session and time the second run: the rate a long job
reaches once the JVM has compiled its code. Each Spark output (its part files, in order) is compared
with ``veil redact``'s.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

WORK = Path(__file__).with_name(".work")
VEIL = str(Path(sys.executable).with_name("veil"))
_SECONDS = re.compile(r"values masked in ([\d.]+) s")


def build_log(source: Path, copies: int) -> Path:
    """``copies`` copies of ``source`` in one file (made once)."""
    target = WORK / f"{source.stem}-x{copies}.jsonl"
    if not target.exists() or target.stat().st_size != copies * source.stat().st_size:
        with open(target, "wb") as out:
            for _ in range(copies):
                with open(source, "rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)
    return target


def veil_redact(log: Path, out: Path, jsonl: bool, repeat: int = 3) -> float:
    """Wall seconds of ``veil redact`` from ``log`` to ``out``, best of ``repeat`` (it takes seconds)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.monotonic()
        with open(log, "rb") as source, open(out, "wb") as sink:
            subprocess.run([VEIL, "redact", *(["--jsonl"] if jsonl else [])], stdin=source, stdout=sink, check=True)
        best = min(best, time.monotonic() - started)
    return best


def redact_lake(log: Path, out: Path, fmt: str, cores: int) -> tuple[float, float]:
    """Wall seconds of ``veil redact-lake``, and the seconds it reports for masking."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.monotonic()
    proc = subprocess.run([VEIL, "redact-lake", str(log), str(out), "--format", fmt, "-j", str(cores)],
                          capture_output=True, text=True)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"redact-lake failed ({proc.returncode}):\n{proc.stderr}")
    return wall, float(_SECONDS.search(proc.stderr).group(1))


def warm_seconds(log: Path, out: Path, cores: int) -> float:
    """Seconds of the second of two runs of redact-lake's JSON plan in one local[cores] session."""
    from pyspark.sql import functions as F

    from scanner.commands.redact_lake import quiet_session
    from scanner.spark import Masking, redact_counted

    session = quiet_session(f"local[{cores}]")
    try:
        for _ in range(2):
            started = time.monotonic()
            lines = session.read.option("lineSep", "\n").text(str(log))
            df = lines.select(F.col("value").cast("binary").alias("value"))
            masked, _observation = redact_counted(df, "value", Masking(), jsonl=True)
            masked.select(F.col("value").cast("string")).write.mode("overwrite").text(str(out))
            seconds = time.monotonic() - started
    finally:
        session.stop()
    return seconds


def differing_lines(out: Path, reference: Path) -> int:
    """Lines where the part files of ``out`` (in order) differ from ``reference``; -1 if the counts differ."""
    mine = b"".join(part.read_bytes() for part in sorted(out.glob("part-*"))).split(b"\n")
    theirs = reference.read_bytes().split(b"\n")
    if len(mine) != len(theirs):
        return -1
    return sum(a != b for a, b in zip(mine, theirs, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=WORK / "agent-50MB.jsonl")
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="Keep the outputs in benchmarks/.work/spark.")
    args = parser.parse_args()
    if not args.source.exists():
        sys.exit(f"{args.source}: missing; make it with python benchmarks/redact_stream.py --size-mb 50")
    log = build_log(args.source, args.copies)
    mb = log.stat().st_size / 1e6
    work = WORK / "spark"
    work.mkdir(exist_ok=True)
    reference = {fmt: work / f"veil-redact-{fmt}.out" for fmt in ("json", "text")}
    base = veil_redact(log, reference["json"], jsonl=True)
    text_base = veil_redact(log, reference["text"], jsonl=False)
    lines = log.read_bytes().count(b"\n")
    print(f"{log.name}: {mb:.0f} MB, {lines} lines\n")
    print(f"{'command':<40} {'wall s':>7} {'MB/s':>7} {'masking s':>10} {'MB/s':>7} {'vs redact':>10} {'diff':>5}")
    print(f"{'veil redact --jsonl':<40} {base:7.1f} {mb / base:7.1f}")
    print(f"{'veil redact':<40} {text_base:7.1f} {mb / text_base:7.1f}")
    for fmt, cores in (("json", 1), ("json", 2), ("text", 2)):
        out = work / f"lake-{fmt}-{cores}"
        wall, masking = redact_lake(log, out, fmt, cores)
        ratio = base / masking if fmt == "json" else text_base / masking
        print(f"{f'veil redact-lake --format {fmt} -j {cores}':<40} {wall:7.1f} {mb / wall:7.1f} {masking:10.1f} "
              f"{mb / masking:7.1f} {ratio:9.0%} {differing_lines(out, reference[fmt]):5d}")
    for cores in (1, 2):
        out = work / f"warm-{cores}"
        masking = warm_seconds(log, out, cores)
        print(f"{f'warm session, json, local[{cores}]':<40} {'':7} {'':7} {masking:10.1f} {mb / masking:7.1f} "
              f"{base / masking:9.0%} {differing_lines(out, reference['json']):5d}")
    print("\nvs redact: veil redact's seconds / redact-lake's masking seconds (1 = as fast); "
          "diff: lines that differ from veil redact's output (-1: not the same number of lines)")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
