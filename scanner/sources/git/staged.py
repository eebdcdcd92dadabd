"""``--staged``: what is about to be committed — the index against HEAD — where only added lines count.

Each staged file is scanned whole (so a secret whose keyword sits on an unchanged line is still
found), and a match is kept only if it touches a line the commit adds. This is what the pre-commit
hook runs. The index is read through ``git diff --cached``, not GitPython's index reader: git knows
every index format (GitPython refuses version 4, which ``feature.manyFiles`` turns on), honours the
``GIT_INDEX_FILE`` and ``GIT_DIR`` a hook is given (``git commit -a``, ``git commit <paths>``, linked
worktrees), and starts in milliseconds where importing GitPython takes about 50.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ...engine import Engine
from ...outcome import ScanOutcome, Skip, findings_of
from ...ruleset import RuleSet
from ..files import BINARY_SNIFF
from .repo import GITLINK, BlobReader, GitError, Repo

# ``summary`` is the sentence reports print (text, GitLab); ``staged`` the flag for programs (JSON, SARIF).
STAGED_ORIGIN = {"staged": True, "summary": "staged in the index, not committed yet"}
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)
_BINARY = re.compile(rb"^Binary files .* differ$", re.M)  # git found no lines to diff (or .gitattributes said -diff)
# The index against HEAD, whatever the user's configuration: renames found (a moved file adds no lines), paths
# from the top and never quoted (diff.relative, core.quotePath), hunks never fused over unchanged lines
# (diff.interHunkContext), no external diff, textconv or colour.
STAGED_DIFF = (
    "-c", "core.quotePath=false", "-c", "diff.relative=false", "diff", "--cached", "--find-renames",
    "--inter-hunk-context=0", "--no-ext-diff", "--no-textconv", "--no-color", "--diff-filter=AMTR", "--raw", "-p",
    "-U0", "-z", "--no-abbrev",
)  # fmt: skip


def _added_lines(section: bytes) -> list[tuple[int, int]]:
    """The [first, last] line ranges a ``-U0`` patch section adds."""
    ranges = []
    for m in _HUNK.finditer(section):
        start, count = int(m.group(1)), int(m.group(2) or 1)
        if count:
            ranges.append((start, start + count - 1))
    return ranges


def _touches(ranges: list[tuple[int, int]], first: int, last: int) -> bool:
    i = bisect_right(ranges, (first, float("inf"))) - 1
    return (i >= 0 and ranges[i][1] >= first) or (i + 1 < len(ranges) and ranges[i + 1][0] <= last)


def staged_changes(repo: Repo) -> list[tuple[str, str, list[tuple[int, int]] | None]]:
    """(path, staged blob, added line ranges) for every file added or modified in the index.

    ``None`` ranges mean every line counts: git's patch and raw output did not line up, or git gave no
    lines for the file (binary to git, or ``-diff`` in .gitattributes) — then every secret in it counts.
    """
    base = repo.head or repo.run("hash-object", "-t", "tree", "--stdin", input=b"").decode().strip()
    out = repo.run(*STAGED_DIFF, base, "--")
    tokens = out.split(b"\0")
    entries: list[tuple[str, str | None]] = []
    i = 0
    while i + 1 < len(tokens) and tokens[i].startswith(b":"):
        old_mode, new_mode, _old, new, status = tokens[i][1:].decode("ascii").split(" ")
        i += 2 if status[0] in "AMT" else 3  # a rename names the old path, then the new one
        blob = None if new_mode == GITLINK or not new.strip("0") else new
        entries.append((tokens[i - 1].decode("utf-8", "surrogateescape"), blob))
    patch = b"\0".join(tokens[i:]).lstrip(b"\0")
    sections = re.split(rb"(?m)^diff --git ", patch)[1:]
    aligned = len(sections) == len(entries)
    return [
        (path, blob, _added_lines(sections[n]) if aligned and not _BINARY.search(sections[n]) else None)
        for n, (path, blob) in enumerate(entries)
        if blob is not None
    ]


def scan_staged(repo: Repo, rules: RuleSet, engine: str | None, max_size: int, suppressor=None) -> ScanOutcome:
    """Findings on the lines the next commit adds."""
    if repo.bare:
        raise GitError(f"{repo.path}: a bare repository has no index to scan (--staged needs a work tree)")
    changes = staged_changes(repo)
    outcome = ScanOutcome()
    if not changes:
        return outcome
    scanner = Engine(rules, backend=engine)
    reader = BlobReader(repo.path, max_size)
    try:
        for (path, _sha, ranges), blob in zip(changes, reader.read([sha for _, sha, _ in changes]), strict=True):
            if blob.data is None:
                outcome.skipped.append(Skip(path, blob.skip, blob.reason))
                continue
            outcome.files += 1
            outcome.bytes += len(blob.data)
            if b"\0" in blob.data[:BINARY_SNIFF]:
                outcome.skipped.append(Skip(path, "binary", "binary file"))
                continue
            result = scanner.scan(blob.data)
            if ranges is not None:
                result.matches = [
                    m for m in result.matches  # the lines the secret spans in the file (decoded: its encoded text)
                    if _touches(ranges, m.line, m.line + blob.data.count(b"\n", m.start, m.end))
                ]
            part = findings_of(result, path, dict(STAGED_ORIGIN), suppressor)
            outcome.findings.extend(part.findings)
            outcome.skipped.extend(part.skipped)
            outcome.suppressed.update(part.suppressed)
    finally:
        reader.close()
    outcome.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
    return outcome
