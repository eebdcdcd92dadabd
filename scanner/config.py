"""Project configuration: ``veil.toml``, ``.veil.toml``, ``[tool.veil]`` in pyproject, or ``.gitleaks.toml``.

Found by walking up from the scanned path; ``--config FILE`` overrides. A configuration adds rules,
disables rules by id or tag, sets allowlists (globally or per rule) and defaults for flags.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from .allowlist import Allowlist, AllowlistError
from .errors import VeilError
from .gitleaks import gitleaks_settings, is_gitleaks_config
from .ruleset import Rule, RuleSet, build_rules, default_rules
from .suppress import Suppressor

CONFIG_NAMES = ("veil.toml", ".veil.toml", "pyproject.toml", ".gitleaks.toml")
IGNORE_FILE = ".veilignore"
_KEYS = {"rules", "disable", "disable_tags", "allowlist", "allowlists", "scan"}
# [scan] settings a configuration may not set: a repository's file must not switch masking off.
COMMAND_LINE_ONLY = ("show_secrets",)


class ConfigError(VeilError):
    """A configuration that cannot be used; the message names the file (and line or rule)."""


@dataclass
class Config:
    """The effective configuration: which rules run, what is allowed, and defaults for flags."""

    path: Path | None = None
    kind: str = "default"  # default | veil | gitleaks
    use_default_rules: bool = True
    extra_rules: list[Rule] = field(default_factory=list)
    disabled: set[str] = field(default_factory=set)
    disabled_tags: set[str] = field(default_factory=set)
    allowlists: tuple[Allowlist, ...] = ()
    rule_allowlists: dict[str, tuple[Allowlist, ...]] = field(default_factory=dict)
    rule_paths: dict[str, regex.Pattern] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what a foreign config asked for that Veil ignores
    warnings: list[str] = field(default_factory=list)  # settings refused (COMMAND_LINE_ONLY), for stderr

    def ruleset(self, extra: list[Rule] | None = None) -> RuleSet:
        """Default rules (unless replaced), plus the config's and ``extra`` rules, minus disabled ones."""
        base = default_rules() if self.use_default_rules else []
        added = {r.id for r in self.extra_rules}
        merged = [r for r in base if r.id not in added] + self.extra_rules + (extra or [])
        return RuleSet(
            r for r in merged if r.id not in self.disabled and not (set(r.tags) & self.disabled_tags)
        )

    def suppressor(self, ignored: frozenset[str] = frozenset(), baseline: frozenset[str] = frozenset()) -> Suppressor:
        return Suppressor(True, ignored, baseline, self.allowlists, self.rule_allowlists, self.rule_paths)

    def describe(self) -> dict:
        """A JSON-able view for ``veil config show``."""
        return {
            "file": str(self.path) if self.path else None,
            "kind": self.kind,
            "default_rules": self.use_default_rules,
            "added_rules": [r.id for r in self.extra_rules],
            "disabled_rules": sorted(self.disabled),
            "disabled_tags": sorted(self.disabled_tags),
            "allowlists": [_describe_allowlist(a) for a in self.allowlists],
            "rule_allowlists": {
                rule_id: [_describe_allowlist(a) for a in lists]
                for rule_id, lists in sorted(self.rule_allowlists.items())
            },
            "rule_paths": {k: p.pattern for k, p in sorted(self.rule_paths.items())},
            "defaults": self.defaults,
            "notes": self.notes,
            "warnings": self.warnings,
        }


def _describe_allowlist(a: Allowlist) -> dict:
    out: dict[str, Any] = {"condition": a.condition, "regex_target": a.regex_target}
    if a.description:
        out["description"] = a.description
    if a.regexes:
        out["regexes"] = [p.pattern for p in a.regexes]
    if a.stopwords:
        out["stopwords"] = list(a.stopwords)
    if a.paths:
        out["paths"] = [p.pattern for p in a.paths]
    return out


def _folders_up(start: str | Path) -> list[Path]:
    """``start`` (or the folder of a file) and every folder above it, nearest first."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    return [here, *here.parents]


def find_config(start: str | Path) -> Path | None:
    """The nearest configuration file in ``start`` or any folder above it."""
    for folder in _folders_up(start):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_veil(candidate)):
                return candidate
    return None


def find_ignore_file(start: str | Path) -> Path | None:
    """The nearest ``.veilignore`` in ``start`` or any folder above it; one that is no file (a folder
    made by mistake) is an error, not passed over for one further up."""
    for folder in _folders_up(start):
        candidate = folder / IGNORE_FILE
        if candidate.is_file():
            return candidate
        if candidate.exists():
            raise ConfigError(f"{candidate}: not a file: {IGNORE_FILE} lists fingerprints, one a line")
    return None


def read_fingerprints(path: Path) -> frozenset[str]:
    """Fingerprints listed one per line; ``#`` starts a comment."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    marks = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(m.split()[0] for m in marks if m)


def _has_tool_veil(path: Path) -> bool:
    try:
        return "veil" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def _read_toml(path: Path) -> tuple[str, dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def load_config(path: str | Path) -> Config:
    """Load a Veil or gitleaks configuration file."""
    path = Path(path)
    text, doc = _read_toml(path)
    if path.name == "pyproject.toml":
        doc = doc.get("tool", {}).get("veil", {})
    if is_gitleaks_config(path, doc):
        return Config(path=path, kind="gitleaks", **gitleaks_settings(path, text, doc, _read_toml))
    return _veil_config(path, text, doc)


def _veil_config(path: Path, text: str, doc: dict) -> Config:
    unknown = set(doc) - _KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown settings {sorted(unknown)}; expected some of {sorted(_KEYS)}")
    try:
        allowlists = tuple(Allowlist.from_table(t, f"{path}: [allowlist]") for t in _tables(doc.get("allowlist")))
        per_rule = {
            rid: tuple(Allowlist.from_table(t, f"{path}: [allowlists.{rid}]") for t in _tables(tables))
            for rid, tables in doc.get("allowlists", {}).items()
        }
    except AllowlistError as exc:
        raise ConfigError(str(exc)) from None
    defaults = {k.replace("-", "_"): v for k, v in doc.get("scan", {}).items()}
    refused = [key.replace("_", "-") for key in COMMAND_LINE_ONLY if defaults.pop(key, None) is not None]
    return Config(
        path=path,
        kind="veil",
        extra_rules=build_rules(doc.get("rules", []), str(path), text),
        disabled=set(doc.get("disable", ())),
        disabled_tags=set(doc.get("disable_tags", ())),
        allowlists=allowlists,
        rule_allowlists=per_rule,
        defaults=defaults,
        warnings=[f"{path}: [scan] {option} is ignored: secrets are shown in clear only when the command line "
                  f"says --{option}" for option in refused],
    )


def _tables(value: dict | list | None) -> list[dict]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def resolve_config(explicit: str | None, start: str) -> Config:
    """``--config`` if given, else the nearest configuration above ``start``, else defaults."""
    if explicit:
        return load_config(explicit)
    found = find_config(start)
    return load_config(found) if found else Config()
