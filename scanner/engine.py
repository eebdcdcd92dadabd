"""The detection engine: keyword prefilter → rule regex in a window around each hit → filters.

With Hyperscan, each rule is also matched whole, as a superset of its regex (see superset.py), in a
database of its own: a keyword's window is searched only if the rule's superset ends within
reach of it, and only up to the last such end, so text dense with common keywords (``token``,
``password``) costs Python regex runs only where a rule can really match. A rule whose keywords are
common words carries a *gate* (a Hyperscan regex that every match also matches): its keywords are
then looked for, with a database of their own, only in chunks where the rule's superset matched.
The superset database takes seconds to compile: it is built in the background once a few megabytes
have been scanned, and cached for later runs (prefilter.SpanDatabase); until then every rule runs in
its keyword windows, with the same findings. Rules whose hits are dense and whose regex skips text
fast run once over the whole chunk instead of once per window.

It sees bytes (or text) and returns matches with offsets, line and column. It knows nothing of
files, git or logging.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import regex

from .entropy import shannon
from .macros import escape_aware
from .placeholders import is_placeholder
from .prefilter import HyperscanPrefilter, SpanDatabase, compiles_alone, default_backend, make_prefilter
from .ruleset import CONFIDENCE_LEVELS, Rule, RuleSet
from .superset import superset
from .words import looks_like_name

REGEX_TIMEOUT = 1.0  # seconds one rule may spend on one window
LINE_SLACK = 512  # how far a window may grow to reach the end of its line
MAX_RUN = 65536  # how far past its window's edge a match cut by it may run on
SPAN_TAIL = 256  # what a confirmed window keeps past the last place a match can end (lookaheads' context)
_WORD_END = regex.compile(rb"[\s\"'`<>,;()\[\]{}]")  # where a token ends, on a line too long to take whole
DENSE_MIN_WINDOWS = 16  # below this many windows a rule always runs windowed
WINDOW_COST = 5e-6  # seconds one windowed regex run costs in Python, about
_SAMPLE = (  # keyword-free text on which a rule's one-pass speed is measured
    b'{"ts":"2026-11-23T10:00:00Z","level":"info","msg":"step finished in 42 ms","path":"/srv/data/7.json"}\n'
    b"    def handle(self, request, *args, **kwargs):  # see the docs for details\n"
    b"name: build\nsteps:\n  - run: make test QUIET=1 && echo done\n"
) * 160

Partner = tuple[int, int] | None  # where a paired rule's partner (an AWS key id beside its secret) is
Found = tuple["Rule", str, int, int, float, int, int, Partner]  # rule, secret, start, end, entropy, match span, partner


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
    partner: str = ""  # a paired rule's other half (the key id of a key pair), see Rule.pair_group
    partner_start: int = 0  # its byte offsets, in the scanned data (in the decoded text if ``decoded``)
    partner_end: int = 0

    def moved(self, by: int) -> Match:
        """This match with its offsets (secret, match, partner) ``by`` bytes further on."""
        return replace(self, start=self.start + by, end=self.end + by, match_start=self.match_start + by,
                       match_end=self.match_end + by, partner_start=self.partner_start + by,
                       partner_end=self.partner_end + by)

    def mask_spans(self) -> list[tuple[int, int, str, str]]:
        """What a masker masks for this match, ``(start, end, rule id, text)``: the secret, and a pair's
        partner where it lies in the data (a decoded match's span covers the partner's encoding)."""
        spans = [(self.start, self.end, self.rule.id, self.secret)]
        if self.partner and not self.decoded and self.partner_start >= 0:
            spans.append((self.partner_start, self.partner_end, self.rule.id, self.partner))
        return spans


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


def _to_line_end(data: bytes, hi: int) -> int:
    """Grow a window's end ``hi`` to the end of its line when that is within ``LINE_SLACK`` bytes, else
    to the end of the word it cuts (up to :data:`MAX_RUN`), so a secret that runs past the window (a
    long JWT on a long line) is not cut short, nor missed for want of its last part."""
    n = len(data)
    if hi >= n:
        return n
    ceiling = min(n, hi + LINE_SLACK)
    nl = data.find(b"\n", hi, ceiling)
    if nl >= 0:
        return nl
    if ceiling == n:
        return n
    reach = min(n, hi + MAX_RUN)
    word_end = _WORD_END.search(data, hi, reach)
    if word_end is None:
        return n if reach == n else hi
    after = word_end.start()  # the word's end, then the line's or enough context for what follows a value
    nl = data.find(b"\n", after, min(n, after + LINE_SLACK))
    return nl if nl >= 0 else min(n, after + LINE_SLACK)


class Decoder(Protocol):
    """A plug-in that finds secrets behind an encoding (see decoders.py): ``trigger`` is a regex that
    every chunk holding such an encoding matches (compiled into the keyword database with Hyperscan);
    ``add_decoded`` adds what the engine finds in the decoded text to the chunk's result. ``ends``: where
    the trigger's matches end (with Hyperscan), or None (every decoder runs on every chunk)."""

    trigger: str

    def add_decoded(self, engine: Engine, data: bytes, result: ScanResult, ends: list[int] | None) -> None: ...


