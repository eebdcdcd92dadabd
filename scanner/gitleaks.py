"""Read a gitleaks configuration as it is: rules, ``[extend]``, allowlists; RE2 syntax translated."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import regex

from .allowlist import Allowlist, AllowlistError
from .ruleset import Rule, RuleError, build_rule

_GITLEAKS_RULE_KEYS = {"secretGroup", "allowlists", "path", "regexTarget"}
_FLAGS = regex.compile(r"\(\?([a-zA-Z]*(?:-[a-zA-Z]+)?)\)")


def is_gitleaks_config(path: Path, doc: dict) -> bool:
    """A gitleaks file by name, or by its gitleaks-only keys."""
    if "gitleaks" in path.name.lower() or "extend" in doc or "title" in doc:
        return True
    return any(isinstance(r, dict) and r.keys() & _GITLEAKS_RULE_KEYS for r in doc.get("rules", []))


def translate_re2(pattern: str) -> str:
    """Rewrite Go RE2 syntax that Python's ``regex`` reads differently.

    - inline flags after the start (``a(?i)b``) apply to the rest of the enclosing group in RE2;
      they become a scoped group ``a(?i:b)``;
    - ``\\z`` (end of text) becomes ``\\Z``; ``\\Q…\\E`` quoting becomes escaped literals.
    """
    out: list[str] = []
    pending = [0]  # scoped groups to close, per open group
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "Q":
                end = pattern.find("\\E", i + 2)
                end = n if end < 0 else end
                out.append(regex.escape(pattern[i + 2 : end]))
                i = end + 2
                continue
            out.append("\\Z" if nxt == "z" and not in_class else pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
            out.append(c)
        elif c == "[":
            in_class = True
            out.append(c)
            if pattern.startswith("]", i + 1) or pattern.startswith("^]", i + 1):
                skip = 2 if pattern[i + 1] == "]" else 3
                out.append(pattern[i + 1 : i + skip])
                i += skip
                continue
        elif c == "(":
            flags = _FLAGS.match(pattern, i)
            if flags and i > 0:
                out.append(f"(?{flags.group(1)}:")
                pending[-1] += 1
                i = flags.end()
                continue
            pending.append(0)
            out.append(c)
        elif c == ")":
            out.append(")" * pending.pop() if len(pending) > 1 else "")
            out.append(c)
        else:
            out.append(c)
        i += 1
    out.append(")" * pending[0])
    return "".join(out)


def _allowlists(tables: Any, where: str) -> tuple[list[Allowlist], list[str]]:
    if tables is None:
        return [], []
    notes = []
    out = []
    for table in tables if isinstance(tables, list) else [tables]:
        if table.get("commits"):
            notes.append(f"{where}: allowlist 'commits' apply to git scans only")
        translated = dict(table)
        translated["regexes"] = [translate_re2(p) for p in table.get("regexes", ())]
        translated["paths"] = [translate_re2(p) for p in table.get("paths", ())]
        try:
            out.append(Allowlist.from_table(translated, where, path_globs=False))
        except AllowlistError as exc:
            raise RuleError(str(exc)) from None
    return out, notes


def _rule(raw: dict, source: str) -> Rule:
    table = {
        "id": raw["id"],
        "description": raw.get("description") or raw["id"],
        "regex": translate_re2(raw["regex"]),
        "keywords": raw.get("keywords", []),
        "tags": raw.get("tags", []),
        "confidence": "medium",
    }
    if raw.get("secretGroup"):
        table["secret_group"] = raw["secretGroup"]
    if raw.get("entropy") is not None:
        table["entropy"] = float(raw["entropy"])
    return build_rule(table, source)


def gitleaks_settings(
    path: Path, text: str, doc: dict, read_toml: Callable[[Path], tuple[str, dict]], depth: int = 0
) -> dict[str, Any]:
    """The keyword arguments of a :class:`scanner.config.Config` for a gitleaks configuration."""
    source = str(path)
    extend = doc.get("extend", {})
    settings: dict[str, Any] = {
        "use_default_rules": bool(extend.get("useDefault", False)),
        "extra_rules": [],
        "disabled": set(extend.get("disabledRules", ())),
        "allowlists": (),
        "rule_allowlists": {},
        "rule_paths": {},
        "notes": [],
    }
    if extend.get("path"):
        if depth >= 2:
            raise RuleError(f"{source}: [extend] path nests too deep")
        parent = (path.parent / extend["path"]).resolve()
        parent_text, parent_doc = read_toml(parent)
        base = gitleaks_settings(parent, parent_text, parent_doc, read_toml, depth + 1)
        settings.update({k: base[k] for k in ("extra_rules", "allowlists", "rule_allowlists", "rule_paths", "notes")})
        settings["use_default_rules"] |= base["use_default_rules"]
        settings["disabled"] |= base["disabled"]
    rules: dict[str, Rule] = {r.id: r for r in settings["extra_rules"]}
    for raw in doc.get("rules", []):
        rule_id = raw.get("id")
        where = f"{source}: rule {rule_id!r}"
        if not rule_id:
            raise RuleError(f"{source}: a rule has no 'id'")
        if not raw.get("regex"):
            if raw.get("path"):
                settings["notes"].append(f"{where}: rules that match file paths only are not supported; skipped")
                continue
            raise RuleError(f"{where}: has neither 'regex' nor 'path'")
        try:
            rules[rule_id] = _rule(raw, source)
        except RuleError as exc:
            line = text.count("\n", 0, max(0, text.find(f'"{rule_id}"'))) + 1
            raise RuleError(str(exc).replace(f"{source}:", f"{source}:{line}:", 1)) from None
        if raw.get("path"):
            settings["rule_paths"][rule_id] = regex.compile(translate_re2(raw["path"]))
        lists, notes = _allowlists(raw.get("allowlists", raw.get("allowlist")), where)
        settings["notes"].extend(notes)
        if lists:
            settings["rule_allowlists"][rule_id] = tuple(lists)
    settings["extra_rules"] = list(rules.values())
    lists, notes = _allowlists(doc.get("allowlists", doc.get("allowlist")), f"{source}: global allowlist")
    settings["allowlists"] = tuple(settings["allowlists"]) + tuple(lists)
    settings["notes"].extend(notes)
    return settings
