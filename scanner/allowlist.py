"""Allowlists: what not to report — by secret, whole match or line regex, stopword, or path."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import regex

from .errors import VeilError

TARGETS = ("secret", "match", "line")


class AllowlistError(VeilError):
    """An allowlist that does not compile; the message says where it came from."""


def compile_regexes(patterns: Iterable[str], where: str) -> tuple[regex.Pattern, ...]:
    out = []
    for pattern in patterns:
        try:
            out.append(regex.compile(pattern, regex.VERSION0))
        except (regex.error, ValueError) as exc:
            raise AllowlistError(f"{where}: allowlist regex {pattern!r} does not compile: {exc}") from None
    return tuple(out)


def glob_to_regex(glob: str) -> str:
    """A path glob (``tests/**``, ``*.lock``) as a regex matching at the start or after any ``/``."""
    return rf"(?:^|/){fnmatch.translate(glob.removeprefix('./'))}"


@dataclass(frozen=True)
class Allowlist:
    """One allowlist. With ``condition="or"`` any criterion allows a finding; with ``"and"``, all given.
    Regexes are kept as text and compiled on first use (``check`` at build time compiles them at once)."""

    regex_sources: tuple[str, ...] = ()
    regex_target: str = "secret"
    stopwords: tuple[str, ...] = ()
    path_sources: tuple[str, ...] = ()
    condition: str = "or"
    description: str = ""
    where: str = ""

    @cached_property
    def regexes(self) -> tuple[regex.Pattern, ...]:
        return compile_regexes(self.regex_sources, self.where)

    @cached_property
    def paths(self) -> tuple[regex.Pattern, ...]:
        return compile_regexes(self.path_sources, self.where)

    @classmethod
    def from_table(cls, table: dict, where: str, path_globs: bool = True, check: bool = True) -> Allowlist:
        """Build from a TOML table: ``regexes``, ``regex_target``, ``stopwords``, ``paths``, ``condition``.
        ``check``: compile the regexes now, so a bad one is reported where it was written."""
        target = table.get("regex_target", table.get("regexTarget", "secret")) or "secret"
        if target not in TARGETS:
            raise AllowlistError(f"{where}: regex_target must be one of {TARGETS}, not {target!r}")
        condition = str(table.get("condition", "or")).lower()
        if condition not in ("or", "and"):
            raise AllowlistError(f"{where}: condition must be 'or' or 'and'")
        paths = [glob_to_regex(p) if path_globs else p for p in table.get("paths", ())]
        allowlist = cls(
            regex_sources=tuple(table.get("regexes", ())),
            regex_target=target,
            stopwords=tuple(w.lower() for w in table.get("stopwords", ())),
            path_sources=tuple(paths),
            condition=condition,
            description=table.get("description", ""),
            where=where,
        )
        if check:
            allowlist.regexes, allowlist.paths  # noqa: B018 - compile now: errors at load, not mid-scan
        return allowlist

    @property
    def needs_path(self) -> bool:
        return bool(self.path_sources)

    def allows(self, secret: str, match: str, line: str, path: str | None = None) -> bool:
        """True when this allowlist accepts the finding. ``path=None``: judge the content alone."""
        text = {"secret": secret, "match": match, "line": line}[self.regex_target]
        checks = []
        if self.regex_sources:
            checks.append(any(p.search(text) for p in self.regexes))
        if self.stopwords:
            lowered = secret.lower()
            checks.append(any(word in lowered for word in self.stopwords))
        if self.path_sources and path is not None:
            checks.append(any(p.search(path) for p in self.paths))
        if not checks:
            return False
        return all(checks) if self.condition == "and" else any(checks)