_DECODERS: list[Decoder] = []


def register_decoder(decoder: Decoder) -> None:
    """Make ``decoder`` one of the decoders every engine built afterwards uses by default."""
    _DECODERS.append(decoder)


class Engine:
    """A compiled rule set: thread-safe, shareable, and cheap on clean input. ``decoders`` default to
    the registered ones (:func:`register_decoder`; ``scanner`` registers the Kubernetes Secret one)."""

    def __init__(self, rules: Iterable[Rule] | None = None, backend: str | None = None, timeout: float = REGEX_TIMEOUT,
                 decoders: Sequence[Decoder] | None = None):
        self.timeout = timeout
        self.decoders = list(_DECODERS if decoders is None else decoders)
        self.rules = rules if isinstance(rules, RuleSet) else RuleSet(RuleSet.default() if rules is None else rules)
        backend = backend or default_backend()
        hyperscan = backend == "hyperscan"
        gated = {i for i, rule in enumerate(self.rules) if rule.gate and rule.keywords and hyperscan}
        self._always = [i for i, rule in enumerate(self.rules) if not rule.keywords]  # run on the whole chunk
        ungated = sorted(set(range(len(self.rules))) - gated)
        keywords, self._keyword_rules, self._keyword_len = _keyword_table(self.rules, set(ungated))
        # A gated rule's keywords are looked for only in chunks where its gate regex matches, with a
        # database of its own (one shared by all gated rules would hand back every gated keyword's
        # hits whenever any gate matched).
        self._gated = sorted(gated)
        self._gated_tables = {}
        for rule_index in self._gated:
            own, own_rules, own_len = _keyword_table(self.rules, {rule_index})
            self._gated_tables[rule_index] = (make_prefilter(own, backend), own_rules, own_len)
        # The keyword database also holds each decoder's trigger (without Hyperscan, every decoder
        # runs and looks for itself). Every rule's superset (its span regex),
        # which also stands for a gated rule's gate, is in a second database, built in the background
        # when no earlier run has cached it: until it is ready, every rule runs in its keyword windows.
        self._span_rules = [i for i in ungated if self.rules[i].keywords] + self._gated if hyperscan else []
        spans = [superset(escape_aware(self.rules[i].regex)) for i in self._span_rules]
        self._span_of = dict(zip(self._span_rules, spans, strict=True))
        self._first_trigger = len(keywords) if hyperscan else None
        self.prefilter = make_prefilter(keywords, backend, [d.trigger for d in self.decoders] if hyperscan else [])
        self.backend = self.prefilter.name
        self._spans = SpanDatabase(spans) if spans else None
        self._confirmed_by: tuple[HyperscanPrefilter | None, frozenset[int]] = (None, frozenset())
        self._pass_speed: dict[str, float] = {}  # bytes per second of one regex pass, per rule id

    def _confirmed(self, spans: HyperscanPrefilter | None) -> frozenset[int]:
        """The rules matched whole in ``spans`` (those Hyperscan took)."""
        if spans is None:
            return frozenset()
        built, confirmed = self._confirmed_by
        if built is not spans:
            confirmed = frozenset(i for i, ok in zip(self._span_rules, spans.spans_ok, strict=True) if ok)
            self._confirmed_by = (spans, confirmed)
        return confirmed

    def may_match(self, data: bytes) -> bool:
        """False when no rule with keywords can match in ``data``: no keyword of an ungated rule occurs,
        and no gated rule's superset matches (or, until that database is built, none of its keywords)."""
        if self.prefilter.hits(data):
            return True
        if not self._gated:
            return False
        spans = self._spans.ready(len(data)) if self._spans else None
        if spans is not None and self._confirmed(spans).issuperset(self._gated):
            return bool(spans.hits(data))
        return any(table[0].hits(data) for table in self._gated_tables.values())

    def gate_expressions(self) -> tuple[list[str], list[str]]:
        """What says that a chunk may hold a match of some rule: the keywords of each rule, except
        for a gated rule (its keywords are common words) whose superset Hyperscan takes: that regex;
        and each decoder's trigger."""
        by_span = {i for i in self._gated if compiles_alone(self._span_of[i].encode("utf-8"))}
        keywords = {k for i, rule in enumerate(self.rules) if i not in by_span for k in rule.keywords}
        triggers = {decoder.trigger for decoder in self.decoders}
        return sorted(keywords), sorted({self._span_of[i] for i in by_span} | triggers)

    def paths(self) -> dict[str, str]:
        """How each rule is matched: ``hyperscan`` (whole, as a superset, then confirmed by its regex
        where the superset ends near a keyword), ``windows`` (its regex around each keyword hit) or
        ``whole-chunk`` (a rule without keywords)."""
        confirmed = self._confirmed(self._spans.wait() if self._spans else None)

        def path(index: int, rule: Rule) -> str:
            if not rule.keywords:
                return "whole-chunk"
            return "hyperscan" if index in confirmed else "windows"
        return {rule.id: path(i, rule) for i, rule in enumerate(self.rules)}

    def scan(self, data: bytes | str) -> ScanResult:
        """Every match in ``data``, ordered by offset. Offsets are in bytes of the UTF-8 encoding."""
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        return self._placed_and_decoded(data, *self._find(data))

    def find(self, data: bytes) -> tuple[list[Found], list[Skipped]]:
        """Matches as bare ``Found`` tuples ordered by offset, without lines and columns: the fast
        path for maskers, which only need where each secret is."""
        found, skipped, triggered = self._find(data)
        if triggered:  # what a decoder finds is masked too: at the encoded text, with the decoded secret
            result = self._placed_and_decoded(data, found, skipped, triggered)
            found = [(m.rule, m.secret, m.start, m.end, m.entropy, m.match_start, m.match_end,
                      (m.partner_start, m.partner_end) if m.partner and not m.decoded else None)  # decoded: inside
                     for m in result.matches]
        return found, skipped

    def _placed_and_decoded(self, data: bytes, found: list[Found], skipped: list[Skipped],
                            triggered: list[tuple[Decoder, list[int] | None]]) -> ScanResult:
        """``found`` with lines and columns, and what the ``triggered`` decoders add."""
        result = ScanResult(list(_placed(data, found)), skipped)
        for decoder, ends in triggered:
            decoder.add_decoded(self, data, result, ends)
        return result

    def _find(self, data: bytes) -> tuple[list[Found], list[Skipped], list[tuple[Decoder, list[int] | None]]]:
        """:meth:`find`, and the decoders whose trigger matched, with where (None: not known)."""
        hits = self.prefilter.hits(data)
        triggered: list[tuple[Decoder, list[int] | None]]
        if self._first_trigger is None:  # no Hyperscan: every decoder runs, not knowing where to look
            triggered = [(decoder, None) for decoder in self.decoders]
        else:
            first = self._first_trigger
            fired: dict[int, list[int]] = defaultdict(list)
            for index, end in hits:
                if index >= first:
                    fired[index - first].append(end)
            triggered = [(self.decoders[i], fired[i]) for i in sorted(fired)]
            if fired:
                hits = [hit for hit in hits if hit[0] < first]
        spans = self._spans.ready(len(data)) if self._spans else None
        confirmed = self._confirmed(spans)
        ends: dict[int, list[int]] = defaultdict(list)  # rule index → where its span regex matched
        if spans is not None:
            span_rules = self._span_rules
            for index, end in spans.hits(data):
                ends[span_rules[index]].append(end)
            for rule_ends in ends.values():
                rule_ends.sort()
        windows: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self._add_windows(data, windows, hits, self._keyword_rules, self._keyword_len, ends, confirmed)
        for rule_index in self._gated:
            if rule_index in ends or rule_index not in confirmed:
                prefilter, keyword_rules, keyword_len = self._gated_tables[rule_index]
                self._add_windows(data, windows, prefilter.hits(data), keyword_rules, keyword_len, ends, confirmed)
        for rule_index in self._always:
            windows[rule_index] = [(0, len(data))]
        found: list[Found] = []
        skipped: list[Skipped] = []
        for rule_index, spans in windows.items():
            rule = self.rules[rule_index]
            spans = _merge(spans)
            if rule_index in confirmed:  # the same windows as without Hyperscan, where a match can end
                spans = _holding_ends(_merge([(lo, _to_line_end(data, hi)) for lo, hi in spans]), ends[rule_index])
            elif len(spans) >= DENSE_MIN_WINDOWS and self._pass_is_cheaper(rule, len(spans), len(data)):
                _run_dense(rule, data, spans, self.timeout, found, skipped)
                continue
            else:
                spans = _merge([(lo, _to_line_end(data, hi)) for lo, hi in spans])
            for lo, hi in spans:
                _run_rule(rule, data, lo, hi, self.timeout, found, skipped)
        found = _most_specific(found)
        found.sort(key=lambda f: (f[2], f[0].id))
        return found, skipped, triggered

    def _add_windows(self, data: bytes, windows: dict[int, list[tuple[int, int]]], hits: list[tuple[int, int]],
                     keyword_rules: list[list[int]], keyword_len: list[int], ends: dict[int, list[int]],
                     confirmed: frozenset[int]) -> None:
        """A window around each keyword hit for each rule of that keyword (none for a rule matched in
        Hyperscan whose superset matched nowhere in ``data``)."""
        rules = self.rules
        wanted: dict[int, list[tuple[int, int]]] = {}  # keyword → (rule, window) pairs that want its hits
        for keyword_index, end in hits:
            targets = wanted.get(keyword_index)
            if targets is None:  # once per keyword: leave out rules whose superset matched nowhere in the chunk
                targets = wanted[keyword_index] = [
                    (r, rules[r].window) for r in keyword_rules[keyword_index] if r not in confirmed or r in ends
                ]
            if targets:
                start = end - keyword_len[keyword_index]
                for rule_index, pad in targets:
                    windows[rule_index].append((max(0, start - pad), end + pad))

    def _pass_is_cheaper(self, rule: Rule, windows: int, size: int) -> bool:
        """Whether one regex pass over ``size`` bytes costs less than ``windows`` windowed runs.
        A rule's pass speed is measured once, on a fixed sample, the first time it is asked."""
        speed = self._pass_speed.get(rule.id)
        if speed is None:
            speed = self._pass_speed[rule.id] = _pass_speed(rule, self.timeout)
        return speed > 0 and size / speed < windows * WINDOW_COST


