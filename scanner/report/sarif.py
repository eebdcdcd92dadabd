"""SARIF 2.1.0 for GitHub code scanning: rules, relative locations, Veil's fingerprints."""

from __future__ import annotations

import os
from pathlib import PurePosixPath
from urllib.parse import quote

import orjson

from .. import __version__
from ..finding import Finding
from ..outcome import ScanOutcome
from ..ruleset import Rule, RuleSet

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"high": ("error", "9.0"), "medium": ("error", "7.0"), "low": ("warning", "5.0")}


def _rule(rule: Rule) -> dict:
    level, severity = _LEVEL[rule.confidence]
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": f"{rule.description}. Rotate the credential, then remove it from the source."},
        "help": {"text": f"{rule.description} found. Revoke or rotate it; a secret that was committed is compromised."},
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": ["security", "secret", *rule.tags][:20],
            "security-severity": severity,
            "precision": rule.confidence,
        },
    }


def _location(finding: Finding) -> dict:
    path = finding.path.replace(os.sep, "/")
    if os.path.isabs(finding.path):
        artifact = {"uri": PurePosixPath(path).as_uri()}
    else:
        artifact = {"uri": quote(str(PurePosixPath(path)), safe="/"), "uriBaseId": "%SRCROOT%"}
    region = {"startLine": finding.line, "startColumn": finding.column}
    if not finding.decoded:  # a decoded secret is not the text at its place: its length says nothing there
        lines = finding.secret.split("\n")
        region["endLine"] = finding.line + len(lines) - 1
        region["endColumn"] = (finding.column if len(lines) == 1 else 1) + len(lines[-1])
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _result(finding: Finding, rule_index: int, show_secrets: bool) -> dict:
    level, _ = _LEVEL[finding.confidence]
    result = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": f"{finding.description}: {finding.shown_secret(show_secrets)}"
                            f"{finding.pair_note(show_secrets)}{finding.decoded_note}"},
        "locations": [_location(finding)],
        "partialFingerprints": {"veilFingerprint/v2": finding.fingerprint},
        "properties": {"fingerprint": finding.fingerprint, "confidence": finding.confidence},
    }
    if finding.origin:
        result["properties"]["origin"] = finding.origin
    if finding.decoded:
        result["properties"]["decoded"] = finding.decoded
    return result


def render_sarif(outcome: ScanOutcome, rules: RuleSet, show_secrets: bool) -> str:
    used = {f.rule_id for f in outcome.findings}
    listed = [r for r in rules if r.id in used]
    index = {r.id: i for i, r in enumerate(listed)}
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "veil",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(r) for r in listed],
            }},
            "results": [_result(f, index[f.rule_id], show_secrets) for f in outcome.findings],
            "columnKind": "unicodeCodePoints",
        }],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
