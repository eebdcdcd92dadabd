"""AI-agent traces and logs — JSON, JSON Lines, OTLP JSON — walked string by string, JSON in strings too."""

from .frameworks import MCPState
from .runner import TraceOptions, read_trace, scan_trace, scan_traces, trace_files

__all__ = ["MCPState", "TraceOptions", "read_trace", "scan_trace", "scan_traces", "trace_files"]
