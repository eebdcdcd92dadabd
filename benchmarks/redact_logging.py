"""Cost of ``SecretFilter`` per ``logger.info`` call: no filter, clean record, record with a secret.

    python benchmarks/redact_logging.py [--rounds 7] [--number 20000] [--write]

All variants run interleaved, round after round, so drift on a shared machine hits them alike;
the table shows the best and the median round. The record is 200 bytes once formatted, logged
through a StreamHandler to /dev/null with a timestamped format.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import timeit

from scanner.redact import SecretFilter

PAT = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
CLEAN = (
    "agent step %d finished: tool=web_search query='weather in paris tomorrow' latency_ms=1234 "
    "items=12 status=ok trace=4bf92f3577b34da6a3ce929d0e0e4736 user=alice region=eu-west-1 model=%s"
)
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _logger(name: str, with_filter: bool) -> logging.Logger:
    log = logging.getLogger(name)
    log.propagate = False
    log.setLevel(logging.INFO)
    handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the process
    handler.setFormatter(logging.Formatter(FORMAT))
    if with_filter:
        handler.addFilter(SecretFilter())
    log.addHandler(handler)
    return log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--number", type=int, default=20000)
    parser.add_argument("--write", action="store_true", help="update the Redaction section of RESULTS.md")
    args = parser.parse_args()
    plain, filtered = _logger("bench.plain", False), _logger("bench.filtered", True)
    model = "small-v2 cache=hit"
    assert len(CLEAN % (42, model)) == 200, len(CLEAN % (42, model))
    secret = PAT  # the record becomes 222 bytes
    variants = {
        "no filter, clean record": lambda: plain.info(CLEAN, 42, model),
        "SecretFilter, clean record": lambda: filtered.info(CLEAN, 42, model),
        "no filter, record with a secret": lambda: plain.info(CLEAN, 42, secret),
        "SecretFilter, record with a secret": lambda: filtered.info(CLEAN, 42, secret),
    }
    for fn in variants.values():  # warm up: engine built, scratch allocated
        fn()
    runs: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.rounds):
        for name, fn in variants.items():
            runs[name].append(timeit.timeit(fn, number=args.number) / args.number * 1e6)
    best = {name: min(times) for name, times in runs.items()}
    median = {name: statistics.median(times) for name, times in runs.items()}
    base = {"clean": "no filter, clean record", "secret": "no filter, record with a secret"}
    rows = [
        "| variant | µs/record (best) | µs/record (median) | added vs no filter (best / median) |",
        "|---|---:|---:|---:|",
    ]
    for name in variants:
        ref = base["secret" if "secret" in name else "clean"]
        added = (
            ""
            if name == ref
            else (
                f"{best[name] - best[ref]:+.2f} µs ({(best[name] / best[ref] - 1) * 100:+.0f}%) / "
                f"{median[name] - median[ref]:+.2f} µs ({(median[name] / median[ref] - 1) * 100:+.0f}%)"
            )
        )
        rows.append(f"| {name} | {best[name]:.2f} | {median[name]:.2f} | {added} |")
    table = "\n".join(rows)
    print(table)
    if args.write:
        from redact_results import write_subsection

        write_subsection(
            "Logging filter (`benchmarks/redact_logging.py`)",
            (
                f"`logger.info` of a 200-byte record through a StreamHandler to /dev/null, format `{FORMAT}`; "
                f"{args.rounds} interleaved rounds of {args.number} calls, Python {os.sys.version.split()[0]}, "
                "2 shared cores. Target: under 25% added on the clean record.\n\n" + table
            ),
        )


if __name__ == "__main__":
    main()
