"""Rules as data: load ``rules/*.toml`` (or a user's file), validate and compile them."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import regex

from . import cache
from .allowlist import Allowlist, AllowlistError
from .entropy import CHARSETS, charset
from .errors import VeilError
from .macros import MACROS, escape_aware, expand
from .prefilter import gate_error

CONFIDENCE_LEVELS = ("low", "medium", "high")
DEFAULT_WINDOW = 256


class RuleError(VeilError):
    """A rule file that does not parse or a rule that is not valid; the message names file and rule."""


@dataclass(frozen=True)
class Example:
    """A string a rule must (``positive``) or must not match; ``secret`` pins the exact value found,
    ``partner`` the other half a paired rule finds beside it."""

    text: str
    secret: str | None = None
    partner: str | None = None


@dataclass(frozen=True)
class Rule:
    """One detection rule. ``pattern`` is compiled for bytes (the engine scans raw file contents) on
    first use: most rules never fire in a run, and compiling them all would dominate start-up."""

    id: str
    description: str
    regex: str
    keywords: tuple[str, ...]
    secret_group: int | str | None = None  # None: group 1 if the regex has groups, else the whole match
    entropy: float | None = None  # minimum Shannon entropy of the secret, bits per character
    entropy_by_class: tuple[tuple[str, float], ...] = ()  # per character class (entropy.charset), overriding it
    confidence: str = "high"
    tags: tuple[str, ...] = ()
    window: int = DEFAULT_WINDOW
    allowlists: tuple[Allowlist, ...] = field(default=(), repr=False, compare=False)
    positives: tuple[Example, ...] = ()
    negatives: tuple[Example, ...] = ()
    source: str = ""
    gate: str | None = None  # a Hyperscan regex every match also matches: see Engine
    reject_names: bool = False  # drop values made of dictionary words and identifier parts (words.py)
    pair_group: int | str | None = None  # the group holding the secret's partner (a key pair's id), if any

    @cached_property
    def pattern(self) -> regex.Pattern:
        return _compile(self.regex, f"{self.source}: rule {self.id!r}")

    @cached_property
    def group(self) -> int | str:
        """The regex group that holds the secret."""
        if self.secret_group is not None:
            return self.secret_group
        return 1 if self.pattern.groups else 0

    def min_entropy(self, secret: str) -> float | None:
        """The entropy ``secret`` must reach: by its character class if the rule says, else the rule's."""
        if self.entropy_by_class:
            return dict(self.entropy_by_class).get(charset(secret), self.entropy)
        return self.entropy

    @property
    def content_allowlists(self) -> tuple[Allowlist, ...]:
        """Allowlists the engine can judge without knowing where the data came from."""
        return tuple(a for a in self.allowlists if not a.needs_path)


_RULE_KEYS = {
    "id", "description", "regex", "keywords", "secret_group", "entropy", "confidence", "tags",
    "window", "allowlist", "examples", "gate", "reject_names", "pair_group",
}


