"""SecretFilter with real logging configurations: dictConfig, child loggers, handlers, tracebacks, threads."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import threading

import pytest
from test_redact_core import AWS, KNOWN, PAT, two_rules

from scanner.redact import ERROR_MASK, Redactor, SecretFilter, install


@pytest.fixture
def redactor() -> Redactor:
    return Redactor(two_rules(), [KNOWN])


def _every_handler() -> list[logging.Handler]:
    loggers = [logging.getLogger(), *(lg for lg in logging.Logger.manager.loggerDict.values()
                                      if isinstance(lg, logging.Logger))]
    return [h for lg in loggers for h in lg.handlers] + [logging.lastResort]


@pytest.fixture
def fresh_logging():
    """Snapshot and restore the logging tree so tests can configure it freely: root's handlers and level,
    and the filters of every handler there is (``install()`` attaches to all of them, pytest's own
    capturing handlers included, which outlive the test)."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    filters = {h: h.filters[:] for h in _every_handler()}
    yield
    for name in list(logging.Logger.manager.loggerDict):
        if name.startswith("veiltest"):
            lg = logging.getLogger(name)
            lg.handlers.clear()
            lg.filters.clear()
    root.handlers[:], root.level = saved
    for handler, kept in filters.items():
        handler.filters[:] = kept


def _logger(name: str) -> logging.Logger:
    log = logging.getLogger(name)
    log.propagate = False
    log.setLevel(logging.DEBUG)
    return log


def _handler(redactor: Redactor | None, fmt: str = "%(levelname)s %(name)s %(message)s"):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(fmt))
    if redactor is not None:
        handler.addFilter(SecretFilter(redactor=redactor))
    return handler, stream


def test_message_with_args_is_masked(redactor, fresh_logging):
    log = _logger("veiltest.args")
    handler, out = _handler(redactor)
    log.addHandler(handler)
    log.warning("calling GitHub with %s and key=%r", PAT, AWS)
    log.warning("login with %(pw)s", {"pw": KNOWN})
    assert out.getvalue() == (
        "WARNING veiltest.args calling GitHub with [REDACTED:github-pat] and key='[REDACTED:aws-access-key-id]'\n"
        "WARNING veiltest.args login with [REDACTED:known]\n"
    )


def test_clean_records_are_untouched_in_text(redactor, fresh_logging):
    log = _logger("veiltest.clean")
    handler, out = _handler(redactor)
    log.addHandler(handler)
    log.info("step %d of %d done", 3, 7)
    assert out.getvalue() == "INFO veiltest.clean step 3 of 7 done\n"


def _recording(redactor: Redactor, name: str):
    """A logger whose handler (``%(message)s``, filtered by ``redactor``) keeps the records it emits."""
    log = _logger(name)
    handler, out = _handler(redactor, "%(message)s")
    log.addHandler(handler)
    records = []
    handler.emit = lambda record, emit=handler.emit: (records.append(record), emit(record))
    return log, out, records


def test_clean_record_is_frozen_and_a_custom_record_class_is_formatted_its_own_way(redactor, fresh_logging):
    log, out, records = _recording(redactor, "veiltest.frozen")
    log.info("step %d of %d done", 3, 7)
    assert (records[0].msg, records[0].args) == ("step 3 of 7 done", None)

    class BraceRecord(logging.LogRecord):  # a factory some libraries install: str.format, not %
        def getMessage(self):
            return str(self.msg).format(*self.args)

    factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(BraceRecord)
    try:
        log.info("step {} of {}", 4, 7)
        log.info("token {}", PAT)
    finally:
        logging.setLogRecordFactory(factory)
    assert out.getvalue().splitlines() == ["step 3 of 7 done", "step 4 of 7", "token [REDACTED:github-pat]"]


def _failing(method: str) -> Redactor:
    """A redactor whose ``method`` raises."""

    def fail(self, *_args):
        raise RuntimeError("boom")

    return type("Failing", (Redactor,), {method: fail})(two_rules())