_RANK = {level: rank for rank, level in enumerate(CONFIDENCE_LEVELS)}


def _keyword_table(rules: RuleSet, chosen: set[int]) -> tuple[list[str], list[list[int]], list[int]]:
    """The distinct keywords of the ``chosen`` rules, the rules of each, and each one's length in bytes."""
    keywords: list[str] = []
    keyword_rules: list[list[int]] = []
    index_of: dict[str, int] = {}
    for rule_index in sorted(chosen):
        for keyword in rules[rule_index].keywords:
            if keyword not in index_of:
                index_of[keyword] = len(keywords)
                keywords.append(keyword)
                keyword_rules.append([])
            keyword_rules[index_of[keyword]].append(rule_index)
    return keywords, keyword_rules, [len(k.encode("utf-8")) for k in keywords]


def _most_specific(found: list[Found]) -> list[Found]:
    """One finding per secret: where secrets overlap, the most confident rule wins, then the
    earliest and longest secret, then a pair (which names its partner too), then the first rule id.
    A secret that is a kept pair's partner is reported by the pair alone (one finding names both)."""
    if len(found) < 2:
        return found
    kept: list[Found] = []
    starts: list[int] = []  # kept secrets' starts, sorted, with the running maximum of their ends
    max_ends: list[int] = []
    for f in sorted(found, key=lambda f: (-_RANK[f[0].confidence], f[2], -f[3], f[7] is None, f[0].id)):
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
    partners = {f[7] for f in kept if f[7] is not None}
    return [f for f in kept if (f[2], f[3]) not in partners] if partners else kept  # a pair names its partner


