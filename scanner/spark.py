"""Mask a column of a Spark DataFrame with a vectorised pandas UDF.

Executors get the masking configuration as plain data (:class:`Masking`: rule files' text, known
values, the mask); each Python worker process builds its :class:`~scanner.redact.core.Redactor` from
it once, on first use, and keeps it for every later Arrow batch and task (a compiled Redactor does not
pickle). Needs the ``spark`` extra: ``pip install 'veil[spark]'``.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pandas as pd
from pyspark.sql import Column, DataFrame, Observation
from pyspark.sql import functions as F
from pyspark.sql.types import BinaryType, DataType, StringType, StructField, StructType

from .engine import Engine
from .redact.core import DEFAULT_MASK, Redactor
from .redact.json_spans import key_values, mask_strings
from .redact.jsonl import ESCAPES, escapes_in, redact_jsonl
from .redact.pump import WITHHELD
from .ruleset import RuleSet, default_rules, parse_rules


@dataclass(frozen=True)
class Masking:
    """What a worker needs to build its Redactor, as plain picklable data; also the key of its cache."""

    rules: tuple[tuple[str, str], ...] = ()  # (name, TOML text) of each extra rule file
    known: tuple[str, ...] = field(default=(), repr=False)  # exact values to mask; never printed
    mask: str = DEFAULT_MASK
    engine: str | None = None  # the keyword prefilter backend; None: the default
    hash_key: str | None = field(default=None, repr=False)  # one key for every worker, so {hash} agrees

    @classmethod
    def of(cls, rule_files: Iterable[str | Path] = (), known_values: Iterable[str] = (), mask: str = DEFAULT_MASK,
           engine: str | None = None) -> Masking:
        """The configuration for extra rule files (read here, on the driver), known values and a mask.
        A mask with ``{hash}`` gets ``$VEIL_HASH_KEY``, else a random key for this run."""
        if isinstance(known_values, (str, bytes)):
            raise TypeError("known_values takes a list of strings, not one string")
        rules = tuple((str(path), Path(path).read_text(encoding="utf-8")) for path in rule_files)
        hash_key = (os.environ.get("VEIL_HASH_KEY") or secrets.token_hex(16)) if "{hash}" in mask else None
        return cls(rules, tuple(known_values), mask, engine, hash_key)

    def build(self) -> Redactor:
        """The Redactor this configuration describes (a bad rule file or mask raises here)."""
        rules = default_rules()
        for name, text in self.rules:
            rules.extend(parse_rules(text, name))
        return Redactor(Engine(RuleSet(rules), self.engine), self.known, mask=self.mask, hash_key=self.hash_key)


_lock = threading.Lock()
_redactors: dict[Masking, Redactor] = {}


def redactor_for(masking: Masking) -> Redactor:
    """This process's Redactor for ``masking``, built on first use."""
    with _lock:
        redactor = _redactors.get(masking)
        if redactor is None:
            redactor = _redactors[masking] = masking.build()
        return redactor


# -- one value ---------------------------------------------------------------------------------------


def _as_text(redactor: Redactor, data: bytes, labels: list[str]) -> bytes:
    """``data`` masked as ``veil redact`` masks it; the labels of what was masked are added to ``labels``."""
    spans = redactor.spans(data)
    if not spans:
        return data
    labels.extend(span[2] for span in spans)
    return redactor.masked(data, spans)


_NOT_JSON = object()


