"""Attribute secrets found in blobs to history: first commit, author, age, commits, still at the tip or not.

Only blobs that held a secret matter here, so the state followed through history is small: for every
commit, the set of (path, blob) pairs it holds whose blob had a finding. A commit's set is its first
parent's set with the commit's own changes applied (merges too, since the log pass diffs merges
against their first parent); commits that touch none of those blobs share their parent's set. From
those sets come, per finding (rule, secret, path):

- the commits that *introduced* it — a pair in the commit and in none of its parents;
- how many commits hold it (the sum, over distinct sets, of how many commits share the set);
- whether the tip holds it, and if not, the last commit on the tip's history that removed it.

Parents outside the scanned selection (``--since``, ``--range``) are looked up with one
``git cat-file --batch-check`` call for the few paths involved. A shallow clone's oldest commits
have no parents at all: what they hold counts as introduced there, and the finding says so.
"""

from __future__ import annotations

import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ...engine import Match
from ...finding import Finding
from .origin import Key, origin_of
from .repo import LogParser, Repo

EMPTY: frozenset[tuple[str, str]] = frozenset()
MAX_REFS = 10  # refs named in a finding that lives only off the tip's history

Pair = tuple[str, str]  # (path, blob)
Change = tuple[str, str | None, str | None]  # (path, old blob, new blob): None for a blob without findings


@dataclass
class Selection:
    revisions: list[str]  # what git log walks
    tip: str | None  # the commit "still present" refers to
    tip_label: str  # how reports name it
    whole: bool = False  # every ref, no limits: nothing outside the selection but a shallow boundary


@dataclass
class Attribution:
    findings: list[Finding] = field(default_factory=list)
    suppressed: Counter[str] = field(default_factory=Counter)


def _topological(commits: dict) -> list[str]:
    """Commits with every parent (inside the selection) before its children."""
    order: list[str] = []
    done: set[str] = set()
    for root in commits:
        if root in done:
            continue
        stack = [(root, False)]
        while stack:
            sha, expanded = stack.pop()
            if expanded:
                order.append(sha)
                continue
            if sha in done:
                continue
            done.add(sha)
            stack.append((sha, True))
            stack.extend((p, False) for p in commits[sha].parents if p in commits and p not in done)
    return order


