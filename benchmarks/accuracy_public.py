#!/usr/bin/env python3
"""Accuracy on examples no one here wrote: public scanners' own positives and negatives, and realistic settings.

Builds a labelled corpus under ``benchmarks/.work/accuracy/`` (git-ignored; these are the peers' fake examples
and stay out of git) from bare git mirrors of gitleaks, Kingfisher, TruffleHog and detect-secrets, one example
per file, labelled positive or negative with its source and family; wraps a seeded sample of the positives
whose secret is known in realistic files (.env, YAML, JSON, code, logs, shell history, headers, CLI flags,
CSV); splits every example by its hash into ``tune`` (~70%) and ``holdout`` (~30%). Sources added later come
in rounds (:data:`ROUNDS`), each scored whole once before any tuning on it, and their examples that no earlier
source has split half and half: Nosey Parker into ``fresh-tune`` and ``fresh``, Semgrep and secretlint into
``fresh2-tune`` and ``fresh2`` (``fresh``/``fresh2`` never tuned on). Then runs veil (default
rules) and the peers of ``benchmarks/setup_peers.sh`` on the split and scores, per file: recall on positives
(any finding in the file) and false-positive rate on negatives (any finding = FP), per source and overall, and
per family and setting for veil. "realistic" is recall on the positives that are realistic secrets: not a toy
value (``toy_value``: ``1234567890abcdef…``, ``xxxx``, ``abcdefghij…``, a repeated block or a placeholder
word) and not what the peer's own rule name calls an identifier (``names_no_secret``: "Okta Domain", "Google
Client ID"); judged by this script alone, the same for every tool; its false-positive rate leaves out
TruffleHog's per-detector "invalid pattern" negatives (``FORMAT_NEGATIVES``), which hold credential-shaped
values in credential places. Veil's misses and false positives, masked, go to
``benchmarks/.work/accuracy/results-<split>.json``. Keep ``holdout``, ``fresh`` and ``fresh2`` out of the tuning
loop.

Mirrors: ``--mirrors ROOT`` holds ``<owner>+<name>/repo`` bare repositories (default ``/work/.mirror``,
where the session's ``fetch`` tool puts ``github:gitleaks/gitleaks`` …); elsewhere make them with
``git clone --mirror https://github.com/gitleaks/gitleaks ROOT/gitleaks+gitleaks/repo`` and so on.

    python benchmarks/accuracy_public.py --split tune          # build, score veil and the peers on tune
    python benchmarks/accuracy_public.py --split holdout --tools veil
    python benchmarks/accuracy_public.py --build-only
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import accuracy as acc
import accuracy_settings as settings
import accuracy_sources as sources
import throughput as tp

WORK = tp.WORK_DIR / "accuracy"
MIRRORS = Path("/work/.mirror")


@dataclass(frozen=True)
class Round:
    """Sources added together, and the two splits their examples go to: one open to tuning, one held out."""

    mirrors: tuple[sources.Mirror, ...]
    tune: str
    held: str
    tune_share: int  # percent of the examples open to tuning
    added: str  # when, and how the round was first scored


ROUNDS = (
    Round(sources.MIRRORS, "tune", "holdout", 70, "2026-11"),
    Round(sources.FRESH_MIRRORS, "fresh-tune", "fresh", 50, "2026-12-06, session 6, scored whole once untuned"),
    Round(sources.FRESH2_MIRRORS, "fresh2-tune", "fresh2", 50, "2026-12-06, session 8, scored whole once untuned"),
)
ROUND_OF = {m.source: rnd for rnd in ROUNDS for m in rnd.mirrors}
ALL_MIRRORS = tuple(m for rnd in ROUNDS for m in rnd.mirrors)
SPLITS = tuple(split for rnd in ROUNDS for split in (rnd.tune, rnd.held))
SETTINGS_COUNT = 800
SEED = 11
HEADING = "## Accuracy on public examples (`benchmarks/accuracy_public.py`)"
FAMILIES = acc.scoring.FamilyMap(acc.scoring.load_manifest()["providers"])


@dataclass(frozen=True)
class Entry:
    """One labelled file of the built corpus."""

    path: str  # relative to the split's folder
    split: str
    source: str
    rule: str
    family: str
    positive: bool
    setting: str
    origin: str
    secret: str | None
    shown: str  # the secret masked, else the whole example masked
    toy: bool = False  # a positive that is no realistic secret: a toy value or an identifier (see toy_example)


def mask(value: str) -> str:
    """The first 4 characters and the length: enough to find an example, too little to use it."""
    return f"{value[:4]}… ({len(value)} chars)"


_TOKEN = re.compile(r"[A-Za-z0-9+/=_.~$!@#%^&*-]{12,}")
_TOY_WORDS = re.compile(r"(?i)example|sample|dummy|fake|your|xxxx|test|placeholder|redacted|changeme|insert|replace")
_RUNS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "9876543210", "zyxwvutsrqponmlkjihgfedcba",
         "qwertyuiop", "asdfghjkl", "zxcvbnm")  # fmt: skip


def toy_value(value: str) -> bool:
    """A value no one would take for a real key, judged without any scanner's code: a run of six
    sequential or keyboard-row characters (``123456``, ``abcdef``, ``qwerty``), one character six times
    over, a short block repeated to 12 characters or more, or a placeholder word (example, fake, xxxx …)."""
    low = value.lower()
    if _TOY_WORDS.search(value) or re.search(r"(.)\1{5}", value):
        return True
    if any(run[i : i + 6] in low for run in _RUNS for i in range(len(run) - 5)):
        return True
    repeated = re.search(r"(.{2,8}?)\1{2,}", value)
    return bool(repeated and len(repeated.group(0)) >= 12)


_PUBLIC = re.compile(r"(?i)public")
_IDENTIFIER = re.compile(r"(?i)(?:\bid|user ?name|host|domain|url|\bname|recipient.*)\W*$")
_SECRET_WORD = re.compile(r"(?i)webhook|sensitive|\bauth\b|secret|password|credential")


def names_no_secret(rule: str) -> bool:
    """Whether the peer's own rule name says its examples are not secrets: public ("Mapbox Public Access
    Token", "Age Recipient (X25519 public key)") or identifiers ("Okta Domain", "Google Client ID",
    "Snowflake Username", "sumologic-access-id"), unless it also says secret, password, webhook …"""
    name = re.sub(r"[-_.]", " ", rule.split(" ", 1)[1] if rule.startswith(("kingfisher.", "np.")) else rule)
    return bool(_PUBLIC.search(name)) or (bool(_IDENTIFIER.search(name)) and not _SECRET_WORD.search(name))


def toy_example(example: sources.Example) -> bool:
    """A positive that is not a realistic secret: the peer's rule names an identifier
    (:func:`names_no_secret`), or its secret (or, when the peer does not say which it is, every
    key-like word of the text: 12+ characters with letters and digits) is a toy value."""
    if not example.positive:
        return False
    if names_no_secret(example.rule):
        return True
    if example.secret:
        return toy_value(example.secret)
    words = [w for w in _TOKEN.findall(example.text) if re.search(r"\d", w) and re.search(r"[A-Za-z]", w)]
    return bool(words) and all(toy_value(w) for w in words)


def split_of(example: sources.Example) -> str:
    """The split of the example's round (:data:`ROUNDS`; the realistic settings follow the first), by hash."""
    share = int(hashlib.sha256(example.split_key.encode()).hexdigest()[:8], 16) % 100
    rnd = ROUND_OF.get(example.source, ROUNDS[0])
    return rnd.tune if share < rnd.tune_share else rnd.held


