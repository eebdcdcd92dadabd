"""What a finding in history says of itself: first commit, author, age, commit count, removal, and the
whole story in one plain sentence."""

from __future__ import annotations

DAY = 86400

Key = tuple[str, str, str]  # (rule id, secret, path): one finding


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


def origin_of(
    commits: dict, key: Key, sha: str, blob: str, count: int, at_tip: bool, removed_in: str | None,
    leak: tuple[str, str], refs: list[str], shallow: bool, tip_label: str, now: float,
) -> dict:
    """The ``origin`` of the finding ``key``, first committed in ``sha`` (as ``blob``)."""
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
