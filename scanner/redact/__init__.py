"""Masking at egress: the same rules as the scanner, applied to text on its way out.

- :func:`redact` / :class:`Redactor` — text (rule matches and registered known values);
- :class:`StreamRedactor` — chunked text, each complete line released at once;
- :class:`SecretFilter` / :func:`install` — Python ``logging``;
- :class:`StructlogProcessor`, :class:`LoguruPatcher` — structlog and loguru;
- ``scanner.redact.otel`` — OpenTelemetry span and log-record processors, exporter wrappers
  (imported on first use: it needs ``opentelemetry-sdk``, the ``otel`` extra).
"""

from __future__ import annotations

from typing import Any

from .core import DEFAULT_MASK, KNOWN_LABEL, Redactor, default_redactor, redact
from .known import DEFAULT_ENV_PATTERNS, encoded_forms, env_values
from .logfilter import ERROR_MASK, SecretFilter, install
from .stream import ByteStreamRedactor, StreamRedactor
from .structured import LoguruPatcher, StructlogProcessor

_OTEL = ("SecretSpanProcessor", "SecretLogRecordProcessor", "RedactingSpanExporter", "RedactingLogExporter")

__all__ = [
    "DEFAULT_ENV_PATTERNS", "DEFAULT_MASK", "ERROR_MASK", "KNOWN_LABEL", "ByteStreamRedactor", "LoguruPatcher",
    "Redactor", "SecretFilter", "StreamRedactor", "StructlogProcessor", "default_redactor", "encoded_forms",
    "env_values", "install", "redact", *_OTEL,
]


def __getattr__(name: str) -> Any:
    if name in _OTEL:
        from . import otel

        return getattr(otel, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
