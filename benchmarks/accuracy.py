#!/usr/bin/env python3
"""Accuracy benchmark: precision, recall and F1 on the labelled corpus, and noise per MB on the stdlib.

For veil and each peer installed in the side venv made by ``benchmarks/setup_peers.sh`` (Kingfisher,
gitleaks, betterleaks, detect-secrets), in one run:

- corpus: the tool scans ``corpus/positives`` and ``corpus/negatives``; its findings are matched to the
  planted secrets of ``corpus/manifest.json`` by the rule in ``corpus/scoring.py`` (same file, overlapping
  lines, overlapping value; see corpus/README.md); precision, recall and F1 per family and overall;
- stdlib: findings per MB on the running interpreter's standard library tree, where every finding is noise.

Tools run one after another, from inside each tree, through the measuring helper of ``throughput.py``.
veil runs with ``--show-secrets`` (values are needed for matching; reports stay in benchmarks/.work) and
Kingfisher with ``--no-validate --no-dedup`` (one finding per occurrence, as the others report).

    python benchmarks/accuracy.py                     # print the tables
    python benchmarks/accuracy.py --write             # and update the Accuracy section of benchmarks/RESULTS.md
    python benchmarks/accuracy.py --misses veil,gitleaks --no-stdlib
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shlex
import sys
import sysconfig
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import throughput as tp

sys.path.insert(0, str(tp.REPO_ROOT / "corpus"))
import scoring  # noqa: E402

CORPUS = tp.REPO_ROOT / "corpus"
TOPS = ("positives", "negatives")
HEADING = "## Accuracy (`benchmarks/accuracy.py`)"
STDLIB_DEFAULT = "veil,kingfisher,gitleaks,betterleaks"  # detect-secrets took 431 s on it in the throughput run
SHOWN_ROWS = 50  # per kind, in the lists of misses and false positives

# ---------------------------------------------------------------------------------------------- reports


def rel(path: str) -> str:
    return path.removeprefix("./")


def ends(line: int, values: Sequence[str]) -> int:
    return line + max((v.count("\n") for v in values), default=0)


def read_veil(report: Path) -> list[scoring.Finding]:
    return [
        scoring.Finding(
            rel(f["path"]),
            f["line"],
            ends(f["line"], [f["secret"]]),
            (f["secret"],),
            f["rule"],
            (f.get("tags") or [""])[0],
        )
        for f in tp.load_json(report)["findings"]
    ]


def read_gitleaks(report: Path) -> list[scoring.Finding]:
    return [
        scoring.Finding(rel(f["File"]), f["StartLine"], f["EndLine"], (f["Secret"], f["Match"]), f["RuleID"])
        for f in tp.load_json(report, list)
    ]


def read_betterleaks(report: Path) -> list[scoring.Finding]:
    out = []
    for f in tp.load_json(report).get("findings") or []:
        loc, match = f["location"], f.get("match") or {}
        values = tuple(v for v in (match.get("value"), match.get("full")) if v)
        out.append(scoring.Finding(rel(loc["path"]), loc["start_line"], loc["end_line"], values, f["rule_id"]))
    return out


def read_kingfisher(report: Path) -> list[scoring.Finding]:
    out = []
    for f in tp.load_json(report).get("findings") or []:
        hit = f["finding"]
        out.append(
            scoring.Finding(
                rel(hit["path"]), hit["line"], ends(hit["line"], [hit["snippet"]]), (hit["snippet"],), f["rule"]["id"]
            )
        )
    return out


def read_detect_secrets(report: Path) -> list[scoring.Finding]:
    return [
        scoring.Finding(rel(path), e["line_number"], e["line_number"], (), e["type"])
        for path, entries in tp.load_json(report).get("results", {}).items()
        for e in entries
    ]


READERS: dict[str, Callable[[Path], list[scoring.Finding]]] = {
    "veil": read_veil,
    "kingfisher": read_kingfisher,
    "gitleaks": read_gitleaks,
    "betterleaks": read_betterleaks,
    "detect-secrets": read_detect_secrets,
}


def with_flags(tool: tp.Tool, extra: list[str]) -> tp.Tool:
    base = tool.build
    return replace(tool, build=lambda tree, out: [*base(tree, out), *extra])


def select_tools(names: set[str] | None, venv: Path) -> tuple[list[tp.Tool], list[str]]:
    tools, missing = [], []
    if names is None or "veil" in names:
        veil = with_flags(tp.veil_tool(None), ["--show-secrets"])
        why = tp.veil_usable(veil)
        if why:
            missing.append(f"veil ({why})")
        else:
            tools.append(veil)
    peers = {t.name: t for t in tp.peer_tools(venv)}
    for name in tp.PEER_NAMES:
        if names is not None and name not in names:
            continue
        if name not in peers:
            missing.append(name)
        else:
            tools.append(with_flags(peers[name], ["--no-dedup"]) if name == "kingfisher" else peers[name])
    return tools, missing


@dataclass
class Outcome:
    findings: list[scoring.Finding]
    wall: float
    error: str = ""


def run(launcher: tp.Launcher, tool: tp.Tool, tree: Path, slug: str, prefix: str, timeout: float) -> Outcome:
    result = tp.run_tool(launcher, tool, tree, f"accuracy-{slug}", timeout)
    if result.error:
        return Outcome([], result.wall, result.error)
    report = tp.WORK_DIR / "out" / f"{tool.name}-accuracy-{slug}.json"
    try:
        findings = READERS[tool.name](report)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Outcome([], result.wall, f"unreadable report: {exc}")
    return Outcome([replace(f, path=f"{prefix}{f.path}") for f in findings], result.wall)


# ---------------------------------------------------------------------------------------------- scoring


@dataclass
class Tally:
    labels: int = 0
    found: int = 0
    fp: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.labels if self.labels else 1.0

    @property
    def precision(self) -> float:
        return self.found / (self.found + self.fp) if self.found + self.fp else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def tallies(result: scoring.Score, family_of: Callable[[scoring.Finding], str]) -> dict[str, Tally]:
    out: dict[str, Tally] = {}
    for i, label in enumerate(result.labels):
        t = out.setdefault(label.family, Tally())
        t.labels += 1
        t.found += bool(result.hits[i])
    for finding in result.false_positives:
        out.setdefault(family_of(finding), Tally()).fp += 1
    return out


def total(per_family: dict[str, Tally]) -> Tally:
    return Tally(*(sum(getattr(t, k) for t in per_family.values()) for k in ("labels", "found", "fp")))


# ---------------------------------------------------------------------------------------------- report


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def corpus_tables(
    tools: list[tp.Tool],
    results: dict[str, scoring.Score],
    outcomes: dict[str, Outcome],
    families: dict[str, dict[str, Tally]],
) -> list[str]:
    lines = [
        "| tool | labels found | missed | false positives (in positives/ + negatives/) | duplicates | precision % "
        "| recall % | F1 % | wall s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for tool in tools:
        out = outcomes[tool.name]
        if out.error:
            lines.append(f"| {tool.name} | error: {out.error[:120]} | | | | | | | |")
            continue
        r, t = results[tool.name], total(families[tool.name])
        in_neg = sum(f.path.startswith("negatives/") for f in r.false_positives)
        lines.append(
            f"| {tool.name} | {len(r.found)} / {len(r.labels)} | {len(r.missed)} | {len(r.false_positives)} "
            f"({len(r.false_positives) - in_neg} + {in_neg}) | {r.duplicates} | {pct(t.precision)} | {pct(t.recall)} "
            f"| {pct(t.f1)} | {out.wall:.1f} |"
        )
    ok = [t for t in tools if not outcomes[t.name].error]
    names = sorted({fam for t in ok for fam in families[t.name]}, key=lambda f: (f in ("other",), f))
    lines += [
        "",
        "Per family: recall / precision / F1, in %; *labels* is the number of planted secrets.",
        "",
        "| family | labels | " + " | ".join(t.name for t in ok) + " |",
        "| --- | ---: |" + " ---: |" * len(ok),
    ]
    for fam in names:
        count = next((families[t.name][fam].labels for t in ok if fam in families[t.name]), 0)
        cells = []
        for t in ok:
            tally = families[t.name].get(fam, Tally())
            cells.append(
                f"{pct(tally.recall)} / {pct(tally.precision)} / {pct(tally.f1)}"
                if tally.labels
                else f"— ({tally.fp} FP)"
            )
        lines.append(f"| {fam} | {count} | " + " | ".join(cells) + " |")
    return lines


def stdlib_table(tree: tp.Tree, tools: list[tp.Tool], noise: dict[str, Outcome], skipped: list[str]) -> list[str]:
    lines = [
        f"Standard library tree `{tree.path}`: {tp.fmt_mb(tree.size)} in {tree.files:,} files; every finding is noise.",
        "",
        "| tool | findings | findings / MB | wall s | rules with the most findings |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for tool in tools:
        n = noise.get(tool.name)
        if n is None:
            continue
        if n.error:
            lines.append(f"| {tool.name} | error: {n.error[:120]} | | | |")
            continue
        top = ", ".join(f"{rule} {count}" for rule, count in Counter(f.rule for f in n.findings).most_common(4))
        lines.append(
            f"| {tool.name} | {len(n.findings):,} | {len(n.findings) / (tree.size / tp.MB):.3f} | {n.wall:.1f} "
            f"| {top} |"
        )
    if skipped:
        lines += ["", f"Not run on this tree: {', '.join(skipped)} (see `--stdlib-tools`)."]
    return lines


def verdicts(results: dict[str, scoring.Score], noise: dict[str, Outcome]) -> list[str]:
    veil = results.get("veil")
    if veil is None:
        return []
    in_neg = [f for f in veil.false_positives if f.path.startswith("negatives/")]
    lines = [
        f"- recall 100% on the corpus positives: {'met' if not veil.missed else 'NOT met'} "
        f"({len(veil.found)} of {len(veil.labels)} found)",
        f"- zero findings on the corpus negatives: {'met' if not in_neg else 'NOT met'} ({len(in_neg)} findings)",
    ]
    v, g = noise.get("veil"), noise.get("gitleaks")
    if v and g and not v.error and not g.error:
        word = "met" if len(v.findings) < len(g.findings) else "NOT met"
        lines.append(
            f"- fewer findings per MB than gitleaks on the standard library: {word} "
            f"({len(v.findings)} vs {len(g.findings)})"
        )
    return lines


def capped(rows: list[str]) -> list[str]:
    more = len(rows) - SHOWN_ROWS
    return rows[:SHOWN_ROWS] + ([f"- … and {more} more"] if more > 0 else [])


def details(name: str, result: scoring.Score) -> list[str]:
    missed = [f"- missed `{lb.path}:{lb.line}` {lb.provider} ({lb.rule or lb.family})" for lb in result.missed]
    wrong = [f"- false positive `{f.path}:{f.line}` {f.rule}" for f in result.false_positives]
    if not missed and not wrong:
        return [f"{name}: nothing missed, no false positive."]
    head = f"{name}: {len(missed)} missed, {len(wrong)} false positives"
    return [head, "", *capped(missed), *capped(wrong)]


# ---------------------------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    names = ",".join(("veil", *tp.PEER_NAMES))
    parser.add_argument("--tools", metavar="A,B", help=f"only these tools (of {names})")
    parser.add_argument(
        "--stdlib-tools",
        default=STDLIB_DEFAULT,
        metavar="A,B",
        help=f"tools run on the standard library (default {STDLIB_DEFAULT})",
    )
    parser.add_argument("--no-stdlib", action="store_true", help="skip the standard-library noise count")
    parser.add_argument(
        "--peers-venv", default=str(tp.WORK_DIR / "peers"), metavar="PATH", help="venv holding the peers"
    )
    parser.add_argument(
        "--timeout", type=float, default=tp.DEFAULT_TIMEOUT, metavar="SECONDS", help="per tool and tree"
    )
    parser.add_argument(
        "--misses", default="veil", metavar="A,B", help="list missed labels and false positives of these tools"
    )
    parser.add_argument("--write", action="store_true", help="update the Accuracy section of benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    for option in ("tools", "stdlib_tools", "misses"):
        unknown = set((getattr(args, option) or "").split(",")) - {"", "veil", *tp.PEER_NAMES}
        if unknown:
            parser.error(f"--{option.replace('_', '-')}: unknown {', '.join(sorted(unknown))}")
    return args


def write_section(lines: list[str], heading: str = HEADING) -> None:
    """Replace (or append) the ``heading`` section of RESULTS.md, up to the next ``## `` heading."""
    text = tp.RESULTS_MD.read_text(encoding="utf-8")
    section = "\n".join([heading, "", *lines]).rstrip("\n") + "\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = (
        pattern.sub(lambda _m: section + "\n", text, count=1)
        if pattern.search(text)
        else text.rstrip("\n") + "\n\n" + section
    )
    tp.RESULTS_MD.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def measure(
    args: argparse.Namespace, tools: list[tp.Tool], stdlib: tp.Tree
) -> tuple[dict[str, Outcome], dict[str, Outcome]]:
    """Each tool on the corpus (both halves) and, for the --stdlib-tools, on the standard library."""
    launcher = tp.Launcher()
    stdlib_names = set() if args.no_stdlib else set(args.stdlib_tools.split(","))
    outcomes: dict[str, Outcome] = {}
    noise: dict[str, Outcome] = {}
    try:
        tp.warm_up(launcher, tools, args.timeout)
        for tool in tools:
            parts = [run(launcher, tool, CORPUS / top, top, f"{top}/", args.timeout) for top in TOPS]
            error = "; ".join(p.error for p in parts if p.error)
            corpus = outcomes[tool.name] = Outcome(
                [f for p in parts for f in p.findings], sum(p.wall for p in parts), error
            )
            print(f"  corpus {tool.name}: {len(corpus.findings)} findings {error}", file=sys.stderr, flush=True)
            if tool.name in stdlib_names:
                n = noise[tool.name] = run(launcher, tool, stdlib.path, "stdlib", "", args.timeout)
                print(f"  stdlib {tool.name}: {len(n.findings)} findings {n.error}", file=sys.stderr, flush=True)
    finally:
        launcher.close()
    return outcomes, noise