def blobs_at(repo: Repo, queries: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The blob at ``commit:path`` for each query, in one ``cat-file --batch-check`` call."""
    asked = [(c, p) for c, p in queries if "\n" not in p]
    if not asked:
        return {}
    data = "".join(f"{c}:{p}\n" for c, p in asked).encode("utf-8", "surrogateescape")
    proc = subprocess.run(
        repo.argv("cat-file", "--batch-check=%(objectname) %(objecttype)"),
        input=data, capture_output=True, env=repo._env, check=False,
    )  # fmt: skip
    found = {}
    for query, line in zip(asked, proc.stdout.decode("utf-8", "surrogateescape").splitlines(), strict=False):
        sha, _, kind = line.rpartition(" ")
        if kind == "blob":
            found[query] = sha
    return found


def attribute(
    repo: Repo, log: LogParser, hits: dict[str, list[Match]], selection: Selection, suppressor, now: float
) -> Attribution:
    """Findings for the blobs in ``hits``, each placed in history (see the module's docstring)."""
    if not hits:
        return Attribution()
    commits = log.commits
    relevant, paths = _relevant_changes(commits, hits.keys())
    history = _History(commits, _boundary(repo, commits, selection, paths, hits.keys()))
    history.walk(relevant)
    carried = _Carried(hits, history.distinct())
    first_of, leaked = _first_seen(history, carried)
    tip_pairs = history.state_of(selection.tip) if selection.tip else EMPTY
    tip_keys = carried.keys_in(tip_pairs)
    removed = _removals(history, carried, selection.tip)
    refs = _refs_holding(repo, history.state, first_of.keys() - tip_keys, carried.keys_in) if selection.whole else {}
    counts = _commit_counts(history, carried)
    shallow = repo.shallow_commits()
    out = Attribution()
    for key, (sha, pair) in first_of.items():
        rule_id, secret, path = key
        at_tip = key in tip_keys
        if at_tip:
            pair = next(p for p in tip_pairs if key in carried.pair_keys.get(p, ()))
        match = carried.first_match[(pair[1], key)]
        reason = suppressor.reason(match, path) if suppressor is not None else None
        if reason:
            out.suppressed[reason] += 1
            continue
        origin = origin_of(
            commits, key, sha, pair[1], counts[key], at_tip, removed.get(key) if not at_tip else None,
            leaked[(rule_id, secret)], refs.get(key, []), sha in shallow, selection.tip_label, now,
        )
        out.findings.append(Finding.from_match(match, path, origin))
    out.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
    return out


def _relevant_changes(commits: dict, interesting) -> tuple[dict[str, list[Change]], set[str]]:
    """Per commit, its changes that add or drop a blob with findings; and the paths they happen at."""
    relevant: dict[str, list[Change]] = {}
    paths: set[str] = set()
    for sha, commit in commits.items():
        changes = [
            (path, old if old in interesting else None, new if new in interesting else None)
            for path, old, new in commit.changes
            if old in interesting or new in interesting
        ]
        if changes:
            relevant[sha] = changes
            paths.update(path for path, _, _ in changes)
    return relevant, paths


def _boundary(repo: Repo, commits: dict, selection: Selection, paths: set[str],
              interesting) -> dict[str, frozenset[Pair]]:
    """What commits outside the selection (parents, the tip) hold at ``paths``, of the blobs with findings."""
    outside = {p for c in commits.values() for p in c.parents if p not in commits}
    if selection.tip and selection.tip not in commits:
        outside.add(selection.tip)
    boundary: dict[str, frozenset[Pair]] = {}
    if outside and paths:
        at = blobs_at(repo, [(c, p) for c in sorted(outside) for p in sorted(paths)])
        for c in outside:
            boundary[c] = frozenset((p, at[(c, p)]) for p in paths if at.get((c, p)) in interesting)
    return boundary


class _History:
    """Each commit's set of (path, blob) pairs with findings, walked parents first; commits that change
    nothing share their first parent's set (the same object)."""

    def __init__(self, commits: dict, boundary: dict[str, frozenset[Pair]]):
        self.commits = commits
        self.boundary = boundary
        self.state: dict[str, frozenset[Pair]] = {}
        self.order = _topological(commits)
        self.position = {sha: i for i, sha in enumerate(self.order)}
        self.introduced: dict[Pair, list[str]] = defaultdict(list)  # the commits that brought each pair in
        self.changed: list[str] = []  # commits whose set differs from their first parent's

    def state_of(self, sha: str) -> frozenset[Pair]:
        found = self.state.get(sha)
        return found if found is not None else self.boundary.get(sha, EMPTY)

    def rank(self, sha: str) -> tuple[int, int]:
        """Earlier commits first: by author time, then by walk order."""
        return self.commits[sha].time, self.position[sha]

    def walk(self, relevant: dict[str, list[Change]]) -> None:
        for sha in self.order:
            commit = self.commits[sha]
            base = self.state_of(commit.parents[0]) if commit.parents else EMPTY
            now_set = base
            changes = relevant.get(sha)
            if changes:
                pairs = set(base)
                pairs.difference_update((p, old) for p, old, _ in changes if old)
                pairs.update((p, new) for p, _, new in changes if new)
                if pairs != base:
                    now_set = frozenset(pairs)
            self.state[sha] = now_set
            if now_set is not base:
                self.changed.append(sha)
                others = [self.state_of(p) for p in commit.parents[1:]]
                for pair in now_set - base:
                    if not any(pair in other for other in others):
                        self.introduced[pair].append(sha)
            elif len(commit.parents) > 1:
                self.changed.append(sha)  # a merge can drop what another parent held

    def distinct(self) -> dict[int, frozenset[Pair]]:
        """Every distinct set, by identity."""
        return {id(s): s for s in (*self.state.values(), *self.boundary.values())}


class _Carried:
    """Which findings each (path, blob) pair carries, and the first match of each."""

    def __init__(self, hits: dict[str, list[Match]], distinct: dict[int, frozenset[Pair]]):
        self.distinct = distinct
        self.pair_keys: dict[Pair, list[Key]] = {}
        self.first_match: dict[tuple[str, Key], Match] = {}
        for path, blob in {pair for pairs in distinct.values() for pair in pairs}:
            keys = []
            for match in hits[blob]:
                key = (match.rule.id, match.secret, path)
                if (blob, key) not in self.first_match:
                    self.first_match[(blob, key)] = match
                    keys.append(key)
            self.pair_keys[(path, blob)] = keys
        self._cache: dict[int, frozenset[Key]] = {}

    def keys_in(self, pairs: frozenset[Pair]) -> frozenset[Key]:
        cached = self._cache.get(id(pairs))
        if cached is None:
            cached = self._cache[id(pairs)] = frozenset(k for pair in pairs for k in self.pair_keys.get(pair, ()))
        return cached


def _commit_counts(history: _History, carried: _Carried) -> Counter[Key]:
    """How many commits hold each finding."""
    counts: Counter[Key] = Counter()
    for ident, count in Counter(id(s) for s in history.state.values()).items():
        for key in carried.keys_in(carried.distinct[ident]):
            counts[key] += count
    return counts


def _first_seen(history: _History, carried: _Carried) -> tuple[dict[Key, tuple[str, Pair]],
                                                                   dict[tuple[str, str], tuple[str, str]]]:
    """Per finding, the earliest commit that introduced it (and its pair); per secret (rule, secret),
    the earliest commit and path it leaked at anywhere."""
    first_of: dict[Key, tuple[str, Pair]] = {}
    for pair, shas in history.introduced.items():
        for key in carried.pair_keys.get(pair, ()):
            for sha in shas:
                best = first_of.get(key)  # ties (one commit) go to the smaller pair: the same every run
                if best is None or (history.rank(sha), pair) < (history.rank(best[0]), best[1]):
                    first_of[key] = (sha, pair)
    leaked: dict[tuple[str, str], tuple[str, str]] = {}
    for key, (sha, _pair) in first_of.items():
        secret_id = key[:2]
        best = leaked.get(secret_id)  # ties (one commit, several paths) go to the first path
        if best is None or (history.rank(sha), key[2]) < (history.rank(best[0]), best[1]):
            leaked[secret_id] = (sha, key[2])
    return first_of, leaked


def _removals(history: _History, carried: _Carried, tip: str | None) -> dict[Key, str]:
    """Per finding, the last commit on the tip's history that removed it."""
    commits = history.commits
    ancestors = _ancestors(commits, tip)
    removed: dict[Key, str] = {}
    for sha in history.changed:
        if sha not in ancestors:
            continue
        commit = commits[sha]
        mine = carried.keys_in(history.state[sha])
        for parent in commit.parents:
            for key in carried.keys_in(history.state_of(parent)) - mine:
                best = removed.get(key)
                if best is None or (commit.committed, history.position[sha]) > (
                        commits[best].committed, history.position[best]):
                    removed[key] = sha
    return removed


def _ancestors(commits: dict, tip: str | None) -> set[str]:
    seen: set[str] = set()
    stack = [tip] if tip in commits else []
    while stack:
        sha = stack.pop()
        if sha in seen:
            continue
        seen.add(sha)
        stack.extend(p for p in commits[sha].parents if p in commits and p not in seen)
    return seen


def _refs_holding(repo: Repo, state: dict, keys, keys_in) -> dict[Key, list[str]]:
    """For findings not at the tip: the refs whose tip still holds them."""
    if not keys:
        return {}
    held: dict[Key, list[str]] = defaultdict(list)
    for name, sha in repo.refs():
        pairs = state.get(sha)
        if pairs is None:
            continue
        for key in keys_in(pairs) & keys:
            if len(held[key]) < MAX_REFS:
                held[key].append(name.removeprefix("refs/heads/"))
    return held
