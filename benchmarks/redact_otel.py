"""Added cost per span of Veil's OpenTelemetry doors: a span with 10 attributes, started and ended.

    python benchmarks/redact_otel.py [--rounds 7] [--number 5000] [--write]

Each pipeline exports through a SimpleSpanProcessor to an exporter that does nothing, so the
figures are the SDK's own cost plus Veil's. Variants run interleaved, round after round.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import timeit

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

from scanner.redact.otel import RedactingSpanExporter, SecretSpanProcessor

PAT = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
ATTRIBUTES = {
    "gen_ai.operation.name": "chat",
    "gen_ai.request.model": "small-v2",
    "gen_ai.usage.input_tokens": 512,
    "gen_ai.usage.output_tokens": 128,
    "http.request.method": "POST",
    "server.address": "api.example.com",
    "url.path": "/v1/chat/completions",
    "agent.step": 42,
    "agent.tool": "web_search",
    "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"weather in paris tomorrow?"}]}]',
}


class Discard(SpanExporter):
    def export(self, spans):
        return SpanExportResult.SUCCESS


def _tracer(kind: str):
    provider = TracerProvider()
    if kind == "processor in front":
        provider.add_span_processor(SecretSpanProcessor())
        provider.add_span_processor(SimpleSpanProcessor(Discard()))
    elif kind == "processor wrapping":
        provider.add_span_processor(SecretSpanProcessor(SimpleSpanProcessor(Discard())))
    elif kind == "exporter wrapper":
        provider.add_span_processor(SimpleSpanProcessor(RedactingSpanExporter(Discard())))
    else:
        provider.add_span_processor(SimpleSpanProcessor(Discard()))
    return provider.get_tracer("bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--number", type=int, default=5000)
    parser.add_argument("--write", action="store_true", help="update the Redaction section of RESULTS.md")
    args = parser.parse_args()
    dirty = {**ATTRIBUTES, "gen_ai.input.messages": ATTRIBUTES["gen_ai.input.messages"].replace("tomorrow", PAT)}
    kinds = ["no redaction", "processor in front", "processor wrapping", "exporter wrapper"]
    variants = {}
    for kind in kinds:
        tracer = _tracer(kind)
        for label, attrs in (("clean", ATTRIBUTES), ("1 secret", dirty)):
            variants[(kind, label)] = lambda t=tracer, a=attrs: t.start_span("chat small-v2", attributes=a).end()
    for fn in variants.values():
        fn()
    runs: dict[tuple[str, str], list[float]] = {key: [] for key in variants}
    for _ in range(args.rounds):
        for key, fn in variants.items():
            runs[key].append(timeit.timeit(fn, number=args.number) / args.number * 1e6)
    best = {k: min(v) for k, v in runs.items()}
    median = {k: statistics.median(v) for k, v in runs.items()}
    rows = [
        "| pipeline | attributes | µs/span (best) | µs/span (median) | added vs no redaction (best / median) |",
        "|---|---|---:|---:|---:|",
    ]
    for (kind, label), value in best.items():
        ref = ("no redaction", label)
        added = (
            ""
            if kind == "no redaction"
            else (f"{value - best[ref]:+.1f} µs / {median[(kind, label)] - median[ref]:+.1f} µs")
        )
        rows.append(f"| {kind} | {label} | {value:.1f} | {median[(kind, label)]:.1f} | {added} |")
    table = "\n".join(rows)
    print(table)
    if args.write:
        from redact_results import write_subsection

        write_subsection(
            "OpenTelemetry (`benchmarks/redact_otel.py`)",
            (
                "One span with 10 attributes (strings, ints, a GenAI messages JSON), started and ended, "
                "SimpleSpanProcessor to a discarding exporter; opentelemetry-sdk, "
                f"Python {sys.version.split()[0]}; {args.rounds} interleaved rounds of {args.number} spans.\n\n" + table
            ),
        )


if __name__ == "__main__":
    main()