def report(
    args: argparse.Namespace,
    tools: list[tp.Tool],
    missing: list[str],
    stdlib: tp.Tree,
    outcomes: dict[str, Outcome],
    noise: dict[str, Outcome],
) -> list[str]:
    manifest = scoring.load_manifest()
    labels = scoring.load_labels()
    peer_family = scoring.FamilyMap(manifest["providers"])
    results = {name: scoring.score(labels, o.findings) for name, o in outcomes.items() if not o.error}
    families = {
        name: tallies(
            r, (lambda f: f.family or peer_family(f.rule)) if name == "veil" else (lambda f: peer_family(f.rule))
        )
        for name, r in results.items()
    }
    command = " ".join(["python benchmarks/accuracy.py", *map(shlex.quote, args.argv)])
    files = manifest["files"]
    lines = [
        f"Measured {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} with `{command}`; "
        f"Python {sys.version.split()[0]}.",
        "",
        "- tools: " + "; ".join(f"{t.name} {t.version()}" for t in tools),
        *([f"- not installed or not working: {', '.join(missing)}"] if missing else []),
        f"- corpus: {files['positives']} files with {len(labels)} planted secrets, {files['negatives']} files "
        "without; matching rule and labels in `corpus/README.md`",
        "- veil runs with `--show-secrets`, Kingfisher with `--no-validate --no-dedup`; the others with the flags "
        "of `throughput.py`, from inside each tree",
        "",
        "### Corpus",
        "",
        *corpus_tables(tools, results, outcomes, families),
    ]
    if noise:
        skipped = [t.name for t in tools if t.name not in noise]
        lines += ["", "### Standard library", "", *stdlib_table(stdlib, tools, noise, skipped)]
    target = verdicts(results, noise)
    if target:
        lines += ["", "### Targets", "", *target]
    for name in [n for n in args.misses.split(",") if n in results]:
        lines += ["", f"### What {name} missed and reported wrongly", "", *details(name, results[name])]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    tp.WORK_DIR.mkdir(parents=True, exist_ok=True)
    tools, missing = select_tools(set(args.tools.split(",")) if args.tools else None, Path(args.peers_venv))
    for why in missing:
        print(f"# skipped: {why}", file=sys.stderr)
    stdlib = tp.measure_tree(Path(sysconfig.get_paths()["stdlib"]), "stdlib")
    outcomes, noise = measure(args, tools, stdlib)
    lines = report(args, tools, missing, stdlib, outcomes, noise)
    print("\n".join(lines))
    if args.write:
        write_section(lines)
        print(f"\nwrote {tp.RESULTS_MD}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
