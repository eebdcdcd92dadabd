"""OpenTelemetry SDK pipelines with the SDK's in-memory exporters: nothing secret reaches an exporter."""

from __future__ import annotations

import io
import json
import logging
import warnings

import pytest
from test_redact_core import AWS, KNOWN, PAT, two_rules

pytest.importorskip("opentelemetry.sdk")

from opentelemetry.instrumentation.logging.handler import LoggingHandler  # noqa: E402
from opentelemetry.sdk._logs import LoggerProvider  # noqa: E402
from opentelemetry.sdk._logs import LoggingHandler as SdkLoggingHandler  # noqa: E402
from opentelemetry.sdk._logs.export import (  # noqa: E402
    BatchLogRecordProcessor,
    InMemoryLogRecordExporter,
    SimpleLogRecordProcessor,
)
from opentelemetry.sdk.resources import Resource  # noqa: E402
from opentelemetry.sdk.trace import SpanLimits, TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402
from opentelemetry.trace import Link, Status, StatusCode  # noqa: E402

from scanner.redact import Redactor, SecretFilter  # noqa: E402
from scanner.redact.otel import (  # noqa: E402
    RedactingLogExporter,
    RedactingSpanExporter,
    SecretLogRecordProcessor,
    SecretSpanProcessor,
)

TOOL_CALL = json.dumps([{"role": "assistant", "parts": [
    {"type": "tool_call", "id": "c1", "name": "deploy", "arguments": {"github_token": PAT, "region": "eu"}}]}])


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(two_rules(), [KNOWN])


def _emit_agent_span(provider: TracerProvider) -> None:
    tracer = provider.get_tracer("agent")
    with tracer.start_as_current_span(f"tool deploy {AWS}", attributes={"gen_ai.operation.name": "execute_tool",
                                                                          "early": f"k={KNOWN}"}) as span:
        span.set_attribute("gen_ai.output.messages", TOOL_CALL)
        span.set_attribute("gen_ai.tool.call.arguments", json.dumps({"password": KNOWN}))
        span.set_attribute("headers", [f"Authorization: token {PAT}", "Accept: */*"])
        span.set_attribute("count", 3)
        span.add_event(f"retry {AWS}", {"gen_ai.prompt": f"use key {AWS} please", "attempt": 2})
        span.update_name(f"tool deploy {AWS}")
        span.set_status(Status(StatusCode.ERROR, f"401 for token {PAT}"))
        try:
            raise PermissionError(f"bad credentials {KNOWN}")
        except PermissionError as exc:
            span.record_exception(exc)


def _assert_clean(span) -> None:
    assert span.name == "tool deploy [REDACTED:aws-access-key-id]"
    attrs = dict(span.attributes)
    assert attrs["early"] == "k=[REDACTED:known]"
    assert json.loads(attrs["gen_ai.output.messages"])[0]["parts"][0]["arguments"] == {
        "github_token": "[REDACTED:github-pat]", "region": "eu"}
    assert attrs["gen_ai.tool.call.arguments"] == '{"password": "[REDACTED:known]"}'
    assert attrs["headers"] == ("Authorization: token [REDACTED:github-pat]", "Accept: */*")
    assert attrs["count"] == 3 and attrs["gen_ai.operation.name"] == "execute_tool"
    retry, exception = span.events
    assert retry.name == "retry [REDACTED:aws-access-key-id]"
    assert dict(retry.attributes) == {"gen_ai.prompt": "use key [REDACTED:aws-access-key-id] please", "attempt": 2}
    assert exception.attributes["exception.message"] == "bad credentials [REDACTED:known]"
    assert KNOWN not in exception.attributes["exception.stacktrace"]
    assert span.status.description == "401 for token [REDACTED:github-pat]"
    assert span.status.status_code == StatusCode.ERROR
    text = span.to_json()
    for secret in (PAT, AWS, KNOWN):
        assert secret not in text


