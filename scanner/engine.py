"""The detection engine: keyword prefilter → rule regex in a window around each hit → filters.

It sees bytes (or text) and returns matches with offsets, line and column. It knows nothing of
files, git or logging.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .decoders import add_decoded
from .entropy import shannon
from .placeholders import is_placeholder
from .prefilter import make_prefilter
from .ruleset import CONFIDENCE_LEVELS, Rule, RuleSet

REGEX_TIMEOUT = 1.0  # seconds one rule may spend on one window
LINE_SLACK = 512  # how far a window may grow to reach the edges of its lines


@dataclass(frozen=True, slots=True)
class Match:
    """A secret found by a rule. Offsets are byte offsets of the secret in the scanned data."""

    rule: Rule
    secret: str
    start: int
    end: int
    line: int
    column: int
    entropy: float
    match_start: int
    match_end: int
    match_text: str
    line_text: str
    decoded: str = ""  # how the secret was found under an encoding ("base64"), see decoders.py


@dataclass(frozen=True, slots=True)
class Skipped:
    """A window a rule could not finish (its regex timed out); reported, never silently lost."""

    rule_id: str
    start: int
    end: int
    reason: str


@dataclass(slots=True)
class ScanResult:
    matches: list[Match]
    skipped: list[Skipped]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    merged = [spans[0]]
    for lo, hi in spans[1:]:
        last_lo, last_hi = merged[-1]
        if lo <= last_hi:
            merged[-1] = (last_lo, max(last_hi, hi))
        else:
            merged.append((lo, hi))
    return merged


def _to_line_edges(data: bytes, lo: int, hi: int) -> tuple[int, int]:
    """Grow ``[lo, hi)`` to whole lines when the line edges are within ``LINE_SLACK`` bytes."""
    n = len(data)
    if lo > 0:
        floor = max(0, lo - LINE_SLACK)
        nl = data.rfind(b"\n", floor, lo)
        if nl >= 0:
            lo = nl + 1
        elif floor == 0:
            lo = 0
    if hi < n:
        ceiling = min(n, hi + LINE_SLACK)
        nl = data.find(b"\n", hi, ceiling)
        if nl >= 0:
            hi = nl
        elif ceiling == n:
            hi = n
    return lo, hi


class Engine:
    """A compiled rule set: thread-safe, shareable, and cheap on clean input."""

    def __init__(self, rules: Iterable[Rule] | None = None, backend: str | None = None, timeout: float = REGEX_TIMEOUT):
        self.timeout = timeout
        self.rules = rules if isinstance(rules, RuleSet) else RuleSet(RuleSet.default() if rules is None else rules)
        keywords: list[str] = []
        self._keyword_rules: list[list[int]] = []
        index_of: dict[str, int] = {}
        self._always: list[int] = []  # rules without keywords run on the whole chunk
        for rule_index, rule in enumerate(self.rules):
            if not rule.keywords:
                self._always.append(rule_index)
            for keyword in rule.keywords:
                if keyword not in index_of:
                    index_of[keyword] = len(keywords)
                    keywords.append(keyword)
                    self._keyword_rules.append([])
                self._keyword_rules[index_of[keyword]].append(rule_index)
        self._keyword_len = [len(k.encode("utf-8")) for k in keywords]
        self.prefilter = make_prefilter(keywords, backend)
        self.backend = self.prefilter.name

    def scan(self, data: bytes | str) -> ScanResult:
        """Every match in ``data``, ordered by offset. Offsets are in bytes of the UTF-8 encoding."""
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        windows: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for keyword_index, end in self.prefilter.hits(data):
            start = end - self._keyword_len[keyword_index]
            for rule_index in self._keyword_rules[keyword_index]:
                pad = self.rules[rule_index].window
                windows[rule_index].append((max(0, start - pad), end + pad))
        for rule_index in self._always:
            windows[rule_index] = [(0, len(data))]
        found: list[_Found] = []
        skipped: list[Skipped] = []
        for rule_index, spans in windows.items():
            rule = self.rules[rule_index]
            for lo, hi in _merge([_to_line_edges(data, lo, min(hi, len(data))) for lo, hi in _merge(spans)]):
                _run_rule(rule, data, lo, hi, self.timeout, found, skipped)
        found = _most_specific(found)
        found.sort(key=lambda f: (f[2], f[0].id))
        result = ScanResult(list(_placed(data, found)), skipped)
        add_decoded(self, data, result)  # Kubernetes Secrets' base64 values, decoded and scanned
        return result


_Found = tuple[Rule, str, int, int, float, int, int]
_RANK = {level: rank for rank, level in enumerate(CONFIDENCE_LEVELS)}


def _most_specific(found: list[_Found]) -> list[_Found]:
    """One finding per secret: where secrets overlap, the most confident rule wins, then the
    earliest and longest secret, then the first rule id."""
    if len(found) < 2:
        return found
    kept: list[_Found] = []
    starts: list[int] = []  # kept secrets' starts, sorted, with the running maximum of their ends
    max_ends: list[int] = []
    for f in sorted(found, key=lambda f: (-_RANK[f[0].confidence], f[2], -f[3], f[0].id)):
        i = bisect_right(starts, f[3] - 1)  # kept secrets that start before this one ends
        if i and max_ends[i - 1] > f[2]:
            continue
        kept.append(f)
        at = bisect_right(starts, f[2])
        starts.insert(at, f[2])
        max_ends.insert(at, max(f[3], max_ends[at - 1]) if at else f[3])
        for j in range(at + 1, len(max_ends)):  # keep the running maximum true after the insert
            if max_ends[j] >= max_ends[at]:
                break
            max_ends[j] = max_ends[at]
    return kept


def _run_rule(
    rule: Rule, data: bytes, lo: int, hi: int, timeout: float, found: list[_Found], skipped: list[Skipped]
) -> None:
    """Run one rule's regex over ``data[lo:hi]`` and keep what passes its filters."""
    try:
        for hit in rule.pattern.finditer(data, lo, hi, timeout=timeout):
            if hit.end() == hi < len(data):  # cut by the window's edge: let it run to its natural end
                hit = rule.pattern.match(data, hit.start(), min(len(data), hi + LINE_SLACK), timeout=timeout) or hit
            start, end = hit.span(rule.secret_group)
            if start < 0 or start == end:
                continue
            secret = data[start:end].decode("utf-8", "replace")
            entropy = shannon(secret)
            if rule.entropy is not None and entropy < rule.entropy:
                continue
            if is_placeholder(secret) or (rule.allowlists and _allowed(rule, data, secret, *hit.span())):
                continue
            found.append((rule, secret, start, end, entropy, *hit.span()))
    except TimeoutError:
        skipped.append(Skipped(rule.id, lo, hi, f"regex timed out after {timeout}s"))


def _lines_of(data: bytes, start: int, end: int) -> tuple[int, str]:
    """Where the line holding ``data[start:end]`` begins, and the text of its line(s)."""
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", end)
    return line_start, data[line_start : len(data) if line_end < 0 else line_end].decode("utf-8", "replace")


def _allowed(rule: Rule, data: bytes, secret: str, match_start: int, match_end: int) -> bool:
    match = data[match_start:match_end].decode("utf-8", "replace")
    line = _lines_of(data, match_start, match_end)[1]
    return any(a.allows(secret, match, line) for a in rule.content_allowlists)


def _placed(data: bytes, found: list[_Found]) -> Iterable[Match]:
    """Matches with 1-based line and column (in characters), in one pass over ``data``."""
    line, pos = 1, 0
    for rule, secret, start, end, entropy, match_start, match_end in found:
        line += data.count(b"\n", pos, start)
        pos = start
        line_text = _lines_of(data, match_start, match_end)[1]
        match_text = data[match_start:match_end].decode("utf-8", "replace")
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", "replace")) + 1
        yield Match(rule, secret, start, end, line, column, entropy, match_start, match_end, match_text, line_text)
