"""Run the fuzz harnesses for a fixed budget; save crashing inputs; exit 1 when any target crashed.

    python -m fuzz.run --target engine --seconds 300
    python -m fuzz.run --all --seconds 120
    python -m fuzz.run --replay fuzz/crashes/stream-<sha1>.bin     # rerun one input, show the traceback
    python -m fuzz.run --minimize fuzz/crashes/stream-<sha1>.bin   # shrink it (same exception, same kind)

With atheris installed (``pip install atheris``), each target runs under libFuzzer in a child process,
coverage-guided over ``scanner``, from ``fuzz/seeds/<target>`` (new corpus entries go to
``fuzz/.corpus/<target>``, not committed); otherwise (or with ``--engine hypothesis``) hypothesis
generates and mutates inputs in-process. A crash is written to ``fuzz/crashes/<target>-<sha1>.bin``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from . import CRASHES, HERE, SEEDS, TARGETS, harness, target_of

CORPUS = HERE / ".corpus"
MAX_LEN = {"engine": 4096, "stream": 4096, "trace": 8192, "image": 16384}
STATS = re.compile(r"stat::number_of_executed_units:\s*(\d+)")


def signature(exc: BaseException) -> str:
    """What makes two failures the same: the defect kind, or the exception type and where it was raised."""
    kind = getattr(exc, "kind", None)
    if kind:
        return f"Defect:{kind}"
    frames = traceback.extract_tb(exc.__traceback__)
    last = frames[-1] if frames else None
    return f"{type(exc).__name__}@{Path(last.filename).name}:{last.lineno}" if last else type(exc).__name__


def failure(fuzz_one: Callable[[bytes], None], data: bytes) -> BaseException | None:
    try:
        fuzz_one(data)
    except Exception as exc:  # noqa: BLE001 - every escaping exception is a finding
        return exc
    return None


def save_crash(target: str, data: bytes) -> Path:
    CRASHES.mkdir(parents=True, exist_ok=True)
    path = CRASHES / f"{target}-{hashlib.sha1(data).hexdigest()}.bin"
    path.write_bytes(data)
    return path


def seeds(target: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted((SEEDS / target).iterdir()) if p.is_file()]


# -- atheris (libFuzzer) ------------------------------------------------------------------------------


def child(target: str, args: list[str], ignore: list[str]) -> None:
    """Inside the libFuzzer child: instrument ``scanner``, then fuzz ``target`` (never returns)."""
    import atheris

    with atheris.instrument_imports(include=["scanner", "fuzz"]):
        from . import common

        fuzz_one = harness(target)
    common.IGNORED.update(ignore)
    atheris.Setup([sys.argv[0], *args], fuzz_one)
    atheris.Fuzz()


def run_atheris(target: str, seconds: int, ignore: list[str], jobs_timeout: int = 60) -> tuple[int, list[Path]]:
    """Run ``target`` under libFuzzer for ``seconds``; return (executions, crash files)."""
    corpus = CORPUS / target
    corpus.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="veil-fuzz-") as artifacts:
        args = [str(corpus), str(SEEDS / target), f"-max_total_time={seconds}", f"-timeout={jobs_timeout}",
                "-rss_limit_mb=3072", f"-max_len={MAX_LEN[target]}", f"-artifact_prefix={artifacts}/",
                "-print_final_stats=1", "-print_pcs=0"]
        command = [sys.executable, "-m", "fuzz.run", "--child", target, *sum((["--ignore", k] for k in ignore), []),
                   "--", *args]
        log = Path(artifacts) / "log"
        with open(log, "wb") as out:
            subprocess.run(command, cwd=HERE.parent, stdout=out, stderr=subprocess.STDOUT, check=False)
        text = log.read_text("utf-8", "replace")
        found = [save_crash(target, p.read_bytes()) for p in sorted(Path(artifacts).iterdir())
                 if p.name.split("-", 1)[0] in ("crash", "timeout", "oom", "leak", "slow")]
        if found:
            tail = text[text.rfind("Traceback"):] if "Traceback" in text else text[-3000:]
            print(tail[:4000], file=sys.stderr)
    runs = STATS.findall(text)
    return (int(runs[-1]) if runs else 0), found


# -- hypothesis ------------------------------------------------------------------------------------------


def run_hypothesis(target: str, seconds: float, ignore: list[str], seed: int | None = None,
                   max_examples: int | None = None, save: bool = True) -> tuple[int, list[Path] | list[bytes]]:
    """Generate and mutate inputs with hypothesis for ``seconds`` (or ``max_examples``); the smallest
    failing input of each signature is saved (or, without ``save``, returned)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from . import common

    ignored = set(common.IGNORED)
    common.IGNORED.update(ignore)
    fuzz_one = harness(target)
    corpus = seeds(target)
    worst: dict[str, bytes] = {}
    count = 0
    deadline = time.monotonic() + seconds

    def mutate(base: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
        data = bytearray(base)
        for op, at, blob in edits:
            at = at % (len(data) + 1)
            if op == 0:
                data[at:at + len(blob)] = blob  # overwrite
            elif op == 1:
                data[at:at] = blob  # insert
            else:
                del data[at:at + len(blob) + 1]  # delete
        return bytes(data)

    edit = st.tuples(st.integers(0, 2), st.integers(0, 1 << 16), st.binary(min_size=1, max_size=8))
    inputs = st.one_of(st.binary(max_size=MAX_LEN[target]),
                       st.builds(mutate, st.sampled_from(corpus), st.lists(edit, max_size=6)))

    @settings(max_examples=max_examples or 10**9, deadline=None, database=None, derandomize=seed == 0,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=True)
    @given(inputs)
    def run(data: bytes) -> None:
        nonlocal count
        if max_examples is None and time.monotonic() > deadline:
            return
        count += 1
        exc = failure(fuzz_one, data)
        if exc is not None:
            sig = signature(exc)
            if sig not in worst or len(data) < len(worst[sig]):
                worst[sig] = data
            raise exc

    try:
        while True:
            with contextlib.suppress(Exception):  # the failing inputs are in ``worst``
                run()
            if max_examples is not None or time.monotonic() > deadline or worst:
                break
    finally:
        common.IGNORED.clear()
        common.IGNORED.update(ignored)
    if not save:
        return count, list(worst.values())
    return count, [save_crash(target, data) for data in worst.values()]


# -- replay and minimise ---------------------------------------------------------------------------------


def minimize(path: Path, seconds: float = 120) -> Path:
    """Shrink the input at ``path`` while it fails the same way: cut spans of halving size, then
    replace single bytes with ``a``. Writes and returns the minimised crash file."""
    target = target_of(path)
    fuzz_one = harness(target)
    data = path.read_bytes()
    first = failure(fuzz_one, data)
    if first is None:
        raise SystemExit(f"{path} does not fail")
    sig = signature(first)
    deadline = time.monotonic() + seconds

    def same(candidate: bytes) -> bool:
        exc = failure(fuzz_one, candidate)
        return exc is not None and signature(exc) == sig

    size = len(data) // 2 or 1
    while size >= 1 and time.monotonic() < deadline:
        at, shrunk = 0, False
        while at < len(data) and time.monotonic() < deadline:
            candidate = data[:at] + data[at + size:]
            if same(candidate):
                data, shrunk = candidate, True
            else:
                at += size
        if not shrunk:
            size //= 2
    for at in range(len(data)):
        if time.monotonic() > deadline:
            break
        if data[at] != 0x61 and same(data[:at] + b"a" + data[at + 1:]):
            data = data[:at] + b"a" + data[at + 1:]
    print(f"{sig}: {path.stat().st_size} -> {len(data)} bytes")
    return save_crash(target, data)


def replay(path: Path) -> int:
    exc = failure(harness(target_of(path)), path.read_bytes())
    if exc is None:
        print(f"{path}: passes")
        return 0
    traceback.print_exception(exc)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=sorted(TARGETS), action="append", default=[])
    parser.add_argument("--all", action="store_true", help="every target, one after another")
    parser.add_argument("--seconds", type=int, default=60, help="budget per target")
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    parser.add_argument("--ignore", action="append", default=[], metavar="KIND",
                        help="a defect kind not to stop at (one already recorded), e.g. leak-decoded")
    parser.add_argument("--replay", type=Path)
    parser.add_argument("--minimize", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.rest, args.ignore)
        return 0
    if args.replay:
        return replay(args.replay)
    if args.minimize:
        print(minimize(args.minimize))
        return 0
    targets = sorted(TARGETS) if args.all else args.target
    if not targets:
        parser.error("name a --target or use --all")
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401
        except ImportError:
            engine = "hypothesis"
        else:
            engine = "atheris"
    crashed = False
    for target in targets:
        began = time.monotonic()
        if engine == "atheris":
            runs, found = run_atheris(target, args.seconds, args.ignore)
        else:
            runs, found = run_hypothesis(target, args.seconds, args.ignore, seed=random.randrange(1 << 30))
        spent = time.monotonic() - began
        print(f"{target}: {runs} executions in {spent:.0f}s with {engine}, "
              f"{len(found)} crash{'es' if len(found) != 1 else ''}" + "".join(f"\n  {p}" for p in found))
        crashed = crashed or bool(found)
    return 1 if crashed else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
