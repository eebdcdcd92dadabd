"""Engine: ``Engine.scan`` on arbitrary bytes.

Defects: an exception escapes; a match lies outside the data or its secret is not the bytes at its
offsets; line numbers are wrong; the Hyperscan and pyahocorasick backends disagree; scanning the text
(``str``) differs from scanning its UTF-8 bytes; a scan takes longer than the time bound.
"""

from __future__ import annotations

from scanner.engine import Match, ScanResult

from .common import MAX_LEN, bounded, defect, engine


def key(match: Match) -> tuple:
    return match.rule.id, match.start, match.end, match.secret, match.decoded


def check_matches(data: bytes, result: ScanResult, backend: str) -> None:
    """Each plain (not decoded) match sits inside ``data``, in order, with its own bytes and line."""
    previous = -1
    for m in result.matches:
        if m.decoded:
            continue
        where = f"{backend} {m.rule.id} [{m.start}, {m.end})"
        if not 0 <= m.match_start <= m.start < m.end <= m.match_end <= len(data):
            defect("bad-offsets", f"{where} match [{m.match_start}, {m.match_end}) in {len(data)} bytes")
            continue
        if m.secret != data[m.start:m.end].decode("utf-8", "replace"):
            defect("bad-secret", f"{where}: the secret is not the bytes at its offsets")
        line = data.count(b"\n", 0, m.start) + 1
        if m.line != line:
            defect("bad-line", f"{where}: line {m.line}, expected {line}")
        if m.start < previous:
            defect("unordered", f"{where} comes after a match at {previous}")
        previous = m.start


def fuzz_one(data: bytes) -> None:
    data = data[:MAX_LEN]
    hs, ac = engine("hyperscan"), engine("ahocorasick")
    with bounded(f"scanning {len(data)} bytes with both backends"):
        by_hs, by_ac = hs.scan(data), ac.scan(data)
    check_matches(data, by_hs, "hyperscan")
    check_matches(data, by_ac, "ahocorasick")
    if by_hs.skipped or by_ac.skipped:
        return  # a regex timed out: what each backend saw depends on the clock, not on the input
    found_hs, found_ac = sorted(map(key, by_hs.matches)), sorted(map(key, by_ac.matches))
    if found_hs != found_ac:
        only_hs = [k[:3] for k in found_hs if k not in found_ac]
        only_ac = [k[:3] for k in found_ac if k not in found_hs]
        defect("backend-mismatch", f"only hyperscan: {only_hs}; only ahocorasick: {only_ac}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    by_text = hs.scan(text)
    if not by_text.skipped and sorted(map(key, by_text.matches)) != found_hs:
        defect("str-bytes-mismatch", "scanning the text and its UTF-8 bytes found different matches")