def _run_rule(
    rule: Rule, data: bytes, lo: int, hi: int, timeout: float, found: list[Found], skipped: list[Skipped]
) -> None:
    """Run one rule's regex over ``data[lo:hi]`` and keep what passes its filters."""
    try:
        for hit in rule.pattern.finditer(data, lo, hi, timeout=timeout):
            if hit.end() == hi < len(data):  # cut by the window's edge: let it run to its natural end
                hit = _run_to_end(rule, data, hit, hi, timeout)
            if hit is not None:
                _keep(rule, data, hit, found)
    except TimeoutError:
        skipped.append(Skipped(rule.id, lo, hi, f"regex timed out after {timeout}s"))


def _holding_ends(windows: list[tuple[int, int]], ends: list[int]) -> list[tuple[int, int]]:
    """The ``windows`` in which one of ``ends`` (sorted: where a rule's superset matched) lies, each cut
    short after the last of them (with :data:`SPAN_TAIL` of context): no match of the rule ends
    anywhere else. A window keeps its start, so the regex runs from where it would without them. An end
    one past a window's end counts: a window grown to its line's end stops before the newline, which a
    match may take (a value ended by a blank); the regex, cut there, runs on to it."""
    kept = []
    for lo, hi in windows:
        at, last = bisect_left(ends, lo), bisect_right(ends, hi + 1) - 1
        if last >= at:
            kept.append((lo, min(hi, ends[last] + SPAN_TAIL)))
    return kept


