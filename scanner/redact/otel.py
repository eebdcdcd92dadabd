"""OpenTelemetry Python SDK: mask secrets in spans and log records before any exporter sees them.

Three doors (see README "Masking at egress"):

- :class:`SecretSpanProcessor` — register it on the ``TracerProvider`` *before* the exporting
  processors. The SDK hands every processor the same ``ReadableSpan``, which is read-only through
  the public API, so this processor swaps in redacted private fields (name, attributes, events,
  links, status, resource); a version guard checks those fields exist. Or pass the exporting
  processors to it (``SecretSpanProcessor(BatchSpanProcessor(exporter))``): it then forwards redacted
  copies to them and the order no longer matters.
- :class:`SecretLogRecordProcessor` — the same for OTel logs (body and attributes, recursively);
  register it before the exporting log processor.
- :class:`RedactingSpanExporter` / :class:`RedactingLogExporter` — wrap an exporter; public API
  only, for setups where processors cannot be ordered.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from opentelemetry.attributes import BoundedAttributes
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, SpanProcessor
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.sdk.util import BoundedList
from opentelemetry.trace import Link, Status

from .core import Redactor, default_redactor

try:  # the logs SDK is still underscored ("experimental") and moved across 1.3x releases
    from opentelemetry.sdk._logs import LogRecordProcessor as _LogProcessorBase
except ImportError:  # pragma: no cover - very old SDKs
    _LogProcessorBase = object  # type: ignore[assignment,misc]

_SPAN_FIELDS = ("_name", "_attributes", "_events", "_links", "_status", "_resource")


def _redacted_attributes(redactor: Redactor, attributes: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """A redacted copy of ``attributes`` (keeping a BoundedAttributes' limits and drop count), or
    ``None`` when nothing in them changed."""
    if not attributes:
        return None
    plain = _plain(attributes)
    changed = {}
    for key, value in plain.items():
        new = redactor.redact_value(value)
        if new is not value:
            changed[key] = new
    if not changed:
        return None
    merged = {**plain, **changed}
    if not isinstance(attributes, BoundedAttributes):
        return merged
    bounded = BoundedAttributes(maxlen=attributes.maxlen, immutable=False, max_value_len=attributes.max_value_len)
    if isinstance(getattr(bounded, "_dict", None), dict):  # values were validated once already: reuse them
        bounded._dict = merged
    else:  # pragma: no cover - a future SDK without the private dict
        bounded.update(merged)
    bounded.dropped = attributes.dropped
    bounded._immutable = attributes._immutable
    return bounded


def _strings(attributes: Mapping[str, Any], texts: list[str]) -> bool:
    """Add the string values of ``attributes`` to ``texts``; False if a value is of another kind
    (bytes, a nested map) that the joined gate pass cannot vouch for."""
    for value in attributes.values():
        kind = type(value)
        if kind is str:
            texts.append(value)
        elif kind is tuple or kind is list:
            for item in value:
                if type(item) is str:
                    texts.append(item)
                elif not isinstance(item, (bool, int, float)):
                    return False
        elif not (kind is int or kind is float or kind is bool or value is None):
            return False
    return True


def _plain(attributes: Mapping[str, Any]) -> Mapping[str, Any]:
    """The dict behind a BoundedAttributes (its Mapping interface is slow), else ``attributes``."""
    inner = getattr(attributes, "_dict", None)
    return inner if isinstance(inner, dict) else attributes


def _like(old: Sequence[Any], items: list[Any]) -> Sequence[Any]:
    if isinstance(old, BoundedList):
        new = BoundedList.from_seq(old._dq.maxlen, items)
        new.dropped = old.dropped
        return new
    return tuple(items)


class _SpanRedaction:
    """Redacts the parts of a ReadableSpan that can carry text; caches redacted resources."""

    def __init__(self, redactor: Redactor | None):
        self.redactor = redactor or default_redactor()
        self._resources: dict[int, tuple[Resource, Resource]] = {}

    def _resource(self, resource: Resource) -> Resource:
        cached = self._resources.get(id(resource))
        if cached is not None and cached[0] is resource:
            return cached[1]
        attributes = _redacted_attributes(self.redactor, resource.attributes)
        new = resource if attributes is None else Resource(dict(attributes), resource.schema_url)
        if len(self._resources) > 64:
            self._resources.clear()
        self._resources[id(resource)] = (resource, new)
        return new

    def _clean(self, span: ReadableSpan) -> bool:
        """One gate pass over every string of the span: the common case, nothing to mask."""
        texts = [span.name or ""]
        groups = [span._attributes]
        if span._events:
            groups += [e.attributes for e in span._events]
            texts += [e.name for e in span._events if e.name]
        if span._links:
            groups += [link.attributes for link in span._links]
        for attributes in groups:
            if attributes and not _strings(_plain(attributes), texts):
                return False
        if span.status is not None and span.status.description:
            texts.append(span.status.description)
        return self.redactor.clean("\n".join(texts))

    def fields(self, span: ReadableSpan) -> dict[str, Any]:
        """The private fields of ``span`` that redaction changes, as ``{"_name": new, …}``."""
        r = self.redactor
        out: dict[str, Any] = {}
        resource = self._resource(span.resource) if span.resource is not None else None
        if resource is not span.resource:
            out["_resource"] = resource
        if self._clean(span):
            return out
        name = r.redact(span.name) if span.name else span.name
        if name is not span.name:
            out["_name"] = name
        attributes = _redacted_attributes(r, span._attributes)
        if attributes is not None:
            out["_attributes"] = attributes
        events, changed = [], False
        for event in span._events:
            ev_attrs = _redacted_attributes(r, event.attributes)
            ev_name = r.redact(event.name) if event.name else event.name
            if ev_attrs is None and ev_name is event.name:
                events.append(event)
                continue
            changed = True
            events.append(Event(ev_name, event.attributes if ev_attrs is None else ev_attrs, event.timestamp))
        if changed:
            out["_events"] = _like(span._events, events)
        links, changed = [], False
        for link in span._links:
            link_attrs = _redacted_attributes(r, link.attributes)
            changed = changed or link_attrs is not None
            links.append(link if link_attrs is None else Link(link.context, link_attrs))
        if changed:
            out["_links"] = _like(span._links, links)
        status = span.status
        if status is not None and status.description:
            description = r.redact(status.description)
            if description is not status.description:
                out["_status"] = Status(status.status_code, description)
        return out

    def copy(self, span: ReadableSpan) -> ReadableSpan:
        """``span`` itself when clean, else a new ReadableSpan with the secrets masked."""
        fields = self.fields(span)
        if not fields:
            return span
        return ReadableSpan(
            name=fields.get("_name", span.name), context=span.context, parent=span.parent,
            resource=fields.get("_resource", span.resource), attributes=fields.get("_attributes", span._attributes),
            events=fields.get("_events", span._events), links=fields.get("_links", span._links), kind=span.kind,
            status=fields.get("_status", span.status), start_time=span.start_time, end_time=span.end_time,
            instrumentation_scope=span.instrumentation_scope,
        )


def _check_span_fields() -> None:
    probe = ReadableSpan("probe")
    missing = [f for f in _SPAN_FIELDS if not hasattr(probe, f)]
    if missing:  # pragma: no cover - guards against a future SDK
        raise RuntimeError(
            f"this opentelemetry-sdk's ReadableSpan lacks {missing}; use SecretSpanProcessor(<exporting processor>)"
            " or RedactingSpanExporter instead"
        )


def _require_exporter(wrapper: object, exporter: object) -> None:
    """A wrapper given something that cannot export (a processor, a provider) says so at once."""
    if not hasattr(exporter, "export"):
        raise TypeError(f"{type(wrapper).__name__} wraps an exporter; {type(exporter).__name__} is not one")


class SecretSpanProcessor(SpanProcessor):
    """Masks span names, attributes, event names and attributes, link attributes, status descriptions
    and resource attributes (GenAI prompts, completions and tool arguments included).

    Without arguments it redacts in place and must be added to the provider before the exporting
    processors. Given ``processors``, it forwards redacted copies to them instead (order-proof).
    """

    def __init__(self, *processors: SpanProcessor, redactor: Redactor | None = None):
        for processor in processors:
            if not hasattr(processor, "on_end"):
                raise TypeError(f"SecretSpanProcessor wraps span processors; {type(processor).__name__} is not one: "
                                "SecretSpanProcessor(BatchSpanProcessor(exporter)), or "
                                "BatchSpanProcessor(RedactingSpanExporter(exporter))")
        self._redaction = _SpanRedaction(redactor)
        self._next = processors
        if not processors:
            _check_span_fields()

    def on_start(self, span: Any, parent_context: Context | None = None) -> None:
        for processor in self._next:
            processor.on_start(span, parent_context=parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        if self._next:
            redacted = self._redaction.copy(span)
            for processor in self._next:
                processor.on_end(redacted)
            return
        for field, value in self._redaction.fields(span).items():
            setattr(span, field, value)

    def shutdown(self) -> None:
        for processor in self._next:
            processor.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return all(processor.force_flush(timeout_millis) for processor in self._next)


class RedactingSpanExporter(SpanExporter):
    """Wraps a SpanExporter: every span it exports is a redacted copy. Public API only."""

    def __init__(self, exporter: SpanExporter, redactor: Redactor | None = None):
        _require_exporter(self, exporter)
        self.exporter = exporter
        self._redaction = _SpanRedaction(redactor)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self.exporter.export([self._redaction.copy(span) for span in spans])

    def shutdown(self) -> None:
        self.exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.exporter.force_flush(timeout_millis)


def _redact_log_record(redactor: Redactor, record: Any, in_place: bool) -> Any:
    """Mask an SDK LogRecord's body (str or nested AnyValue) and attributes; returns the record, or a
    redacted copy when not ``in_place``."""
    body = redactor.redact_value(record.body)
    attributes = _redacted_attributes(redactor, record.attributes)
    if body is record.body and attributes is None:
        return record
    target = record if in_place else copy.copy(record)
    target.body = body
    if attributes is not None:
        if in_place and isinstance(record.attributes, BoundedAttributes) and not record.attributes._immutable:
            for key, value in attributes.items():
                if value is not record.attributes.get(key):
                    record.attributes[key] = value
        else:
            target.attributes = attributes
    return target


class SecretLogRecordProcessor(_LogProcessorBase):
    """Masks OTel log bodies and attributes in place; add it to the LoggerProvider before the
    exporting processor. Works with ``on_emit(ReadWriteLogRecord)`` (SDK 1.39+), ``on_emit(LogData)``
    (1.36–1.38) and ``emit(LogData)`` (older): all of them carry ``.log_record``."""

    def __init__(self, redactor: Redactor | None = None):
        if redactor is not None and not isinstance(redactor, Redactor):
            raise TypeError(f"SecretLogRecordProcessor takes a Redactor; {type(redactor).__name__} is not one: add it "
                            "to the LoggerProvider before the exporting processor, or wrap the exporter in "
                            "RedactingLogExporter(exporter)")
        self.redactor = redactor or default_redactor()

    def on_emit(self, log_record: Any) -> None:
        _redact_log_record(self.redactor, log_record.log_record, in_place=True)

    emit = on_emit

    def shutdown(self) -> None:
        pass

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


class RedactingLogExporter:
    """Wraps a LogRecordExporter (or LogExporter): exports redacted copies of the records."""

    def __init__(self, exporter: Any, redactor: Redactor | None = None):
        _require_exporter(self, exporter)
        self.exporter = exporter
        self.redactor = redactor or default_redactor()

    def _copy(self, item: Any) -> Any:
        record = _redact_log_record(self.redactor, item.log_record, in_place=False)
        if record is item.log_record:
            return item
        if dataclasses.is_dataclass(item):
            return dataclasses.replace(item, log_record=record)
        clone = copy.copy(item)
        object.__setattr__(clone, "log_record", record)
        return clone

    def export(self, batch: Sequence[Any]) -> Any:
        return self.exporter.export([self._copy(item) for item in batch])

    def shutdown(self) -> None:
        self.exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.exporter.force_flush(timeout_millis)
