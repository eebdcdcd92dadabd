"""Why a finding is not reported: inline allow comments, ignored fingerprints, baseline, allowlists."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .allowlist import Allowlist
from .engine import Match
from .finding import fingerprint

INLINE_MARKERS = ("veil:allow", "gitleaks:allow", "pragma: allowlist secret")
# A marker is a whole token: not inside a word before it, and followed by the end of the line,
# a space, or what closes a comment (*/ --> --%> #} %} %> *) -}) — so `veil:allowed?` is no marker.
_INLINE = regex.compile(
    r"(?<![\w:])(?:" + "|".join(regex.escape(m) for m in INLINE_MARKERS) + r")(?=\s|$|\*/|--%?>|[#%]\}|%>|\*\)|-\})"
)


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def root_path(path: str, roots: tuple[str, ...]) -> str:
    """``path`` from the innermost of ``roots`` (real absolute folders) that holds it, with ``/``;
    ``path`` itself when none does (``<stdin>``, a path inside an image or a repository's history)."""
    if not roots:
        return path
    folder, name = os.path.split(os.path.abspath(path))
    full = os.path.join(_real_folder(folder), name)  # a symlinked file keeps its own name
    holding = [r for r in roots if full == r or full.startswith(r.rstrip(os.sep) + os.sep)]
    if not holding:
        return path
    relative = os.path.relpath(full, max(holding, key=len))
    return relative.replace(os.sep, "/")


@dataclass(frozen=True)
class Suppressor:
    """Decides, for a match found at a path, whether to drop it — and names the reason."""

    inline: bool = True
    ignored: frozenset[str] = frozenset()  # fingerprints from .veilignore
    baseline: frozenset[str] = frozenset()  # fingerprints accepted in a baseline
    allowlists: tuple[Allowlist, ...] = ()  # global
    rule_allowlists: Mapping[str, tuple[Allowlist, ...]] = field(default_factory=dict)
    rule_paths: Mapping[str, regex.Pattern] = field(default_factory=dict)  # a rule only applies to these paths
    roots: tuple[str, ...] = ()  # real folders fingerprinted paths start from (see root_path)

    def root_path(self, path: str) -> str:
        """The path a finding at ``path`` is fingerprinted with: from its scanned root."""
        return root_path(path, self.roots)

    def reason(self, match: Match, path: str) -> str | None:
        """``None`` to report the match, else a short reason (``inline``, ``ignored``, ``baseline`` …)."""
        rule_id = match.rule.id
        only = self.rule_paths.get(rule_id)
        if only is not None and not only.search(path):
            return "path"
        if self.inline and has_inline_marker(match.line_text):
            return "inline"
        lists = self.allowlists + self.rule_allowlists.get(rule_id, ())
        if lists and any(a.allows(match.secret, match.match_text, match.line_text, path) for a in lists):
            return "allowlist"
        if self.ignored or self.baseline:
            mark = fingerprint(rule_id, self.root_path(path), match.secret)
            if mark in self.ignored:
                return "ignored"
            if mark in self.baseline:
                return "baseline"
        return None


def has_inline_marker(line: str) -> bool:
    """Whether ``line`` carries an allow marker (``veil:allow``, ``gitleaks:allow``, ``pragma: allowlist secret``)."""
    return _INLINE.search(line) is not None