def _parse(data: bytes) -> object:
    """The JSON document ``data`` holds, or ``_NOT_JSON``."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        try:  # what orjson refuses but JSON allows: 1e400, lone surrogates
            return json.loads(data)
        except (ValueError, RecursionError):
            return _NOT_JSON


def _as_jsonl(redactor: Redactor, data: bytes, labels: list[str]) -> bytes:
    """A JSON line masked as ``veil redact --jsonl`` masks it (every string value)."""
    spans = redactor.spans(data)
    labels.extend(span[2] for span in spans)
    return redact_jsonl(redactor, data, spans)


def _key_only(redactor: Redactor, data: bytes, document: object, key: str, labels: list[str]) -> tuple[bytes, bool]:
    """A JSON line (``document`` parsed) with only the value of its top-level ``key`` masked (strings inside
    it, as ``--jsonl`` masks them), every other byte kept; and whether the line has ``key`` at all."""
    if not isinstance(document, dict) or key not in document:
        return data, False
    if not redactor.spans(data) and not any(e in data for e in ESCAPES):
        return data, True

    def fix(value: str) -> str:
        raw = value.encode("utf-8", "surrogatepass")
        new = _as_text(redactor, raw, labels)
        return value if new is raw else new.decode("utf-8", "surrogatepass")

    pieces, pos = [], 0
    for start, end in key_values(data, key):
        pieces += (data[pos:start], mask_strings(data[start:end], fix))
        pos = end
    return b"".join([*pieces, data[pos:]]), True


def _dirty_rows(redactor: Redactor, rows: list[bytes | None], jsonl: bool) -> set[int] | None:
    """The rows masking may change, from one scan of the batch joined by newlines: those a secret (or in
    JSON lines an escape, which may hide one) touches. ``None`` (every row) when a row holds a newline."""
    present = [(i, data) for i, data in enumerate(rows) if data is not None]
    if any(b"\n" in data for _, data in present):
        return None
    starts, at = [], 0
    for _, data in present:
        starts.append(at)
        at += len(data) + 1
    block = b"\n".join(data for _, data in present)
    touched = [(span[0], span[1]) for span in redactor.spans(block)]
    if jsonl:
        touched += [(at, at + 2) for at in escapes_in(block)]
    dirty = set()
    for start, end in touched:
        for j in range(bisect_right(starts, start) - 1, bisect_right(starts, max(start, end - 1))):
            dirty.add(present[j][0])
    return dirty


def _braced(data: bytes) -> bool:
    """Whether a JSON line looks like one object, ``{…}``: then it is parsed only if it holds a secret."""
    return data[:1] == b"{" and data.rstrip()[-1:] == b"}"


def _has_key(data: bytes, key: str) -> bool:
    """Whether a JSON line's top level has ``key`` (parsed only if the key's name appears in it)."""
    if orjson.dumps(key) not in data:
        return False
    document = _parse(data)
    return isinstance(document, dict) and key in document


def mask_batch(masking: Masking, values: pd.Series, jsonl: bool = False, key: str | None = None) -> pd.DataFrame:
    """Mask one Arrow batch of strings or bytes: ``text`` is each value masked (null stays null; bytes that
    are not UTF-8 are kept), ``stats`` on the first row a JSON summary of the batch (rows, changed,
    not_json, keyed, withheld, rules: {label: count}).

    ``jsonl``: each value is a JSON line, masked inside its strings (only in the value of ``key`` if
    given); a value that is not JSON is masked as plain text. A value that fails to mask is withheld."""
    redactor = redactor_for(masking)
    out: list[str | bytes | None] = []
    labels: list[str] = []
    changed = not_json = keyed = withheld = 0
    rows = [v if isinstance(v, bytes) else v.encode("utf-8", "surrogatepass") if isinstance(v, str) else None
            for v in values]  # None: null (None, or NaN in a pandas 3 string column)
    dirty = _dirty_rows(redactor, rows, jsonl)
    for i, (value, data) in enumerate(zip(values, rows, strict=True)):
        if data is None:
            out.append(None)
            continue
        if dirty is not None and i not in dirty:  # nothing to mask: only what the summary counts
            if jsonl and not _braced(data) and _parse(data) is _NOT_JSON:
                not_json += 1
            elif key is not None:
                keyed += _has_key(data, key)
            out.append(value)
            continue
        try:
            document = _parse(data) if jsonl else _NOT_JSON
            if document is _NOT_JSON:
                not_json += jsonl
                new = _as_text(redactor, data, labels)
            elif key is None:
                new = _as_jsonl(redactor, data, labels)
            else:
                new, has_key = _key_only(redactor, data, document, key, labels)
                keyed += has_key
        except Exception:  # noqa: BLE001 - never pass on in clear what could not be masked
            new = WITHHELD
            withheld += 1
        if new is data or new == data:
            out.append(value)
        else:
            changed += 1
            out.append(new if isinstance(value, bytes) else new.decode("utf-8", "surrogatepass"))
    stats = {"rows": len(out), "changed": changed, "not_json": not_json, "keyed": keyed, "withheld": withheld,
             "rules": Counter(labels)}
    first = [json.dumps(stats)] if out else []
    return pd.DataFrame({"text": out, "stats": first + [None] * (len(out) - 1)}, dtype=object)


# -- a column ----------------------------------------------------------------------------------------


def _masker(masking: Masking, jsonl: bool, key: str | None, kind: DataType):  # noqa: ANN202 - a pandas UDF
    """The pandas UDF over a column of type ``kind``: a closure over plain data that calls
    :func:`mask_batch` (imported, not pickled, on the executors, so its Redactor cache is the worker
    module's)."""

    def mask(values: pd.Series) -> pd.DataFrame:
        return mask_batch(masking, values, jsonl, key)

    return F.pandas_udf(mask, StructType([StructField("text", kind), StructField("stats", StringType())]))


def masked_struct(df: DataFrame, column: str, masking: Masking, *, jsonl: bool = False, key: str | None = None
                  ) -> Column:
    """The UDF's result over ``df[column]`` (string or binary): a struct of ``text`` (the masked value, of
    the column's type) and ``stats`` (see :func:`mask_batch`)."""
    kind = df.schema[column].dataType
    if not isinstance(kind, (StringType, BinaryType)):
        raise TypeError(f"column {column!r} is {kind.simpleString()}: only a string or binary column is masked")
    return _masker(masking, jsonl, key, kind)(df[column])


def redact_column(df: DataFrame, column: str, *, rules: Iterable[str | Path] = (), known_values: Iterable[str] = (),
                  mask: str = DEFAULT_MASK, engine: str | None = None, jsonl: bool = False, key: str | None = None
                  ) -> DataFrame:
    """``df`` with the string column ``column`` masked as ``veil redact`` masks text; every other column,
    the row count and order, and nulls are kept. ``rules``: extra rule files; ``known_values``: exact
    values to mask; ``jsonl``/``key``: the column holds JSON lines (mask their strings, or only ``key``'s)."""
    masking = Masking.of(rules, known_values, mask, engine)
    return df.withColumn(column, masked_struct(df, column, masking, jsonl=jsonl, key=key).getField("text"))


@dataclass
class Summary:
    """What a masking run did, summed over its batches."""

    rows: int = 0
    changed: int = 0
    not_json: int = 0
    keyed: int = 0
    withheld: int = 0
    rules: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, stats: Iterable[str]) -> Summary:
        """The sum of the batches' ``stats``."""
        total = cls()
        for text in stats:
            batch = json.loads(text)
            total.rules.update(batch.pop("rules"))
            for name, count in batch.items():
                setattr(total, name, getattr(total, name) + count)
        return total


def redact_counted(df: DataFrame, column: str, masking: Masking, *, jsonl: bool = False, key: str | None = None
                   ) -> tuple[DataFrame, Observation]:
    """``df`` with ``column`` masked, and an Observation whose ``stats`` (see :meth:`Summary.of`) are filled
    by the action that writes it: the masker runs once per row, counting as it masks."""
    observation = Observation("veil")
    tmp = "__veil_masked"
    out = df.withColumn(tmp, masked_struct(df, column, masking, jsonl=jsonl, key=key))
    out = out.withColumn(column, F.col(f"{tmp}.text"))
    out = out.observe(observation, F.collect_list(F.col(f"{tmp}.stats")).alias("stats"))
    return out.drop(tmp), observation