def test_a_failing_gate_falls_back_to_the_full_path(fresh_logging):
    log = _logger("veiltest.nogate")
    handler, out = _handler(_failing("clean"), "%(message)s")
    log.addHandler(handler)
    log.info("step %d", 3)
    log.info("token %s", PAT)
    assert out.getvalue().splitlines() == ["step 3", "token [REDACTED:github-pat]"]


def test_non_string_messages_keep_their_type_unless_they_hold_a_secret(redactor, fresh_logging):
    log, out, records = _recording(redactor, "veiltest.objects")
    clean, dirty = {"step": 3}, {"token": PAT, "n": [AWS]}
    log.info(clean)
    log.info(dirty)

    class Creds:
        def __str__(self):
            return f"Creds({KNOWN})"

    log.info(Creds())
    assert records[0].msg is clean
    assert records[1].msg == {"token": "[REDACTED:github-pat]", "n": ["[REDACTED:aws-access-key-id]"]}
    assert out.getvalue().splitlines() == [
        "{'step': 3}", "{'token': '[REDACTED:github-pat]', 'n': ['[REDACTED:aws-access-key-id]']}",
        "Creds([REDACTED:known])"]


def test_dictconfig_handler_filter_covers_child_loggers_and_tracebacks(fresh_logging):
    stream = io.StringIO()
    logging.config.dictConfig({
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"veil": {"()": "scanner.redact.SecretFilter", "known_values": [KNOWN]}},
        "formatters": {"plain": {"format": "%(name)s: %(message)s"}},
        "handlers": {"mem": {"class": "logging.StreamHandler", "stream": stream, "formatter": "plain",
                             "filters": ["veil"]}},
        "loggers": {"veiltest.app": {"handlers": ["mem"], "level": "DEBUG", "propagate": False}},
    })
    child = logging.getLogger("veiltest.app.agent.tools")
    child.info("tool args: %s", {"token": PAT})
    try:
        raise RuntimeError(f"upstream rejected {AWS} / {KNOWN}")
    except RuntimeError:
        child.exception("call failed for %s", PAT)
    child.info("with stack", stack_info=True, extra={"api_key": AWS})
    text = stream.getvalue()
    for secret in (PAT, AWS, KNOWN):
        assert secret not in text
    lines = text.splitlines()
    assert lines[0] == "veiltest.app.agent.tools: tool args: {'token': '[REDACTED:github-pat]'}"
    assert lines[1] == "veiltest.app.agent.tools: call failed for [REDACTED:github-pat]"
    assert lines[2] == "Traceback (most recent call last):"
    assert "RuntimeError: upstream rejected [REDACTED:aws-access-key-id] / [REDACTED:known]" in lines
    assert "Stack (most recent call last):" in lines


def test_filter_on_a_logger_sees_only_its_own_records(redactor, fresh_logging):
    parent = _logger("veiltest.p")
    handler, out = _handler(redactor=None, fmt="%(message)s")
    parent.addHandler(handler)
    parent.addFilter(SecretFilter(redactor=redactor))
    parent.info("direct %s", PAT)
    logging.getLogger("veiltest.p.child").info("propagated %s", PAT)
    assert out.getvalue() == f"direct [REDACTED:github-pat]\npropagated {PAT}\n"  # why the docs say: handler


def test_later_handlers_see_the_masked_record(redactor, fresh_logging):
    log = _logger("veiltest.two")
    first, out1 = _handler(redactor, "%(message)s")
    second, out2 = _handler(None, "%(message)s|%(exc_text)s")
    log.addHandler(first)
    log.addHandler(second)
    try:
        raise ValueError(PAT)
    except ValueError:
        log.error("failed %s", AWS, exc_info=True)
    assert PAT not in out1.getvalue() and AWS not in out1.getvalue()
    assert PAT not in out2.getvalue() and AWS not in out2.getvalue()
    assert "ValueError: [REDACTED:github-pat]" in out2.getvalue()


