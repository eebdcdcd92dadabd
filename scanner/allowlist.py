"""Allowlists: what not to report — by secret, whole match or line regex, stopword, or path."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass

import regex

TARGETS = ("secret", "match", "line")


class AllowlistError(ValueError):
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
    """One allowlist. With ``condition="or"`` any criterion allows a finding; with ``"and"``, all given."""

    regexes: tuple[regex.Pattern, ...] = ()
    regex_target: str = "secret"
    stopwords: tuple[str, ...] = ()
    paths: tuple[regex.Pattern, ...] = ()
    condition: str = "or"
    description: str = ""

    @classmethod
    def from_table(cls, table: dict, where: str, path_globs: bool = True) -> Allowlist:
        """Build from a TOML table: ``regexes``, ``regex_target``, ``stopwords``, ``paths``, ``condition``."""
        target = table.get("regex_target", table.get("regexTarget", "secret")) or "secret"
        if target not in TARGETS:
            raise AllowlistError(f"{where}: regex_target must be one of {TARGETS}, not {target!r}")
        condition = str(table.get("condition", "or")).lower()
        if condition not in ("or", "and"):
            raise AllowlistError(f"{where}: condition must be 'or' or 'and'")
        paths = [glob_to_regex(p) if path_globs else p for p in table.get("paths", ())]
        return cls(
            regexes=compile_regexes(table.get("regexes", ()), where),
            regex_target=target,
            stopwords=tuple(w.lower() for w in table.get("stopwords", ())),
            paths=compile_regexes(paths, where),
            condition=condition,
            description=table.get("description", ""),
        )

    @property
    def needs_path(self) -> bool:
        return bool(self.paths)

    def allows(self, secret: str, match: str, line: str, path: str | None = None) -> bool:
        """True when this allowlist accepts the finding. ``path=None``: judge the content alone."""
        text = {"secret": secret, "match": match, "line": line}[self.regex_target]
        checks = []
        if self.regexes:
            checks.append(any(p.search(text) for p in self.regexes))
        if self.stopwords:
            lowered = secret.lower()
            checks.append(any(word in lowered for word in self.stopwords))
        if self.paths and path is not None:
            checks.append(any(p.search(path) for p in self.paths))
        if not checks:
            return False
        return all(checks) if self.condition == "and" else any(checks)