@pytest.mark.parametrize("exporting", [SimpleSpanProcessor, BatchSpanProcessor])
def test_span_processor_in_front_of_exporting_processor(redactor, exporting):
    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource({"service.name": "agent", "deploy.token": PAT}))
    provider.add_span_processor(SecretSpanProcessor(redactor=redactor))
    provider.add_span_processor(exporting(exporter))
    _emit_agent_span(provider)
    provider.force_flush()
    (span,) = exporter.get_finished_spans()
    _assert_clean(span)
    assert dict(span.resource.attributes)["deploy.token"] == "[REDACTED:github-pat]"
    assert span.resource.attributes["service.name"] == "agent"
    provider.shutdown()


def test_span_processor_behind_exporting_processor_is_too_late(redactor):
    """Why the order matters (and why the wrapping form exists)."""
    serialized = []

    class Serializing(InMemorySpanExporter):  # like OTLP: encodes the span when export() is called
        def export(self, spans):
            serialized.extend(span.to_json() for span in spans)
            return super().export(spans)

    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(Serializing()))
    provider.add_span_processor(SecretSpanProcessor(redactor=redactor))
    _emit_agent_span(provider)
    assert PAT in serialized[0]


@pytest.mark.parametrize("exporting", [SimpleSpanProcessor, BatchSpanProcessor])
def test_span_processor_wrapping_the_exporting_processor_is_order_proof(redactor, exporting):
    exporter, plain = InMemorySpanExporter(), InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SecretSpanProcessor(exporting(exporter), redactor=redactor))
    provider.add_span_processor(SimpleSpanProcessor(plain))  # an unrelated pipeline keeps the original
    _emit_agent_span(provider)
    provider.force_flush()
    (span,) = exporter.get_finished_spans()
    _assert_clean(span)
    assert plain.get_finished_spans()[0].status.description == f"401 for token {PAT}"
    provider.shutdown()


def test_exporter_wrapper_keeps_limits_links_and_drop_counts(redactor):
    exporter = InMemorySpanExporter()
    provider = TracerProvider(span_limits=SpanLimits(max_span_attributes=3))
    provider.add_span_processor(BatchSpanProcessor(RedactingSpanExporter(exporter, redactor)))
    tracer = provider.get_tracer("t")
    with tracer.start_as_current_span("parent") as parent:
        link = Link(parent.get_span_context(), {"note": f"from {AWS}"})
        with tracer.start_as_current_span("child", links=[link]) as child:
            for i in range(5):
                child.set_attribute(f"a{i}", f"{i} {PAT}")
    provider.force_flush()
    spans = {s.name: s for s in exporter.get_finished_spans()}
    child = spans["child"]
    assert dict(child.attributes) == {f"a{i}": f"{i} [REDACTED:github-pat]" for i in (2, 3, 4)}
    assert child.dropped_attributes == 2
    assert dict(child.links[0].attributes) == {"note": "from [REDACTED:aws-access-key-id]"}
    assert child.parent.span_id == spans["parent"].context.span_id
    assert spans["parent"] is not None and spans["parent"].attributes == {}
    provider.shutdown()


def test_clean_span_is_passed_through_as_is(redactor):
    seen = []

    class Capture(InMemorySpanExporter):
        def export(self, spans):
            seen.extend(spans)
            return super().export(spans)

    provider = TracerProvider()
    provider.add_span_processor(SecretSpanProcessor(redactor=redactor))
    provider.add_span_processor(SimpleSpanProcessor(RedactingSpanExporter(Capture(), redactor)))
    with provider.get_tracer("t").start_as_current_span("clean", attributes={"k": "v"}):
        pass
    assert seen[0].name == "clean" and dict(seen[0].attributes) == {"k": "v"}


def _otel_handler(kind: str, provider: LoggerProvider) -> logging.Handler:
    """The stdlib bridge: the SDK's own handler (deprecated in 1.45) or opentelemetry-instrumentation-logging's."""
    if kind == "sdk":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return SdkLoggingHandler(logger_provider=provider)
    return LoggingHandler(logger_provider=provider)


@pytest.fixture
def otel_logger():
    """A fresh, non-propagating logger; its handlers are removed afterwards."""
    logger = logging.getLogger("veiltest.otel")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    saved = logger.handlers[:]
    yield logger
    logger.handlers[:] = saved


