"""Python ``logging``: a filter that masks secrets in every record it sees, and never drops one."""

from __future__ import annotations

import functools
import logging
import sys
import warnings
from collections.abc import Iterable
from typing import Any

from .core import Redactor, default_redactor, value_list

ERROR_MASK = "[REDACTED:veil-error]"  # what a record becomes if redaction itself fails
_BASE = logging.LogRecord("", 0, "", 0, "", None, None).__dict__
_STANDARD = frozenset(_BASE) | {"message", "asctime", "taskName"}
_N_BASE = len(_BASE)
_FORMATTER = logging.Formatter()
_GET_MESSAGE = logging.LogRecord.getMessage


def make_redactor(
    redactor: Redactor | None = None,
    known_values: Iterable[str] = (),
    known_values_from_env: bool = False,
    env_patterns: Iterable[str] | None = None,
    mask: str | None = None,
) -> Redactor:
    """The redactor a door uses: the one given, the shared default, or a new one built from the options."""
    if redactor is not None:
        return redactor
    known_values = value_list("known_values", known_values)
    if not (known_values or known_values_from_env or mask):
        return default_redactor()
    options: dict[str, Any] = {"mask": mask} if mask else {}
    if known_values_from_env:
        return Redactor.from_env(env_patterns, known_values=known_values, **options)
    return Redactor(known_values=known_values, **options)


def _freeze(record: logging.LogRecord, message: str) -> None:
    """Make ``message`` the record's message: no later consumer formats the args (or their repr) on
    its own. A record class with a ``getMessage`` of its own (a factory that formats with
    ``str.format``, say) becomes a subclass of it with the standard one, which gives ``msg`` as is."""
    record.msg, record.args = message, None
    if type(record).getMessage is not _GET_MESSAGE:
        record.__class__ = _standard_message(type(record))


@functools.cache
def _standard_message(cls: type[logging.LogRecord]) -> type[logging.LogRecord]:
    return type(cls.__name__, (cls,), {"getMessage": _GET_MESSAGE, "__module__": cls.__module__})


