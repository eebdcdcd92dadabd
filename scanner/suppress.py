"""Why a finding is not reported: inline allow comments, ignored fingerprints, baseline, allowlists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import regex

from .allowlist import Allowlist
from .engine import Match
from .finding import fingerprint

INLINE_MARKERS = ("veil:allow", "gitleaks:allow", "pragma: allowlist secret")


@dataclass(frozen=True)
class Suppressor:
    """Decides, for a match found at a path, whether to drop it — and names the reason."""

    inline: bool = True
    ignored: frozenset[str] = frozenset()  # fingerprints from .veilignore
    baseline: frozenset[str] = frozenset()  # fingerprints accepted in a baseline
    allowlists: tuple[Allowlist, ...] = ()  # global
    rule_allowlists: Mapping[str, tuple[Allowlist, ...]] = field(default_factory=dict)
    rule_paths: Mapping[str, regex.Pattern] = field(default_factory=dict)  # a rule only applies to these paths

    def reason(self, match: Match, path: str) -> str | None:
        """``None`` to report the match, else a short reason (``inline``, ``ignored``, ``baseline`` …)."""
        rule_id = match.rule.id
        only = self.rule_paths.get(rule_id)
        if only is not None and not only.search(path):
            return "path"
        if self.inline and any(marker in match.line_text for marker in INLINE_MARKERS):
            return "inline"
        lists = self.allowlists + self.rule_allowlists.get(rule_id, ())
        if lists and any(a.allows(match.secret, match.match_text, match.line_text, path) for a in lists):
            return "allowlist"
        if self.ignored or self.baseline:
            mark = fingerprint(rule_id, path, match.secret)
            if mark in self.ignored:
                return "ignored"
            if mark in self.baseline:
                return "baseline"
        return None