def family_of(example: sources.Example) -> str:
    return FAMILIES(example.rule)


def place(example: sources.Example, family: str) -> str:
    label = "pos" if example.positive else "neg"
    if example.setting:
        return f"{label}/{example.source}/{family}/{example.ident}/{settings.file_name(example.setting)}"
    return f"{label}/{example.source}/{family}/{example.ident}.txt"


# ---------------------------------------------------------------------------------------------- build


def collect(mirrors: Path) -> tuple[list[sources.Example], list[sources.Example]]:
    """The first round's examples, and the later rounds' ones whose text no earlier source has; stops
    with how to fetch a mirror that is missing."""
    missing = [m for m in ALL_MIRRORS if not (m.gitdir(mirrors) / "HEAD").exists()]
    if missing:
        raise SystemExit(
            "missing mirrors: "
            + ", ".join(str(m.gitdir(mirrors)) for m in missing)
            + "\nfetch them (the session's fetch tool: "
            + ", ".join(f"github:{m.repo}" for m in missing)
            + "), or: git clone --mirror https://github.com/OWNER/NAME "
            + f"{mirrors}/OWNER+NAME/repo; or pass --mirrors ROOT"
        )
    first, later = ROUNDS[0], []
    examples = [ex for m in first.mirrors for ex in sources.extract(m, m.gitdir(mirrors))]
    seen = {ex.text.strip() for ex in examples}
    for rnd in ROUNDS[1:]:
        added = [ex for m in rnd.mirrors for ex in sources.extract(m, m.gitdir(mirrors))]
        later += [ex for ex in added if ex.text.strip() not in seen]
        seen |= {ex.text.strip() for ex in added}
    return examples, later


