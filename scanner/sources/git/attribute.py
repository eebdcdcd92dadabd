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
from .repo import LogParser, Repo

EMPTY: frozenset[tuple[str, str]] = frozenset()
DAY = 86400
MAX_REFS = 10  # refs named in a finding that lives only off the tip's history

Pair = tuple[str, str]  # (path, blob)
Key = tuple[str, str, str]  # (rule id, secret, path): one finding


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


def _days(seconds: float) -> int:
    return max(0, int(seconds // DAY))


def _ago(days: int) -> str:
    if days == 0:
        return "today"
    text = "1 day ago" if days == 1 else f"{days:,} days ago"
    if days >= 730:
        text += f" (over {days // 365} years)"
    elif days >= 365:
        text += " (over a year)"
    return text


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
    commits = log.commits
    interesting = hits.keys()
    if not hits:
        return Attribution()

    # the changes that matter, and the paths they happen at
    relevant: dict[str, list[tuple[str, str | None, str | None]]] = {}
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

    # what commits outside the selection hold at those paths
    outside = {p for c in commits.values() for p in c.parents if p not in commits}
    if selection.tip and selection.tip not in commits:
        outside.add(selection.tip)
    boundary: dict[str, frozenset[Pair]] = {}
    if outside and paths:
        at = blobs_at(repo, [(c, p) for c in sorted(outside) for p in sorted(paths)])
        for c in outside:
            boundary[c] = frozenset((p, at[(c, p)]) for p in paths if at.get((c, p)) in interesting)

    state: dict[str, frozenset[Pair]] = {}

    def state_of(sha: str) -> frozenset[Pair]:
        found = state.get(sha)
        return found if found is not None else boundary.get(sha, EMPTY)

    order = _topological(commits)
    position = {sha: i for i, sha in enumerate(order)}
    introduced: dict[Pair, list[str]] = defaultdict(list)
    changed: list[str] = []  # commits whose set differs from their first parent's
    for sha in order:
        commit = commits[sha]
        base = state_of(commit.parents[0]) if commit.parents else EMPTY
        now_set = base
        changes = relevant.get(sha)
        if changes:
            pairs = set(base)
            pairs.difference_update((p, old) for p, old, _ in changes if old)
            pairs.update((p, new) for p, _, new in changes if new)
            if pairs != base:
                now_set = frozenset(pairs)
        state[sha] = now_set
        if now_set is not base:
            changed.append(sha)
            others = [state_of(p) for p in commit.parents[1:]]
            for pair in now_set - base:
                if not any(pair in other for other in others):
                    introduced[pair].append(sha)
        elif len(commit.parents) > 1:
            changed.append(sha)  # a merge can drop what another parent held

    sharing = Counter(id(s) for s in state.values())
    distinct = {id(s): s for s in (*state.values(), *boundary.values())}

    # which findings each pair carries
    pair_keys: dict[Pair, list[Key]] = {}
    first_match: dict[tuple[str, Key], Match] = {}
    for path, blob in {pair for pairs in distinct.values() for pair in pairs}:
        keys = []
        for match in hits[blob]:
            key = (match.rule.id, match.secret, path)
            if (blob, key) not in first_match:
                first_match[(blob, key)] = match
                keys.append(key)
        pair_keys[(path, blob)] = keys

    keys_cache: dict[int, frozenset[Key]] = {}

    def keys_in(pairs: frozenset[Pair]) -> frozenset[Key]:
        cached = keys_cache.get(id(pairs))
        if cached is None:
            cached = keys_cache[id(pairs)] = frozenset(k for pair in pairs for k in pair_keys.get(pair, ()))
        return cached

    # how many commits hold each finding
    commit_count: Counter[Key] = Counter()
    for ident, count in sharing.items():
        for key in keys_in(distinct[ident]):
            commit_count[key] += count

    # where each finding came from
    first_of: dict[Key, tuple[str, Pair]] = {}
    for pair, shas in introduced.items():
        for key in pair_keys.get(pair, ()):
            for sha in shas:
                rank = (commits[sha].time, position[sha])
                best = first_of.get(key)
                if best is None or rank < (commits[best[0]].time, position[best[0]]):
                    first_of[key] = (sha, pair)
    leaked: dict[tuple[str, str], tuple[str, str]] = {}  # (rule, secret) -> (commit, path), earliest anywhere
    for key, (sha, _pair) in first_of.items():
        secret_id = key[:2]
        best = leaked.get(secret_id)
        if best is None or (commits[sha].time, position[sha]) < (commits[best[0]].time, position[best[0]]):
            leaked[secret_id] = (sha, key[2])

    # the tip, and removals on its history
    tip_pairs = state_of(selection.tip) if selection.tip else EMPTY
    tip_keys = keys_in(tip_pairs)
    ancestors = _ancestors(commits, selection.tip)
    removed: dict[Key, str] = {}
    for sha in changed:
        if sha not in ancestors:
            continue
        commit = commits[sha]
        mine = keys_in(state[sha])
        for parent in commit.parents:
            for key in keys_in(state_of(parent)) - mine:
                best = removed.get(key)
                if best is None or (commit.committed, position[sha]) > (commits[best].committed, position[best]):
                    removed[key] = sha
    refs = _refs_holding(repo, state, first_of.keys() - tip_keys, keys_in) if selection.whole else {}

    shallow = repo.shallow_commits()
    out = Attribution()
    for key, (sha, pair) in first_of.items():
        rule_id, secret, path = key
        at_tip = key in tip_keys
        if at_tip:
            pair = next(p for p in tip_pairs if key in pair_keys.get(p, ()))
        match = first_match[(pair[1], key)]
        reason = suppressor.reason(match, path) if suppressor is not None else None
        if reason:
            out.suppressed[reason] += 1
            continue
        origin = _origin(
            commits, key, sha, pair[1], commit_count[key], at_tip, removed.get(key) if not at_tip else None,
            leaked[(rule_id, secret)], refs.get(key, []), sha in shallow, selection.tip_label, now,
        )
        out.findings.append(Finding.from_match(match, path, origin))
    out.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
    return out


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


def _origin(
    commits: dict, key: Key, sha: str, blob: str, count: int, at_tip: bool, removed_in: str | None,
    leak: tuple[str, str], refs: list[str], shallow: bool, tip_label: str, now: float,
) -> dict:
    first = commits[sha]
    leak_commit = commits[leak[0]]
    age = _days(now - leak_commit.time)
    origin: dict = {
        "commit": sha,
        "author": first.author,
        "email": first.email,
        "date": first.date,
        "commits": count,
        "at_head": at_tip,
        "removed_in": removed_in,
        "removed_date": commits[removed_in].date if removed_in else None,
        "age_days": age,
        "leaked_commit": leak[0],
        "leaked_path": leak[1],
        "leaked_date": leak_commit.date,
        "blob": blob,
    }
    if shallow:
        origin["shallow_boundary"] = True
    if refs:
        origin["refs"] = refs
    origin["summary"] = _summary(origin, first, commits, key[2], tip_label, now)
    return origin


def _summary(origin: dict, first, commits: dict, path: str, tip_label: str, now: float) -> str:
    """The finding's history in one plain sentence."""

    def when(commit, sha: str) -> str:
        return f"{_ago(_days(now - commit.time))}, on {commit.date[:10]} in {sha[:10]}"

    who = f"{first.author} <{first.email}>" if first.email else first.author
    verb = "first seen" if origin.get("shallow_boundary") else "first committed"
    if origin["leaked_commit"] != origin["commit"] and origin["leaked_path"] != path:
        leak = commits[origin["leaked_commit"]]
        text = (f"{verb} {when(leak, origin['leaked_commit'])} at {origin['leaked_path']}; "
                f"here since {when(first, origin['commit'])} by {who}")
    else:
        text = f"{verb} {when(first, origin['commit'])} by {who}"
    if origin.get("shallow_boundary"):
        text += " (the oldest commit of this shallow clone: it may be older)"
    count = origin["commits"]
    in_commits = f"{count:,} commit{'s' * (count != 1)}"
    refs = ", ".join(origin.get("refs", ()))
    if origin["at_head"]:
        text += f"; still present at {tip_label}, in {in_commits}"
    elif origin["removed_in"]:
        gone = commits[origin["removed_in"]]
        text += f"; removed {when(gone, origin['removed_in'])}, but still in history ({in_commits})"
        if refs:
            text += f" and at the tip of {refs}"
    elif refs:
        text += f"; not in {tip_label}'s history, but at the tip of {refs} ({in_commits})"
    else:
        text += f"; not in {tip_label}'s history ({in_commits})"
    return text + ": rotate it"