def _run_to_end(rule: Rule, data: bytes, hit: regex.Match, edge: int, timeout: float) -> regex.Match | None:
    """``hit``, cut at ``edge``, run again from its start with ever more room (up to :data:`MAX_RUN`
    bytes past the cut) until it ends before the room does; ``None`` when, given room, it does not
    match at all (it matched only because ``$`` took the edge for the end: a value too long for it)."""
    room, limit = LINE_SLACK, min(len(data), edge + MAX_RUN)
    while hit.end() == edge < limit:
        edge = min(limit, edge + room)
        rerun = rule.pattern.match(data, hit.start(), edge, timeout=timeout)
        if rerun is None:
            return None
        hit = rerun
        room *= 2
    return hit


def _run_dense(
    rule: Rule, data: bytes, spans: list[tuple[int, int]], timeout: float, found: list[Found], skipped: list[Skipped]
) -> None:
    """Keyword hits so dense that one regex pass over all of ``data`` is cheaper than a run per
    window: keep the matches that lie within a line's reach of a keyword window, as windows would."""
    starts = [lo for lo, _ in spans]
    try:
        for hit in rule.pattern.finditer(data, timeout=timeout):
            i = bisect_right(starts, hit.end() + LINE_SLACK) - 1
            if i >= 0 and spans[i][1] + LINE_SLACK > hit.start():
                _keep(rule, data, hit, found)
    except TimeoutError:
        skipped.append(Skipped(rule.id, 0, len(data), f"regex timed out after {timeout}s"))


def _keep(rule: Rule, data: bytes, hit: regex.Match, found: list[Found]) -> None:
    """Add ``hit`` to ``found`` if its secret passes the rule's entropy, placeholder and allowlist filters;
    with the span of its partner if the rule pairs and that group matched."""
    start, end = hit.span(rule.group)
    if start < 0 or start == end:
        return
    secret = data[start:end].decode("utf-8", "replace")
    entropy = shannon(secret)
    threshold = rule.min_entropy(secret)
    if threshold is not None and entropy < threshold:
        return
    if is_placeholder(secret) or (rule.reject_names and looks_like_name(secret)):
        return
    if rule.allowlists and _allowed(rule, data, secret, *hit.span()):
        return
    partner = None
    if rule.pair_group is not None:
        p_start, p_end = hit.span(rule.pair_group)
        partner = (p_start, p_end) if p_start < p_end else None
    found.append((rule, secret, start, end, entropy, *hit.span(), partner))


def _pass_speed(rule: Rule, timeout: float) -> float:
    """Bytes per second of one pass of ``rule``'s regex over keyword-free text."""
    began = time.perf_counter()
    try:
        for _ in rule.pattern.finditer(_SAMPLE, timeout=timeout):
            pass
    except TimeoutError:
        return 0.0  # too slow ever to run over a whole chunk
    return len(_SAMPLE) / max(time.perf_counter() - began, 1e-9)


def lines_of(data: bytes, start: int, end: int) -> tuple[int, str]:
    """Where the line holding ``data[start:end]`` begins, and the text of its line(s)."""
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", end)
    return line_start, data[line_start : len(data) if line_end < 0 else line_end].decode("utf-8", "replace")


def _allowed(rule: Rule, data: bytes, secret: str, match_start: int, match_end: int) -> bool:
    match = data[match_start:match_end].decode("utf-8", "replace")
    line = lines_of(data, match_start, match_end)[1]
    return any(a.allows(secret, match, line) for a in rule.content_allowlists)


def _placed(data: bytes, found: list[Found]) -> Iterable[Match]:
    """Matches with 1-based line and column (in characters), in one pass over ``data``."""
    line, pos = 1, 0
    for rule, secret, start, end, entropy, match_start, match_end, partner in found:
        line += data.count(b"\n", pos, start)
        pos = start
        line_text = lines_of(data, match_start, match_end)[1]
        match_text = data[match_start:match_end].decode("utf-8", "replace")
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", "replace")) + 1
        p_start, p_end = partner or (0, 0)
        yield Match(rule, secret, start, end, line, column, entropy, match_start, match_end, match_text, line_text,
                    "", data[p_start:p_end].decode("utf-8", "replace"), p_start, p_end)