def build(examples: Sequence[sources.Example], work: Path) -> list[Entry]:
    """Write one file per example under ``work/<split>/`` and the manifest; returns the entries."""
    for split in SPLITS:
        shutil.rmtree(work / split, ignore_errors=True)
    entries = []
    for ex in examples:
        family = family_of(ex)
        entry = Entry(
            place(ex, family),
            split_of(ex),
            ex.source,
            ex.rule,
            family,
            ex.positive,
            ex.setting,
            ex.origin,
            ex.secret,
            mask(ex.secret or ex.text.strip()),
            toy_example(ex),
        )
        target = work / entry.split / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(ex.text, encoding="utf-8")
        entries.append(entry)
    (work / "manifest.json").write_text(json.dumps([e.__dict__ for e in entries], indent=1), encoding="utf-8")
    return entries


# ---------------------------------------------------------------------------------------------- scoring


@dataclass
class Rate:
    positives: int = 0
    found: int = 0
    negatives: int = 0
    flagged: int = 0

    def add(self, entry: Entry, hit: bool) -> None:
        if entry.positive:
            self.positives += 1
            self.found += hit
        else:
            self.negatives += 1
            self.flagged += hit

    @property
    def recall(self) -> str:
        return f"{100 * self.found / self.positives:.1f}" if self.positives else "—"

    @property
    def fp(self) -> str:
        return f"{100 * self.flagged / self.negatives:.1f}" if self.negatives else "—"


# TruffleHog's negatives are its detectors' "invalid pattern" cases (the value one character off a
# provider's format, or a ``?`` inserted): credential-shaped values in credential places, which a
# generic detector is right to flag; they are no hard negatives and are left out of "realistic".
FORMAT_NEGATIVES = {"trufflehog"}


def rates(entries: Iterable[Entry], hits: set[str], key: str) -> dict[str, Rate]:
    """Per value of ``key`` (source, family), overall ("all") and "realistic": recall on realistic
    secrets (no toys, no identifiers), false positives on hard negatives (the peers' negatives but
    :data:`FORMAT_NEGATIVES`): files found and flagged."""
    out: dict[str, Rate] = {}
    for e in entries:
        hit = f"{e.split}/{e.path}" in hits
        out.setdefault(getattr(e, key), Rate()).add(e, hit)
        out.setdefault("all", Rate()).add(e, hit)
        if not e.toy and not (not e.positive and e.source in FORMAT_NEGATIVES):
            out.setdefault("realistic", Rate()).add(e, hit)
    return out


def hit_files(findings: Iterable[acc.scoring.Finding]) -> set[str]:
    return {f.path for f in findings}