def _log_failure(logger: logging.Logger) -> None:
    try:
        raise RuntimeError(f"denied {AWS}")
    except RuntimeError:
        logger.exception("failed")


@pytest.mark.parametrize("handler_kind", ["sdk", "instrumentation"])
@pytest.mark.parametrize("exporting", [SimpleLogRecordProcessor, BatchLogRecordProcessor])
def test_log_record_processor_masks_bodies_and_attributes(redactor, exporting, handler_kind, otel_logger):
    exporter = InMemoryLogRecordExporter()
    provider = LoggerProvider()
    provider.add_log_record_processor(SecretLogRecordProcessor(redactor))
    provider.add_log_record_processor(exporting(exporter))
    otel_logger.addHandler(_otel_handler(handler_kind, provider))
    otel_logger.info("calling with %s", PAT, extra={"user_token": KNOWN})
    _log_failure(otel_logger)
    provider.get_logger("genai").emit(
        event_name="gen_ai.client.inference.operation.details",
        body={"messages": [{"role": "user", "content": f"my key is {AWS}"}], "n": 1},
        attributes={"gen_ai.input.messages": [{"role": "user", "parts": [{"type": "text", "content": KNOWN}]}]},
    )
    provider.force_flush()
    first, second, third = (r.log_record for r in exporter.get_finished_logs())
    assert first.body == "calling with [REDACTED:github-pat]"
    assert first.attributes["user_token"] == "[REDACTED:known]"
    assert second.attributes["exception.type"] == "RuntimeError"
    assert second.attributes["exception.message"] == "denied [REDACTED:aws-access-key-id]"
    assert second.attributes["exception.stacktrace"].endswith("RuntimeError: denied [REDACTED:aws-access-key-id]\n")
    assert 'raise RuntimeError(f"denied {AWS}")' in second.attributes["exception.stacktrace"]
    assert third.body == {"messages": [{"role": "user", "content": "my key is [REDACTED:aws-access-key-id]"}], "n": 1}
    assert third.attributes["gen_ai.input.messages"][0]["parts"][0]["content"] == "[REDACTED:known]"
    provider.shutdown()


@pytest.mark.parametrize("handler_kind", ["sdk", "instrumentation"])
def test_secret_filter_on_an_earlier_handler_leaves_otel_the_masked_exception(redactor, handler_kind, otel_logger):
    """A SecretFilter on a handler that runs before OTel's bridge: OTel still gets the exception's type and
    masked message, and no traceback it could render in clear."""
    exporter = InMemoryLogRecordExporter()
    provider = LoggerProvider()
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    console = logging.StreamHandler(io.StringIO())
    console.addFilter(SecretFilter(redactor=redactor))
    otel_logger.addHandler(console)
    otel_logger.addHandler(_otel_handler(handler_kind, provider))
    _log_failure(otel_logger)
    (record,) = (r.log_record for r in exporter.get_finished_logs())
    assert record.body == "failed"
    assert record.attributes["exception.type"] == "RuntimeError"
    assert record.attributes["exception.message"] == "denied [REDACTED:aws-access-key-id]"
    assert "exception.stacktrace" not in record.attributes
    assert AWS not in json.dumps(dict(record.attributes), default=str)
    assert console.stream.getvalue().endswith("RuntimeError: denied [REDACTED:aws-access-key-id]\n")
    provider.shutdown()


def test_log_exporter_wrapper_exports_redacted_copies(redactor):
    exporter = InMemoryLogRecordExporter()
    provider = LoggerProvider()
    provider.add_log_record_processor(SimpleLogRecordProcessor(RedactingLogExporter(exporter, redactor)))
    provider.get_logger("x").emit(body=f"token {PAT}", attributes={"k": AWS, "n": 1})
    provider.get_logger("x").emit(body="clean", attributes={"n": 2})
    first, second = (r.log_record for r in exporter.get_finished_logs())
    assert first.body == "token [REDACTED:github-pat]"
    assert dict(first.attributes) == {"k": "[REDACTED:aws-access-key-id]", "n": 1}
    assert second.body == "clean"
    provider.shutdown()