def test_extra_fields_are_masked_for_structured_formatters(redactor, fresh_logging):
    class JsonFormatter(logging.Formatter):
        def format(self, record):
            return json.dumps({"msg": record.getMessage(), "user": record.user, "ctx": record.ctx, "n": record.n})

    log = _logger("veiltest.json")
    handler, out = _handler(redactor)
    handler.setFormatter(JsonFormatter())
    log.addHandler(handler)
    log.info("request", extra={"user": f"bob:{KNOWN}", "ctx": {"headers": [f"Bearer {PAT}"]}, "n": 3})
    assert json.loads(out.getvalue()) == {"msg": "request", "user": "bob:[REDACTED:known]",
                                          "ctx": {"headers": ["Bearer [REDACTED:github-pat]"]}, "n": 3}


def test_internal_error_masks_the_whole_message_and_keeps_the_record(fresh_logging):
    log = _logger("veiltest.broken")
    handler, out = _handler(_failing("redact"), "%(message)s %(user)s")
    log.addHandler(handler)
    log.error("secret %s", PAT, extra={"user": PAT})
    assert out.getvalue() == f"{ERROR_MASK} {ERROR_MASK}\n"


def test_bad_format_args_do_not_leak_through_logging_error_report(redactor, fresh_logging, capsys):
    log = _logger("veiltest.badargs")
    handler, out = _handler(redactor)
    log.addHandler(handler)
    log.info("only one placeholder %s", PAT, AWS)  # TypeError in getMessage
    err = capsys.readouterr().err
    assert PAT not in out.getvalue() + err and AWS not in err
    assert out.getvalue() == ("INFO veiltest.badargs only one placeholder %s (unformatted arguments: "
                              "('[REDACTED:github-pat]', '[REDACTED:aws-access-key-id]'))\n")
    assert err.startswith("--- Logging error (masked by Veil) ---\n"
                          "TypeError: not all arguments converted during string formatting\n")
    assert err.endswith("Message: 'only one placeholder %s'\n"
                        "Arguments: ('[REDACTED:github-pat]', '[REDACTED:aws-access-key-id]')\n")


def test_install_attaches_to_existing_handlers_and_is_idempotent(redactor, fresh_logging):
    root = logging.getLogger()
    handler, out = _handler(None, "%(name)s %(message)s")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    own, own_out = _handler(None, "%(message)s")
    standalone = _logger("veiltest.standalone")
    standalone.addHandler(own)
    first = install(redactor)
    install(redactor)
    assert handler.filters == [first] and own.filters == [first]
    logging.getLogger("veiltest.third.party").warning("token %s", PAT)
    standalone.warning("key %s", AWS)
    assert out.getvalue() == "veiltest.third.party token [REDACTED:github-pat]\n"
    assert own_out.getvalue() == "key [REDACTED:aws-access-key-id]\n"


def test_threads_hammering_one_filter(redactor, fresh_logging):
    log = _logger("veiltest.threads")
    handler, out = _handler(redactor, "%(threadName)s %(message)s")
    log.addHandler(handler)
    barrier = threading.Barrier(8)

    def work(n: int) -> None:
        barrier.wait()
        for i in range(300):
            if i % 3 == 0:
                log.info("t%d clean message %d", n, i)
            elif i % 3 == 1:
                log.info("t%d pat %s", n, PAT)
            else:
                log.info("t%d key %s and %s", n, AWS, KNOWN)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = out.getvalue().splitlines()
    assert len(lines) == 8 * 300  # never drops a record
    text = out.getvalue()
    assert PAT not in text and AWS not in text and KNOWN not in text
    assert sum("[REDACTED:github-pat]" in line for line in lines) == 8 * 100
    assert sum(line.endswith("[REDACTED:aws-access-key-id] and [REDACTED:known]") for line in lines) == 8 * 100
