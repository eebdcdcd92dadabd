"""Baselines: accept today's findings (hashed, no secrets), report only what is new."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson

from . import __version__
from .errors import VeilError
from .finding import Finding

# 2: fingerprints are scrypt of the secret, salted with rule and path from the scanned root (finding.py);
# 1 held a fast SHA-256 and the path as typed, which no current finding matches.
FORMAT_VERSION = 2


class BaselineError(VeilError):
    """A baseline file that cannot be read; exit code 2."""


class OutdatedBaseline(BaselineError):
    """A baseline written by an older Veil, whose fingerprints no current finding has."""


def load_baseline(path: str | Path) -> dict[str, dict]:
    """Entries of a baseline file, by fingerprint."""
    try:
        doc = orjson.loads(Path(path).read_bytes())
        entries = doc["findings"]
        version = doc["version"]
        if isinstance(version, int) and version < FORMAT_VERSION:
            raise OutdatedBaseline(
                f"{path}: baseline format {version}, written by an older Veil: its fingerprints match nothing "
                f"now (format {FORMAT_VERSION} hashes secrets slowly, with paths from the scanned root); accept "
                "today's findings again with 'veil baseline update' or --update-baseline, which rewrite it"
            )
        if version != FORMAT_VERSION:
            raise BaselineError(f"{path}: baseline format {version}; this Veil reads format {FORMAT_VERSION}")
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
            "path": f.root_path,
            "line": f.line,
            "accepted": previous.get(mark, {}).get("accepted", today),
        }
    doc = {
        "tool": {"name": "veil", "version": __version__},
        "version": FORMAT_VERSION,
        "findings": sorted(entries.values(), key=lambda e: (e["path"], e["line"], e["rule"])),
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
