"""The structlog processor and the loguru patcher, with the real libraries."""

from __future__ import annotations

import io
import json

import pytest
from test_redact_core import AWS, KNOWN, PAT, two_rules

from scanner.redact import LoguruPatcher, Redactor, StructlogProcessor

structlog = pytest.importorskip("structlog")
loguru = pytest.importorskip("loguru")


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(two_rules(), [KNOWN])


def test_structlog_json_pipeline(redactor):
    out = io.StringIO()
    log = structlog.wrap_logger(
        structlog.PrintLogger(out),
        processors=[structlog.processors.add_log_level, structlog.processors.format_exc_info,
                    StructlogProcessor(redactor), structlog.processors.JSONRenderer()],
    )
    log.info(f"calling api with {PAT}", headers={"x-api-key": AWS}, args=[KNOWN, 3], attempt=2)
    try:
        raise ConnectionError(f"refused token {PAT}")
    except ConnectionError:
        log.exception("upstream failed")
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first == {"event": "calling api with [REDACTED:github-pat]",
                     "headers": {"x-api-key": "[REDACTED:aws-access-key-id]"},
                     "args": ["[REDACTED:known]", 3], "attempt": 2, "level": "info"}
    assert second["event"] == "upstream failed"
    assert second["exception"].startswith("Traceback (most recent call last):")
    assert second["exception"].endswith("ConnectionError: refused token [REDACTED:github-pat]")
    assert PAT not in out.getvalue()


def test_structlog_processor_renders_exc_info_itself_when_placed_first(redactor):
    out = io.StringIO()
    log = structlog.wrap_logger(structlog.PrintLogger(out),
                                processors=[StructlogProcessor(redactor), structlog.processors.JSONRenderer()])
    try:
        raise KeyError(KNOWN)
    except KeyError:
        log.error("lookup", exc_info=True)

    class Settings:
        def __repr__(self):
            return f"Settings(aws={AWS})"

    log.info("loaded", settings=Settings())
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert "exc_info" not in first and first["exception"].endswith("KeyError: '[REDACTED:known]'")
    assert second["settings"] == "Settings(aws=[REDACTED:aws-access-key-id])"


@pytest.fixture
def loguru_logger():
    logger = loguru.logger
    logger.remove()
    yield logger
    logger.remove()
    logger.configure(patcher=lambda record: None)


def test_loguru_patcher_message_extra_and_traceback(redactor, loguru_logger):
    out = io.StringIO()
    loguru_logger.configure(patcher=LoguruPatcher(redactor))
    loguru_logger.add(out, format="{level} {message} | {extra}", diagnose=True, backtrace=True, colorize=False)
    loguru_logger.bind(user=f"bob:{KNOWN}").info("using token {}", PAT)

    def fail(secret):
        raise PermissionError(f"denied for {secret}")

    try:
        fail(AWS)
    except PermissionError:
        loguru_logger.exception("call failed")
    text = out.getvalue()
    lines = text.splitlines()
    assert lines[0] == "INFO using token [REDACTED:github-pat] | {'user': 'bob:[REDACTED:known]'}"
    assert lines[1] == "ERROR call failed"
    assert lines[2] == "Traceback (most recent call last):"
    assert "PermissionError: denied for [REDACTED:aws-access-key-id] | {}" in text
    assert PAT not in text and AWS not in text and KNOWN not in text  # diagnose shows no local values either


def test_loguru_serialize_sink_and_traceback_key(redactor, loguru_logger):
    out = io.StringIO()
    patched = loguru_logger.patch(LoguruPatcher(redactor, traceback_key="traceback"))
    loguru_logger.add(out, serialize=True)
    try:
        raise RuntimeError(PAT)
    except RuntimeError:
        patched.opt(exception=True).error("boom {}", AWS)
    record = json.loads(out.getvalue())["record"]
    assert record["message"] == "boom [REDACTED:aws-access-key-id]"
    assert record["exception"] is None
    assert record["extra"]["traceback"].endswith("RuntimeError: [REDACTED:github-pat]")
    assert PAT not in out.getvalue() and AWS not in out.getvalue()
