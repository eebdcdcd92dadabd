"""Known secret values: their encoded forms, and which environment variables hold them."""

from __future__ import annotations

import base64
import fnmatch
import html
import json
import os
import re
from collections.abc import Iterable, Mapping
from urllib.parse import quote, quote_plus

# Names of environment variables whose values are treated as secrets (globs, case-insensitive).
DEFAULT_ENV_PATTERNS: tuple[str, ...] = (
    "*_KEY", "*_KEY_ID", "*_TOKEN", "*_SECRET", "*SECRET*", "*PASSWORD*", "*PASSWD*", "*_PWD", "*_PAT",
    "*API_KEY*", "*APIKEY*", "*ACCESS_KEY*", "*PRIVATE_KEY*", "*CREDENTIAL*", "*AUTH_TOKEN*", "*_AUTH",
    "*_DSN", "*CONNECTION_STRING*", "*WEBHOOK_URL*",
)
# Values that such variables often hold and that are not secrets.
_NOT_SECRET = frozenset({"true", "false", "none", "null", "yes", "no", "on", "off", "changeme", "disabled"})
MIN_LENGTH = 4  # shorter values are never registered: masking them would shred ordinary text
_PCT = re.compile(r"%[0-9A-F]{2}")
MIN_ENCODED_LENGTH = 8  # shorter encoded forms (base64 fragments) would match ordinary text


def env_values(
    patterns: Iterable[str] | None = None, environ: Mapping[str, str] | None = None, min_length: int = MIN_LENGTH
) -> dict[str, str]:
    """``{name: value}`` for the variables in ``environ`` (default ``os.environ``) whose names match a glob."""
    globs = [p.upper() for p in (DEFAULT_ENV_PATTERNS if patterns is None else patterns)]
    environ = os.environ if environ is None else environ
    found = {}
    for name, value in environ.items():
        upper = name.upper()
        if not any(fnmatch.fnmatchcase(upper, g) for g in globs):
            continue
        if len(value.strip()) >= min_length and value.strip().lower() not in _NOT_SECRET:
            found[name] = value
    return found


def _base64_cores(raw: bytes) -> set[str]:
    """The base64 text of ``raw`` at each of the three byte alignments inside a longer base64 string.

    Only the characters fully determined by ``raw`` are kept, so the value is found wherever it sits
    in a larger encoded blob (the approach of the GitHub Actions runner's secret masker).
    """
    n = len(raw)
    forms = set()
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw).decode("ascii")
        first = -(-8 * shift // 6)  # ceil: the first character not touched by the padding bytes
        last = 8 * (shift + n) // 6  # floor: past the last character made only of ``raw`` bits
        forms.add(encoded[first:last])
    forms.add(base64.b64encode(raw).decode("ascii"))  # standalone, with its '=' padding
    return forms


def encoded_forms(value: str, min_encoded_length: int = MIN_ENCODED_LENGTH) -> set[str]:
    """``value`` and the forms it takes in logs: base64 (3 alignments, also URL-safe), URL, JSON and XML escaped."""
    forms = {value}
    raw = value.encode("utf-8", "surrogatepass")
    for core in _base64_cores(raw):
        forms.add(core)
        forms.add(core.replace("+", "-").replace("/", "_"))
    xml_text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # xml.sax.saxutils.escape
    for escaped in (
        quote(value, safe=""), quote_plus(value, safe=""), quote(value, safe="/:@"),
        json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1].replace("/", "\\/"),
        xml_text, xml_text.replace('"', "&quot;"), xml_text.replace('"', "&quot;").replace("'", "&apos;"),
        html.escape(value),
    ):
        forms.add(escaped)
        forms.add(_PCT.sub(lambda m: m.group().lower(), escaped))  # %2f as well as %2F
    return {f for f in forms if f == value or len(f) >= min_encoded_length}