def scan(args: argparse.Namespace, splits: Sequence[str]) -> tuple[list[tp.Tool], list[str], dict[str, acc.Outcome]]:
    """Each tool on each split's folder; findings' paths start with ``<split>/``."""
    tools, missing = acc.select_tools(set(args.tools.split(",")) if args.tools else None, Path(args.peers_venv))
    launcher = tp.Launcher()
    outcomes: dict[str, acc.Outcome] = {}
    try:
        tp.warm_up(launcher, tools, args.timeout)
        for tool in tools:
            for split in splits:
                out = acc.run(launcher, tool, args.work / split, f"public-{split}", f"{split}/", args.timeout)
                outcomes[f"{tool.name}/{split}"] = out
                print(f"  {tool.name} {split}: {len(out.findings)} findings {out.error}", file=sys.stderr, flush=True)
    finally:
        launcher.close()
    return tools, missing, outcomes


def table(
    entries: list[Entry], tools: list[tp.Tool], outcomes: dict[str, acc.Outcome], splits: Sequence[str]
) -> list[str]:
    names = sorted({e.source for e in entries}) + ["all", "realistic"]
    lines = [
        "Recall % on positives / false-positive rate % on negatives, per file; by source of the examples.",
        "",
        "| tool | split | " + " | ".join(names) + " |",
        "| --- | --- |" + " ---: |" * len(names),
    ]
    for tool in tools:
        for split in splits:
            out = outcomes[f"{tool.name}/{split}"]
            if out.error:
                lines.append(f"| {tool.name} | {split} | error: {out.error[:100]} |")
                continue
            by = rates((e for e in entries if e.split == split), hit_files(out.findings), "source")
            cells = [f"{by[n].recall} / {by[n].fp}" if n in by else "" for n in names]
            lines.append(f"| {tool.name} | {split} | " + " | ".join(cells) + " |")
    lines.append("")
    for split in splits:
        counts = rates((e for e in entries if e.split == split), set(), "source")
        shown = "; ".join(f"{n} {counts[n].positives} + {counts[n].negatives}" for n in names if n in counts)
        lines.append(f"Files in {split} (positive + negative): {shown}.")
    return lines


def veil_table(entries: list[Entry], outcomes: dict[str, acc.Outcome], splits: Sequence[str], key: str) -> list[str]:
    """veil's recall / FP per value of ``key`` (family, setting), one column per split."""
    per = {
        split: rates((e for e in entries if e.split == split), hit_files(outcomes[f"veil/{split}"].findings), key)
        for split in splits
        if not outcomes[f"veil/{split}"].error
    }
    values = sorted({v for by in per.values() for v in by}, key=lambda v: (v in ("all", "realistic"), v))
    lines = [
        f"| {key} | " + " | ".join(per) + " |",
        "| --- |" + " ---: |" * len(per),
    ]
    for value in values:
        cells = []
        for by in per.values():
            r = by.get(value, Rate())
            cells.append(f"{r.recall} ({r.found}/{r.positives}) / {r.fp} ({r.flagged}/{r.negatives})")
        lines.append(f"| {value} | " + " | ".join(cells) + " |")
    return lines


def misses(entries: list[Entry], out: acc.Outcome, split: str) -> dict[str, object]:
    """Veil's missed positives and false positives on one split, secrets masked."""
    found: dict[str, list[acc.scoring.Finding]] = {}
    for f in out.findings:
        found.setdefault(f.path, []).append(f)
    mine = [e for e in entries if e.split == split]

    def where(e: Entry) -> dict[str, str]:
        return {"path": f"{split}/{e.path}", "source": e.source, "rule": e.rule, "family": e.family,
                "setting": e.setting, "toy": e.toy}  # fmt: skip

    missed = [
        {**where(e), "secret" if e.secret else "example": e.shown}
        for e in mine
        if e.positive and f"{split}/{e.path}" not in found
    ]
    wrong = [
        {**where(e), "findings": [{"rule": f.rule, "line": f.line, "secret": mask(f.values[0] if f.values else "")}
                                  for f in found[f"{split}/{e.path}"]]}
        for e in mine
        if not e.positive and f"{split}/{e.path}" in found
    ]  # fmt: skip
    return {"split": split, "root": str(WORK), "missed": missed, "false_positives": wrong}


