"""Baselines: accept today's findings (hashed, no secrets), report only what is new."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson

from . import __version__
from .finding import Finding
from .ruleset import RuleError

FORMAT_VERSION = 1


class BaselineError(RuleError):
    """A baseline file that cannot be read; exit code 2."""


def load_baseline(path: str | Path) -> dict[str, dict]:
    """Entries of a baseline file, by fingerprint."""
    try:
        doc = orjson.loads(Path(path).read_bytes())
        entries = doc["findings"]
        return {e["fingerprint"]: e for e in entries}
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: baseline file not found (create one with 'veil baseline create' or --update-baseline)"
        ) from None
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a Veil baseline: {exc}") from None


def baseline_document(findings: list[Finding], previous: dict[str, dict] | None = None) -> bytes:
    """A baseline of ``findings``; entries already in ``previous`` keep the date they were accepted."""
    today = dt.date.today().isoformat()
    previous = previous or {}
    entries = {}
    for f in findings:
        mark = f.fingerprint
        entries[mark] = {
            "fingerprint": mark,
            "rule": f.rule_id,
            "path": f.path,
            "line": f.line,
            "accepted": previous.get(mark, {}).get("accepted", today),
        }
    doc = {
        "tool": {"name": "veil", "version": __version__},
        "version": FORMAT_VERSION,
        "findings": sorted(entries.values(), key=lambda e: (e["path"], e["line"], e["rule"])),
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
