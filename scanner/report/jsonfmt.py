"""JSON (one document with findings and statistics) and JSON Lines (one finding per line)."""

from __future__ import annotations

import orjson

from .. import __version__
from ..outcome import ScanOutcome


def stats(outcome: ScanOutcome) -> dict:
    return {
        "files": outcome.files,
        "bytes": outcome.bytes,
        "findings": len(outcome.findings),
        "skipped": outcome.skip_counts,
        "suppressed": dict(sorted(outcome.suppressed.items())),
    }


def render_json(outcome: ScanOutcome, show_secrets: bool) -> str:
    doc = {
        "tool": {"name": "veil", "version": __version__},
        "findings": [f.to_dict(show_secrets) for f in outcome.findings],
        "stats": stats(outcome),
        "skipped": [{"path": s.path, "kind": s.kind, "reason": s.reason} for s in outcome.skipped],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"


def render_jsonl(outcome: ScanOutcome, show_secrets: bool) -> str:
    return "".join(orjson.dumps(f.to_dict(show_secrets)).decode() + "\n" for f in outcome.findings)
