"""GitLab secret-detection report (``artifacts:reports:secret_detection``), schema 15.x.

The clear secret never goes in: GitLab's own analyzer puts it in ``raw_source_code_extract``, which
Veil leaves out (unless ``--show-secrets``). A finding from git history names the commit that first
added the secret; a finding from a plain tree has no commit, and gets ``0000000`` as GitLab's own
analyzer writes for a directory scan.
"""

from __future__ import annotations

import datetime as dt
import uuid

import orjson

from .. import __version__
from ..finding import Finding
from ..outcome import ScanOutcome

SCHEMA_VERSION = "15.2.4"
SCHEMA = "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.2.4/dist/secret-detection-report-format.json"
NO_COMMIT = "0000000"
_SEVERITY = {"high": "Critical", "medium": "High", "low": "Medium"}
_VENDOR = {"name": "Veil"}
_STARTED = dt.datetime.now(dt.UTC)  # the report module loads when the command starts


def _time(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _vulnerability(f: Finding, show_secrets: bool) -> dict:
    origin = f.origin
    commit = {"sha": origin.get("commit") or NO_COMMIT}
    if origin.get("author"):
        commit["author"] = f"{origin['author']} <{origin.get('email', '')}>"
    if origin.get("date"):
        commit["date"] = origin["date"]
    end_line = f.line + f.secret.count("\n")
    description = f"{f.description} in {f.path}, line {f.line}: {f.shown_secret(show_secrets)}{f.decoded_note}."
    if origin.get("summary"):
        description += f" History: {origin['summary']}."
    vulnerability = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"veil:{f.fingerprint}:{f.line}:{f.column}")),
        "name": f.description,
        "description": description,
        "severity": _SEVERITY.get(f.confidence, "Unknown"),
        "solution": "Revoke or rotate the credential; removing it from the code does not remove it from history.",
        "identifiers": [{"type": "veil_rule_id", "name": f"Veil rule ID {f.rule_id}", "value": f.rule_id}],
        "location": {"file": f.path, "start_line": f.line, "end_line": end_line, "commit": commit},
    }
    if show_secrets:
        vulnerability["raw_source_code_extract"] = f.secret
    return vulnerability


def render_gitlab(outcome: ScanOutcome, show_secrets: bool) -> str:
    scanner = {"id": "veil", "name": "Veil", "vendor": _VENDOR, "version": __version__}
    messages = [
        {"level": "warn", "value": f"{s.path}: {s.reason}"} for s in outcome.skipped if s.kind in ("timeout", "missing")
    ]
    doc = {
        "version": SCHEMA_VERSION,
        "schema": SCHEMA,
        "scan": {
            "analyzer": scanner,
            "scanner": scanner,
            "type": "secret_detection",
            "start_time": _time(_STARTED),
            "end_time": _time(dt.datetime.now(dt.UTC)),
            "status": "failure" if outcome.errors else "success",
            **({"messages": messages} if messages else {}),
        },
        "vulnerabilities": [_vulnerability(f, show_secrets) for f in outcome.findings],
        "remediations": [],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