# ---------------------------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="tune", help="which part to score")
    parser.add_argument("--mirrors", type=Path, default=MIRRORS, metavar="ROOT", help="holds <owner>+<name>/repo")
    parser.add_argument("--work", type=Path, default=WORK, metavar="DIR", help="where the corpus is built")
    parser.add_argument("--settings", type=int, default=SETTINGS_COUNT, metavar="N", help="positives set in files")
    parser.add_argument("--seed", type=int, default=SEED, help="of the settings sample")
    parser.add_argument("--tools", metavar="A,B", help="only these tools (veil," + ",".join(tp.PEER_NAMES) + ")")
    parser.add_argument("--peers-venv", default=str(tp.WORK_DIR / "peers"), metavar="PATH")
    parser.add_argument("--timeout", type=float, default=tp.DEFAULT_TIMEOUT, metavar="SECONDS")
    parser.add_argument("--build-only", action="store_true", help="build the corpus and stop")
    parser.add_argument("--write", action="store_true", help="update this script's section of benchmarks/RESULTS.md")
    return parser.parse_args(argv)


def corpus(args: argparse.Namespace) -> list[Entry]:
    examples, later = collect(args.mirrors)
    examples += settings.wrapped(examples, args.settings, args.seed) + later
    entries = build(examples, args.work)
    for split in SPLITS:
        n = [e for e in entries if e.split == split]
        print(f"{split}: {sum(e.positive for e in n)} positive, {sum(not e.positive for e in n)} negative files "
              f"under {args.work / split}", file=sys.stderr)  # fmt: skip
    return entries


def heads(mirrors: Path) -> str:
    """Which commit of each peer's repository the examples come from."""
    out = []
    for m in ALL_MIRRORS:
        proc = subprocess.run(["git", "--git-dir", str(m.gitdir(mirrors)), "log", "-1", "--format=%h %cs", "HEAD"],
                              capture_output=True, text=True, check=False)  # fmt: skip
        out.append(f"{m.repo} {proc.stdout.strip() or '?'}")
    return "; ".join(out)


def checkout() -> str:
    """The veil commit measured, ``-dirty`` when the work tree has changes (others' work included)."""
    proc = subprocess.run(["git", "-C", str(tp.REPO_ROOT), "describe", "--always", "--dirty"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    return proc.stdout.strip() or "?"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    entries = corpus(args)
    if args.build_only:
        return 0
    splits = SPLITS if args.split == "all" else (args.split,)
    tools, missing, outcomes = scan(args, splits)
    command = " ".join(
        ["python benchmarks/accuracy_public.py", *map(shlex.quote, sys.argv[1:] if argv is None else argv)]
    )
    lines = [
        f"Measured {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} with `{command}`.",
        "",
        f"- examples from: {heads(args.mirrors)} (the peers' literal examples, one per file, labelled as the "
        f"peer labels them; {args.settings} positives with a known secret set in realistic files, seed {args.seed}); "
        "split by hash, each round of sources into a split open to tuning and one held out: "
        + "; ".join(f"{'+'.join(m.source for m in r.mirrors)} ({r.added}): {r.tune} ~{r.tune_share}%, {r.held} "
                    "the rest" for r in ROUNDS),
        "- tools: " + "; ".join(f"{t.name} {t.version()}" for t in tools) + f"; veil's checkout at {checkout()}",
        *([f"- not installed or not working: {', '.join(missing)}"] if missing else []),
        "",
        *table(entries, tools, outcomes, splits),
    ]
    if any(t.name == "veil" for t in tools):
        lines += [
            "",
            "veil per family: recall % (found/positives) / FP % (flagged/negatives).",
            "",
            *veil_table(entries, outcomes, splits, "family"),
            "",
            "veil per realistic setting (the `settings` source): recall % (found/positives).",
            "",
            *veil_table([e for e in entries if e.setting], outcomes, splits, "setting"),
        ]
        for split in splits:
            if not outcomes[f"veil/{split}"].error:
                path = args.work / f"results-{split}.json"
                path.write_text(json.dumps(misses(entries, outcomes[f"veil/{split}"], split), indent=1))
                lines += ["", f"veil's misses and false positives on {split}, masked: `{tp.in_repo(path)}`"]
    print("\n".join(lines))
    if args.write:
        acc.write_section(lines, HEADING)
        print(f"\nwrote {tp.RESULTS_MD}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
