"""structlog and loguru: the same masking as the logging filter, through their own extension points.

Neither library is imported here: both hooks are plain callables (install the ``structlog`` or
``loguru`` extra for the libraries themselves).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterable
from typing import Any

from .core import Redactor
from .logfilter import ERROR_MASK, make_redactor


def _exception_text(exc_info: Any) -> str | None:
    if exc_info is True:
        exc_info = sys.exc_info()
    elif isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if not isinstance(exc_info, tuple) or len(exc_info) != 3 or exc_info[0] is None:
        return None
    return "".join(traceback.format_exception(*exc_info)).rstrip("\n")


class StructlogProcessor:
    """A structlog processor: masks every value of the event dict (nested dicts and lists too; other
    objects by their ``repr``). An ``exc_info`` still in the dict is rendered to ``exception`` text
    first, as ``format_exc_info`` does. Put it last before the renderer:
    ``[add_log_level, format_exc_info, StructlogProcessor(), JSONRenderer()]``; put after it, it masks
    the rendered text."""

    def __init__(self, redactor: Redactor | None = None, *, known_values: Iterable[str] = (),
                 known_values_from_env: bool = False, env_patterns: Iterable[str] | None = None,
                 mask: str | None = None):
        self.redactor = make_redactor(redactor, known_values, known_values_from_env, env_patterns, mask)

    def __call__(self, logger: Any, method_name: str, event_dict: dict[str, Any] | str | bytes
                 ) -> dict[str, Any] | str | bytes:
        if isinstance(event_dict, (str, bytes, bytearray)):  # after the renderer: a line of text
            return self.redactor.redact_value(event_dict)
        try:
            if "exc_info" in event_dict:
                text = _exception_text(event_dict.pop("exc_info"))
                if text:
                    event_dict["exception"] = text
            for key, value in event_dict.items():
                new = self.redactor.redact_value(value, objects=True)
                if new is not value:
                    event_dict[key] = new
        except Exception:  # noqa: BLE001 - mask everything rather than let a secret through
            for key, value in list(event_dict.items()):
                if not isinstance(value, (int, float, bool)) or key == "exc_info":
                    event_dict[key] = ERROR_MASK
        return event_dict


class LoguruPatcher:
    """A loguru patcher (``logger.configure(patcher=LoguruPatcher())`` or ``logger.patch(...)``):
    masks the formatted message and ``extra``. An exception's traceback is rendered, masked and
    appended to the message (or stored in ``extra[traceback_key]``), and ``record["exception"]`` is
    cleared so no sink renders the live traceback (or, with ``diagnose``, its local variables).
    Returns True, so that given as a sink's ``filter=`` it masks in place and drops nothing."""

    def __init__(self, redactor: Redactor | None = None, *, traceback_key: str | None = None,
                 known_values: Iterable[str] = (), known_values_from_env: bool = False,
                 env_patterns: Iterable[str] | None = None, mask: str | None = None):
        self.redactor = make_redactor(redactor, known_values, known_values_from_env, env_patterns, mask)
        self.traceback_key = traceback_key

    def __call__(self, record: dict[str, Any]) -> bool:
        try:
            record["message"] = self.redactor.redact(record["message"])
            extra = record["extra"]
            for key, value in extra.items():
                new = self.redactor.redact_value(value, objects=True)
                if new is not value:
                    extra[key] = new
            exception = record.get("exception")
            if exception is not None:
                text = _exception_text(tuple(exception))
                record["exception"] = None
                if text:
                    text = self.redactor.redact(text).rstrip("\n")
                    if self.traceback_key:
                        extra[self.traceback_key] = text
                    else:
                        record["message"] += "\n" + text
        except Exception:  # noqa: BLE001 - mask everything rather than let a secret through
            record["message"], record["exception"] = ERROR_MASK, None
            for key in list(record.get("extra", {})):
                record["extra"][key] = ERROR_MASK
        return True
