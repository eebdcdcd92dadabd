"""AI-agent traces and logs — JSON, JSON Lines, OTLP JSON — walked string by string, JSON in strings too."""

from .frameworks import MCPState
from .redact import Redaction, redact_bytes
from .runner import TraceOptions, read_trace, scan_trace, scan_traces, trace_files

__all__ = ["MCPState", "Redaction", "TraceOptions", "read_trace", "redact_bytes", "scan_trace", "scan_traces",
           "trace_files"]