class SecretFilter(logging.Filter):
    """Masks the formatted message (``msg % args``), the exception and stack text, and string (or
    container) ``extra`` fields of each record, in place; always returns True. The message is
    frozen: ``msg`` becomes the masked text and ``args`` None.

    Attach it to a **handler** to cover every record that handler emits, propagated ones included
    (a filter on a logger sees only records logged on that very logger). Works from
    ``logging.config.dictConfig`` with ``"()": "scanner.redact.SecretFilter"`` and these keyword
    arguments. The traceback is rendered once and masked into ``exc_text`` (what formatters print);
    the live ``exc_info`` is swapped for a stand-in (same exception type, masked arguments, no
    traceback) so a later handler that reads ``exc_info`` itself (OpenTelemetry's ``LoggingHandler``)
    still reports the exception's type and masked message but can render nothing in clear;
    ``keep_exc_info=True`` keeps the live one.
    A ``msg % args`` that fails (a bug in the logging call) gives the template and the arguments, masked,
    and a masked error report on stderr. If redaction itself fails, the whole message is replaced by
    ``[REDACTED:veil-error]``.
    """

    def __init__(
        self,
        name: str = "",
        *,
        redactor: Redactor | None = None,
        known_values: Iterable[str] = (),
        known_values_from_env: bool = False,
        env_patterns: Iterable[str] | None = None,
        mask: str | None = None,
        keep_exc_info: bool = False,
    ):
        super().__init__(name)
        self.redactor = make_redactor(redactor, known_values, known_values_from_env, env_patterns, mask)
        self.keep_exc_info = keep_exc_info

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            # The common record at the least cost: a str message, no exception, stack or extra fields,
            # nothing in the formatted message to mask (one gate pass). Its message is frozen (no
            # formatter formats it again). Anything else, a format bug too, is judged fully below.
            if (
                type(record.msg) is str
                and len(record.__dict__) == _N_BASE
                and not (record.exc_info or record.exc_text or record.stack_info)
            ):
                message = record.getMessage()
                if self.redactor.clean(message):
                    if record.args:
                        _freeze(record, message)
                    return True
        except Exception:  # noqa: BLE001, S110 - the full path below handles it
            pass
        try:
            self._redact(record)
        except Exception:  # noqa: BLE001 - never let a record through unmasked, never drop it
            _withhold(record)
        return True

    def _redact(self, record: logging.LogRecord) -> None:
        redact = self.redactor.redact
        fields = record.__dict__
        msg = record.msg
        if record.args or isinstance(msg, str):
            try:
                message = record.getMessage()
            except Exception as exc:  # noqa: BLE001 - a %-format bug in the call: keep the record, say so masked
                message = self._format_bug(record, exc)
            masked = redact(message)
            if masked is not message or record.args:
                _freeze(record, masked)
        elif isinstance(msg, (dict, list, tuple)):  # a structured message (OTel's handler keeps it as a map)
            record.msg = masked = self.redactor.redact_value(msg)
        else:
            message = str(msg)
            masked = redact(message)
            if masked is not message:
                record.msg = masked
        if "message" in fields and record.msg is not msg:
            record.message = record.getMessage()
        if record.exc_info:
            text = record.exc_text or _FORMATTER.formatException(record.exc_info)
            record.exc_text = redact(text)
            if not self.keep_exc_info:
                record.exc_info = self._stand_in(record.exc_info)
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        if len(fields) > _N_BASE:
            for key in fields.keys() - _STANDARD:
                value = fields[key]
                new = self.redactor.redact_value(value)
                if new is not value:
                    fields[key] = new


    def _format_bug(self, record: logging.LogRecord, exc: Exception) -> str:
        """The text of a record whose ``msg % args`` fails: the template, then the arguments. Like logging's
        own ``--- Logging error ---`` report (which would print the arguments in clear), a masked report
        goes to stderr while ``logging.raiseExceptions`` is on."""
        text = f"{record.msg} (unformatted arguments: {record.args!r})"
        if logging.raiseExceptions and sys.stderr is not None:
            redact = self.redactor.redact
            sys.stderr.write(
                f"--- Logging error (masked by Veil) ---\n{type(exc).__name__}: {redact(str(exc))}\n"
                f"Logged from {record.pathname}, line {record.lineno}\n{redact(f'Message: {record.msg!r}')}\n"
                f"{redact(f'Arguments: {record.args!r}')}\n"
            )
        return text

    def _stand_in(self, exc_info: tuple) -> tuple | None:
        """``(type, copy with masked args, None)``: what a handler may still learn of the exception."""
        exc_type, value = exc_info[0], exc_info[1]
        if exc_type is None or value is None:
            return None
        args = tuple(self.redactor.redact(str(arg)) for arg in value.args)
        try:
            stand_in = exc_type.__new__(exc_type)  # no __init__: its signature is the exception's own
            stand_in.args = args
        except Exception:  # noqa: BLE001 - a type that cannot be built bare: keep the type name only
            stand_in = Exception(*args)
        return exc_type, stand_in, None


def _withhold(record: logging.LogRecord) -> None:
    try:
        fields = record.__dict__
        _freeze(record, ERROR_MASK)
        record.stack_info = None
        record.exc_info, record.exc_text = None, None
        if "message" in fields:
            record.message = ERROR_MASK
        for key in fields.keys() - _STANDARD:
            if isinstance(fields[key], (str, bytes, dict, list, tuple, set)):
                fields[key] = ERROR_MASK
    except Exception:  # noqa: BLE001, S110 - a record without attributes: nothing more can be done
        pass


def install(redactor: Redactor | None = None, **options: Any) -> SecretFilter:
    """Attach one :class:`SecretFilter` to every handler configured now: the root logger's, every
    named logger's, and ``logging.lastResort``. Call it after logging is configured; handlers added
    later need the filter themselves. Idempotent: a handler that has a SecretFilter is skipped."""
    secret_filter = SecretFilter(redactor=make_redactor(redactor, **options))
    loggers = [logging.getLogger(), *(lg for lg in logging.Logger.manager.loggerDict.values()
                                      if isinstance(lg, logging.Logger))]
    handlers = [h for lg in loggers for h in lg.handlers]
    if not handlers:
        warnings.warn("scanner.redact.install() found no logging handler to protect: call it after "
                      "logging.basicConfig() or dictConfig(); a handler added later is not filtered",
                      RuntimeWarning, stacklevel=2)
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    for handler in dict.fromkeys(handlers):
        if not any(isinstance(f, SecretFilter) for f in handler.filters):
            handler.addFilter(secret_filter)
    return secret_filter
