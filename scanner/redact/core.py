"""Text redaction: rule matches and known secret values are masked, everything else is left intact."""

from __future__ import annotations

import hashlib
import hmac
import secrets as _secrets
import threading
from collections.abc import Iterable, Mapping
from typing import Any

import ahocorasick

from .. import decoders  # noqa: F401 - registers the decoders: what a scan finds decoded is masked too
from ..engine import Engine
from ..prefilter import compile_database, hs_literal, hyperscan
from ..ruleset import CONFIDENCE_LEVELS, RuleSet
from .known import MIN_LENGTH, encoded_forms, env_values

DEFAULT_MASK = "[REDACTED:{rule}]"


def value_list(name: str, values: Iterable[str]) -> list[str]:
    """``values`` as a list. One string where a list belongs is a TypeError (naming ``name``, never the
    value): read as a list of its characters, it would mask nothing."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} takes a list of strings, not one string: {name}=[...]")
    return list(values)
KNOWN_LABEL = "known"  # the {rule} of a registered known value
UNSCANNED_LABEL = "unscanned"  # a window a rule's regex could not finish (timeout): masked to be safe
GATE_MAX = 4096  # inputs up to this size are first checked by the one-pass gate (the log-message fast path)
_MAX_DEPTH = 32
_MAX_ROUNDS = 4
_RESCAN = 1024  # bytes either side of a mask that are scanned again once it is placed

Span = tuple[int, int, str, str]  # start, end (bytes), label, secret (for the keyed hash)

_engine_lock = threading.Lock()
_default_engine: Engine | None = None


def default_engine() -> Engine:
    """The process-wide engine over the shipped rule set, built once on first use."""
    global _default_engine
    with _engine_lock:
        if _default_engine is None:
            _default_engine = Engine(RuleSet.default())
        return _default_engine


class _Gate:
    """One Hyperscan pass that tells whether any rule could fire (see :meth:`Engine.gate_expressions`)
    or any known form occurs at all."""

    def __init__(self, engine: Engine, forms: Iterable[bytes]):
        forms = list(forms)
        keywords, gates = engine.gate_expressions()
        self.n_keywords = len(keywords) + len(gates)
        expressions = [hs_literal(k.encode("utf-8")) for k in keywords] + [g.encode("utf-8") for g in gates]
        expressions += [hs_literal(f) for f in forms]
        flags = [hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH] * len(keywords)
        flags += [hyperscan.HS_FLAG_SINGLEMATCH] * (len(gates) + len(forms))
        self._db = compile_database(expressions, flags)
        self._local = threading.local()

    def clean(self, data: bytes) -> bool:
        """True when no keyword and no known form occurs in ``data``."""
        try:
            scratch = self._local.scratch
        except AttributeError:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        hits: list[int] = []
        self._db.scan(data, _note, 0, hits, scratch)  # positional: the binding parses keywords slowly
        return not hits

    def check(self, data: bytes) -> tuple[bool, bool]:
        """``(a rule keyword occurs, a known form occurs)``."""
        try:
            scratch = self._local.scratch
        except AttributeError:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        hits: list[int] = []
        self._db.scan(data, _note, 0, hits, scratch)  # positional: the binding parses keywords slowly
        if not hits:
            return False, False
        n = self.n_keywords
        return any(i < n for i in hits), any(i >= n for i in hits)


def _note(index: int, _start: int, _end: int, _flags: int, hits: list[int]) -> None:
    hits.append(index)


class _Known:
    """An immutable snapshot of the registered values and the gate built with them: swapped whole
    when values are added, so a reader never sees one without the other."""

    gate: _Gate | None = None

    def __init__(self, values: tuple[str, ...]):
        self.values = values
        self.automaton: ahocorasick.Automaton | None = None
        forms: dict[bytes, int] = {}
        for index, value in enumerate(values):
            for form in encoded_forms(value):
                if form:
                    forms.setdefault(form.encode("utf-8", "surrogatepass"), index)
        self.forms = tuple(forms)
        self.multiline = tuple(f for f in forms if b"\n" in f[:-1])
        if forms:
            self.automaton = ahocorasick.Automaton()
            for form, index in forms.items():
                self.automaton.add_word(form.decode("latin-1"), (len(form), index))
            self.automaton.make_automaton()


class Redactor:
    """Masks what the rules find and every registered known value (with its encodings) in text.

    Thread-safe and shareable: the engine and the known-value automaton are read-only, and
    ``add_known`` swaps in a new snapshot. ``mask`` takes ``{rule}`` (the rule id, or ``known``)
    and ``{hash}`` (a short keyed HMAC of the secret, so equal secrets can be correlated).
    """

    def __init__(
        self,
        engine: Engine | None = None,
        known_values: Iterable[str] = (),
        *,
        mask: str = DEFAULT_MASK,
        hash_key: bytes | str | None = None,
        min_known_length: int = MIN_LENGTH,
    ):
        self.engine = engine or default_engine()
        try:
            mask.format(rule="x", hash="0")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"mask {mask!r} may use only {{rule}} and {{hash}}: {exc}") from None
        self.mask = mask
        self._hashed = "{hash}" in mask
        key = hash_key.encode() if isinstance(hash_key, str) else hash_key
        self._hash_key = key or _secrets.token_bytes(32)
        self._mask_cache: dict[str, bytes] = {}
        self.min_known_length = min_known_length
        self._has_keywords = any(rule.keywords for rule in self.engine.rules)
        self._always = any(not rule.keywords for rule in self.engine.rules)
        # On a tie (the same span found twice) the more specific rule names the mask.
        self._rank = {rule.id: CONFIDENCE_LEVELS.index(rule.confidence) + 1 for rule in self.engine.rules}
        self._lock = threading.Lock()
        self._known = self._snapshot(())
        self.add_known(*value_list("known_values", known_values))

    @classmethod
    def from_env(
        cls,
        patterns: Iterable[str] | None = None,
        environ: Mapping[str, str] | None = None,
        known_values: Iterable[str] = (),
        **kwargs: Any,
    ) -> Redactor:
        """A redactor that also masks the values of environment variables whose names look secret.

        ``patterns`` are name globs (default ``known.DEFAULT_ENV_PATTERNS``: ``*_KEY``, ``*_TOKEN``,
        ``*_SECRET``, ``*PASSWORD*`` …), matched case-insensitively.
        """
        min_length = kwargs.get("min_known_length", MIN_LENGTH)
        globs = None if patterns is None else value_list("env_patterns", patterns)
        values = list(env_values(globs, environ, min_length).values())
        return cls(known_values=[*values, *known_values], **kwargs)

    # -- known values ------------------------------------------------------------------------

    def add_known(self, *values: str) -> None:
        """Register exact secret values; values shorter than ``min_known_length`` are ignored."""
        fresh = [v for v in values if isinstance(v, str) and len(v) >= self.min_known_length]
        if not fresh:
            return
        with self._lock:
            self._known = self._snapshot(tuple(dict.fromkeys((*self._known.values, *fresh))))

    @property
    def known_values(self) -> tuple[str, ...]:
        return self._known.values

    @property
    def multiline_forms(self) -> tuple[bytes, ...]:
        """Known forms that contain a line break (a stream must hold lines back for them)."""
        return self._known.multiline

    def _snapshot(self, values: tuple[str, ...]) -> _Known:
        known = _Known(values)
        if hyperscan is not None and self.engine.backend == "hyperscan" and (self._has_keywords or known.forms):
            known.gate = _Gate(self.engine, known.forms)
        return known

    # -- finding -----------------------------------------------------------------------------

    def spans(self, data: bytes) -> list[Span]:
        """Merged spans to mask in ``data``: ``(start, end, label, secret)``, on character boundaries."""
        known = self._known
        gate = known.gate
        if gate is not None and (len(data) <= GATE_MAX or known.automaton is not None):
            rules_may_fire, known_may_hit = gate.check(data)
            rules_may_fire = rules_may_fire or self._always
        else:
            rules_may_fire, known_may_hit = True, known.automaton is not None
        found: list[Span] = []
        if rules_may_fire:
            matches, skipped = self.engine.find(data)
            for rule, secret, start, end, *_, partner in matches:
                found.append((start, end, rule.id, secret))
                if partner is not None:  # a pair: its other half (the key id) is masked too
                    found.append((*partner, rule.id, data[partner[0]:partner[1]].decode("utf-8", "replace")))
            found.extend((s.start, s.end, UNSCANNED_LABEL, "") for s in skipped)
        if known_may_hit:
            found.extend(_known_spans(known, data))
        return _merge(data, found, self._rank) if found else found

    def mask_found(self, data: bytes, found: Iterable[Span]) -> bytes:
        """``data`` with the spans ``found`` (by a scan of the caller's own: a trace's walk of JSON
        strings, say) and every known value masked: snapped to character boundaries, merged, then
        scanned again around each mask, as :meth:`redact_bytes` does."""
        spans = [*found, *_known_spans(self._known, data)]
        return self.masked(data, _merge(data, spans, self._rank)) if spans else data

    def clean(self, text: str) -> bool:
        """True when ``text`` certainly holds nothing to mask: one gate pass, no regex. (False means
        "maybe": call :meth:`redact`.) Lets a door check many strings joined together at once."""
        data = text.encode("utf-8", "surrogatepass")
        gate = self._known.gate
        if gate is not None and not self._always:
            return gate.clean(data)
        return not self.spans(data)

    # -- masking -----------------------------------------------------------------------------

    def mask_for(self, label: str, secret: str) -> bytes:
        """The mask text that replaces ``secret`` found by ``label``."""
        if not self._hashed:
            cached = self._mask_cache.get(label)
            if cached is None:
                cached = self._mask_cache[label] = self.mask.format(rule=label, hash="").encode("utf-8")
            return cached
        digest = hmac.new(self._hash_key, secret.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
        return self.mask.format(rule=label, hash=digest[:8]).encode("utf-8")

    def apply(self, data: bytes, spans: list[Span], offset: int = 0) -> bytes:
        """``data`` with each span (shifted by ``-offset``) replaced by its mask."""
        return self._apply(data, spans, offset)[0]

    def _apply(self, data: bytes, spans: list[Span], offset: int) -> tuple[bytes, list[tuple[int, int]]]:
        pieces, pos, placed, size = [], 0, [], 0
        for start, end, label, secret in spans:
            start, end = max(start - offset, 0), end - offset
            mask = self.mask_for(label, secret)
            pieces.append(data[pos:start])
            size += start - pos
            placed.append((size, size + len(mask)))
            pieces.append(mask)
            size += len(mask)
            pos = end
        pieces.append(data[pos:])
        return b"".join(pieces), placed

    def masked(self, data: bytes, spans: list[Span], offset: int = 0) -> bytes:
        """:meth:`apply`, then scan again around each mask: a mask can end a token and so expose a
        secret that was glued to the masked one (``ghp_…`` followed by a base64 known value)."""
        out, placed = self._apply(data, spans, offset)
        for _ in range(_MAX_ROUNDS):
            more = self._around(out, placed)
            if not more:
                break
            out, placed = self._apply(out, more, 0)
        return out

    def _around(self, out: bytes, placed: list[tuple[int, int]]) -> list[Span]:
        """Spans in the lines around the masks just placed in ``out`` (offsets in ``out``)."""
        merged: list[list[int]] = []
        for lo, hi in placed:
            lo = max(out.rfind(b"\n", max(0, lo - _RESCAN), lo) + 1, lo - _RESCAN, 0)
            newline = out.find(b"\n", hi, hi + _RESCAN)
            hi = min(len(out), hi + _RESCAN) if newline < 0 else newline
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        found: list[Span] = []
        for lo, hi in merged:
            found.extend((s + lo, e + lo, label, secret) for s, e, label, secret in self.spans(out[lo:hi]))
        return found

    def redact_bytes(self, data: bytes) -> bytes:
        """``data`` with secrets masked; bytes that are not valid UTF-8 pass through unchanged."""
        spans = self.spans(data)
        return self.masked(data, spans) if spans else data

    def redact(self, text: str) -> str:
        """``text`` with every detected or registered secret masked."""
        if not text:
            return text
        data = text.encode("utf-8", "surrogatepass")
        gate = self._known.gate
        if gate is not None and len(data) <= GATE_MAX and not self._always and gate.clean(data):
            return text  # the log-message fast path: one Hyperscan pass, nothing else
        spans = self.spans(data)
        if not spans:
            return text
        return self.masked(data, spans).decode("utf-8", "surrogatepass")

    def redact_value(self, value: Any, objects: bool = False, _depth: int = 0) -> Any:
        """Redact strings inside ``value`` (dicts, lists, tuples, sets, recursively); returns ``value``
        itself when nothing changed. With ``objects``, any other object whose ``repr`` holds a secret is
        replaced by its redacted ``repr``."""
        if isinstance(value, str):
            return self.redact(value)
        if value is None or isinstance(value, (bool, int, float)) or _depth > _MAX_DEPTH:
            return value
        if isinstance(value, (bytes, bytearray)):
            redacted = self.redact_bytes(bytes(value))
            return value if redacted == value else redacted
        if isinstance(value, Mapping):
            changed, out = False, {}
            for key, item in value.items():
                new_key = self.redact(key) if isinstance(key, str) else key
                new_item = self.redact_value(item, objects, _depth + 1)
                changed = changed or new_key is not key or new_item is not item
                out[new_key] = new_item
            return out if changed else value
        if isinstance(value, (list, tuple, set, frozenset)):
            items = [self.redact_value(item, objects, _depth + 1) for item in value]
            if all(new is old for new, old in zip(items, value, strict=True)):
                return value
            return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
        if objects:
            text = repr(value)
            redacted = self.redact(text)
            return value if redacted == text else redacted
        return value


def _known_spans(known: _Known, data: bytes) -> list[Span]:
    """Where the registered values (in any of their forms) occur in ``data``."""
    if known.automaton is None:
        return []
    values = known.values
    return [(end + 1 - length, end + 1, KNOWN_LABEL, values[index])
            for end, (length, index) in known.automaton.iter(data.decode("latin-1"))]


def _merge(data: bytes, found: list[Span], rank: Mapping[str, int]) -> list[Span]:
    """Sort, snap to UTF-8 character boundaries, and union overlapping spans (the first label wins)."""
    found.sort(key=lambda s: (s[0], -s[1], -rank.get(s[2], 0)))
    n = len(data)
    merged: list[Span] = []
    for start, end, label, secret in found:
        for _ in range(3):
            if 0 < start < n and 0x80 <= data[start] < 0xC0:
                start -= 1
            if 0 < end < n and 0x80 <= data[end] < 0xC0:
                end += 1
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if end > last[1]:
                merged[-1] = (last[0], end, last[2], last[3])
            continue
        merged.append((start, end, label, secret))
    return merged


_lock = threading.Lock()
_default: Redactor | None = None


def default_redactor() -> Redactor:
    """The process-wide redactor: the shipped rules, no known values until ``add_known`` is called."""
    global _default
    with _lock:
        if _default is None:
            _default = Redactor()
        return _default


def redact(text: str) -> str:
    """Mask secrets in ``text`` with the default redactor."""
    return default_redactor().redact(text)