def _examples(raw: object, where: str) -> tuple[Example, ...]:
    if not isinstance(raw, list):
        raise RuleError(f"{where}: examples must be a list")
    out = []
    for item in raw:
        if isinstance(item, str):
            out.append(Example(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            out.append(Example(item["text"], item.get("secret"), item.get("partner")))
        else:
            raise RuleError(f"{where}: an example is a string or a table with 'text' (and 'secret', 'partner')")
    return tuple(out)


def _compile(pattern: str, where: str) -> regex.Pattern:
    try:
        return regex.compile(escape_aware(pattern).encode("utf-8"), regex.VERSION0)
    except (regex.error, ValueError) as exc:
        raise RuleError(f"{where}: regex does not compile: {exc}") from None


def _entropy(raw: object, where: str) -> tuple[float | None, tuple[tuple[str, float], ...]]:
    """``entropy = 3.5`` or ``entropy = { hex = 3.0, alnum = 3.5, base64 = 4.0, any = 3.0, default = 3.5 }``."""
    if raw is None or isinstance(raw, int | float) and not isinstance(raw, bool):
        return raw, ()
    if isinstance(raw, dict) and all(isinstance(v, int | float) for v in raw.values()):
        unknown = set(raw) - {*CHARSETS, "default"}
        if not unknown:
            return raw.get("default"), tuple(sorted((k, float(v)) for k, v in raw.items() if k != "default"))
    raise RuleError(f"{where}: entropy is a number or a table of numbers by class {(*CHARSETS, 'default')}")


def build_rule(raw: dict, source: str = "<memory>", check: bool = True) -> Rule:
    """Validate one rule table (as read from TOML). ``check``: compile its regexes now, so an error
    names the file; the shipped rules skip this (the test suite compiles every one of them)."""
    rid = raw.get("id")
    where = f"{source}: rule {rid!r}"
    if not isinstance(rid, str) or not rid:
        raise RuleError(f"{source}: a rule has no 'id'")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("description", "regex"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise RuleError(f"{where}: '{key}' must be a non-empty string")
    try:
        pattern = expand(raw["regex"])
    except KeyError as exc:
        raise RuleError(f"{where}: unknown macro {{{{{exc.args[0]}}}}} (known: {', '.join(sorted(MACROS))})") from None
    keywords = tuple(k.lower() for k in raw.get("keywords", []))
    if any(not isinstance(k, str) or not k for k in keywords):
        raise RuleError(f"{where}: keywords must be non-empty strings")
    group = raw.get("secret_group")
    confidence = raw.get("confidence", "high")
    if confidence not in CONFIDENCE_LEVELS:
        raise RuleError(f"{where}: confidence must be one of {CONFIDENCE_LEVELS}")
    allow = raw.get("allowlist", {})
    if not isinstance(allow, dict):
        raise RuleError(f"{where}: allowlist must be a table")
    try:
        allowlists = (Allowlist.from_table(allow, where, check=check),) if allow else ()
    except AllowlistError as exc:
        raise RuleError(str(exc)) from None
    entropy, by_class = _entropy(raw.get("entropy"), where)
    gate = raw.get("gate")
    if gate is not None and (not isinstance(gate, str) or not gate):
        raise RuleError(f"{where}: 'gate' must be a non-empty string")
    if check and gate and (error := gate_error(gate)):
        raise RuleError(f"{where}: gate does not compile with Hyperscan: {error}")
    examples = raw.get("examples", {})
    rule = Rule(
        id=rid,
        description=raw["description"],
        regex=pattern,
        keywords=keywords,
        secret_group=group,
        entropy=entropy,
        entropy_by_class=by_class,
        confidence=confidence,
        tags=tuple(raw.get("tags", ())),
        window=int(raw.get("window", DEFAULT_WINDOW)),
        allowlists=allowlists,
        positives=_examples(examples.get("positive", []), where),
        negatives=_examples(examples.get("negative", []), where),
        source=source,
        gate=gate,
        reject_names=bool(raw.get("reject_names", False)),
        pair_group=raw.get("pair_group"),
    )
    if check:
        _check_group(rule.pattern, group, where)
        _check_group(rule.pattern, rule.pair_group, where, "pair_group")
    return rule


def _check_group(pattern: regex.Pattern, group: int | str | None, where: str, key: str = "secret_group") -> None:
    if isinstance(group, int) and not 0 <= group <= pattern.groups:
        raise RuleError(f"{where}: {key} {group} but the regex has {pattern.groups} groups")
    if isinstance(group, str) and group not in pattern.groupindex:
        raise RuleError(f"{where}: {key} {group!r} is not a named group of the regex")


def _line_of(text: str, rule_id: str) -> int | None:
    found = regex.search(rf"""(?m)^\s*id\s*=\s*["']{regex.escape(rule_id)}["']""", text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def build_rules(tables: list[dict], source: str, text: str = "", check: bool = True) -> list[Rule]:
    """Rules from ``[[rules]]`` tables; an error names the file, the rule's line and the rule."""
    rules = []
    for raw in tables:
        try:
            rules.append(build_rule(raw, source, check))
        except RuleError as exc:
            line = _line_of(text, str(raw.get("id", "")))
            if line is None:
                raise
            raise RuleError(str(exc).replace(f"{source}:", f"{source}:{line}:", 1)) from None
    return rules


def _rule_tables(text: str, source: str) -> list[dict]:
    """The ``[[rules]]`` tables of one TOML file's text."""
    try:
        return tomllib.loads(text).get("rules", [])
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{source}: not valid TOML: {exc}") from None


def parse_rules(text: str, source: str, check: bool = True) -> list[Rule]:
    """Rules from the text of one TOML file: an array of ``[[rules]]`` tables."""
    return build_rules(_rule_tables(text, source), source, text, check)


def load_file(path: str | Path) -> list[Rule]:
    """Rules from one TOML file on disk; a file without any is an error (a configuration given as rules)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from None
    rules = parse_rules(text, str(path))
    if not rules:
        raise RuleError(f"{path}: no [[rules]] in this rule file (a configuration file goes to --config)")
    return rules


def rules_dir() -> Path:
    """Where the default rules are: ``scanner/rules`` in an installed wheel, the checkout's top-level
    ``rules/`` when Veil runs from its source (an editable install)."""
    installed = Path(__file__).with_name("rules")
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "rules"


def default_rules() -> list[Rule]:
    """The default rule set (``rules/*.toml``, see :func:`rules_dir`). Their parsed tables are
    cached (as JSON, keyed by the files' names, sizes and times): parsing TOML is most of start-up."""
    files = sorted(p for p in rules_dir().iterdir() if p.suffix == ".toml")
    stats = [(p.name, p.stat()) for p in files]
    name = f"rules-{cache.key_of([(file, st.st_size, st.st_mtime_ns) for file, st in stats])}.json"
    body = cache.load(name)
    if body is not None:
        tables = json.loads(body)
    else:
        tables = {p.name: _rule_tables(p.read_text(encoding="utf-8"), f"rules/{p.name}") for p in files}
        cache.store(name, json.dumps(tables).encode("utf-8"))
    return [rule for file, raw in tables.items() for rule in build_rules(raw, f"rules/{file}", check=False)]


class RuleSet(Sequence[Rule]):
    """An ordered, immutable collection of rules with unique ids."""

    def __init__(self, rules: Iterable[Rule]):
        self._rules = tuple(rules)
        seen: dict[str, Rule] = {}
        for rule in self._rules:
            if rule.id in seen:
                raise RuleError(f"{rule.source}: rule id {rule.id!r} is also defined in {seen[rule.id].source}")
            seen[rule.id] = rule
        self._by_id = seen

    @classmethod
    def default(cls) -> RuleSet:
        return cls(default_rules())

    def __getitem__(self, index):  # type: ignore[override]
        return self._rules[index]

    def __len__(self) -> int:
        return len(self._rules)

    def get(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)
