"""``veil trace``: real OTLP JSON from the OpenTelemetry SDK's file exporters, and samples of each agent
framework's format produced by the real SDKs (``tests/data/traces/producers/``): exact findings,
JSON paths, JSON Lines record numbers, and the message or tool that leaked."""

from __future__ import annotations

import base64
import gzip
import json
import logging
import warnings
from pathlib import Path

import pytest

from scanner.engine import Engine
from scanner.ruleset import RuleSet, default_rules, parse_rules
from scanner.sources.trace import MCPState, TraceOptions, scan_trace
from scanner.sources.trace import runner as trace_runner
from scanner.sources.trace.hits import hits
from scanner.sources.trace.records import Record
from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2

DATA = Path(__file__).parent / "data" / "traces"
STABLE = ("github-pat", "aws-access-key-id")
RULES = RuleSet([r for r in default_rules() if r.id in STABLE])
KEYS = ("record_line", "json_path", "framework", "span", "event", "message", "tool")


def scan(path, rules=RULES, **options) -> list[tuple]:
    outcome = scan_trace(str(path), rules, TraceOptions(jobs=1, **options))
    return [(f.rule_id, f.line, f.column, {k: f.origin[k] for k in KEYS if k in f.origin})
            for f in outcome.findings if f.rule_id in STABLE]


# ---------------------------------------------------------------------------------------------- OTel SDK


@pytest.fixture(scope="module")
def otlp(tmp_path_factory) -> tuple[Path, Path]:
    """Spans and log records written by the real OTLP JSON file exporters, one request per line."""
    from opentelemetry.exporter.otlp.json.file import FileSpanExporter
    from opentelemetry.exporter.otlp.json.file._log_exporter import FileLogExporter
    from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
    from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor

    work = tmp_path_factory.mktemp("otlp")
    traces, logs = work / "traces.jsonl", work / "logs.jsonl"
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(FileSpanExporter(str(traces))))
    tracer = provider.get_tracer("agent")
    with tracer.start_as_current_span("invoke_agent ops") as agent:
        agent.set_attribute("gen_ai.operation.name", "invoke_agent")
        with tracer.start_as_current_span("execute_tool deploy") as span:
            span.set_attribute("gen_ai.tool.name", "deploy")
            span.set_attribute("gen_ai.tool.call.arguments",
                               json.dumps({"command": f"deploy --token {GITHUB_PAT}", "dry_run": False}))
            span.set_attribute("gen_ai.tool.call.result", f"ok\nused key {AWS_KEY_ID}")
        with tracer.start_as_current_span("chat gpt-4o") as span:
            span.set_attribute("gen_ai.prompt.0.role", "user")
            span.set_attribute("gen_ai.prompt.0.content", f"my key is {AWS_KEY_ID}")
            span.set_attribute("llm.output_messages.0.message.tool_calls.0.tool_call.function.name", "clone")
            span.set_attribute("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments",
                               json.dumps({"token": GITHUB_PAT_2}))
            span.set_attribute("http.request.body", f"token={GITHUB_PAT}".encode())  # → base64 bytesValue
            span.add_event("gen_ai.user.message", {"content": f"use {GITHUB_PAT_2}"})
    provider.shutdown()

    logger_provider = LoggerProvider()
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(FileLogExporter(str(logs))))
    log = logging.getLogger("veil-test-otlp")
    log.propagate = False
    with warnings.catch_warnings():  # the SDK's handler is deprecated in favour of an instrumentation package
        warnings.simplefilter("ignore", DeprecationWarning)
        log.addHandler(LoggingHandler(logger_provider=logger_provider))
    log.warning("connecting with %s", GITHUB_PAT, extra={"aws.key": AWS_KEY_ID})
    logger_provider.shutdown()
    return traces, logs


SPANS = "resourceSpans[0].scopeSpans[0].spans[0]"


def test_otlp_spans_from_the_sdk(otlp):
    traces, _ = otlp
    assert len(traces.read_text().splitlines()) == 3  # SimpleSpanProcessor: one request per span
    assert scan(traces) == [
        ("github-pat", 1, 16, {"record_line": 1, "framework": "otel-genai", "span": "execute_tool deploy",
                               "json_path": f'{SPANS}.attributes["gen_ai.tool.call.arguments"].command',
                               "message": "tool call arguments", "tool": "deploy"}),
        ("aws-access-key-id", 2, 10, {"record_line": 1, "framework": "otel-genai", "span": "execute_tool deploy",
                                      "json_path": f'{SPANS}.attributes["gen_ai.tool.call.result"]',
                                      "message": "tool call result", "tool": "deploy"}),
        ("aws-access-key-id", 1, 11, {"record_line": 2, "framework": "otel-genai", "span": "chat gpt-4o",
                                      "json_path": f'{SPANS}.attributes["gen_ai.prompt.0.content"]',
                                      "message": "input message 0 (user)"}),
        ("github-pat", 1, 1, {
            "record_line": 2, "framework": "otel-genai", "span": "chat gpt-4o", "message": "output message 0",
            "tool": "clone", "json_path": f'{SPANS}.attributes["llm.output_messages.0.message.tool_calls.0.tool_call'
                                          '.function.arguments"].token'}),
        ("github-pat", 1, 7, {"record_line": 2, "framework": "otlp", "span": "chat gpt-4o",
                              "json_path": f'{SPANS}.attributes["http.request.body"]'}),
        ("github-pat", 1, 5, {"record_line": 2, "framework": "otel-genai", "span": "chat gpt-4o",
                              "event": "gen_ai.user.message", "message": "user message",
                              "json_path": f'{SPANS}.events[0].attributes.content'}),
    ]


def test_otlp_logs_from_the_sdk(otlp):
    _, logs = otlp
    record = "resourceLogs[0].scopeLogs[0].logRecords[0]"
    assert scan(logs) == [
        ("github-pat", 1, 17, {"record_line": 1, "framework": "otlp", "json_path": f"{record}.body"}),
        ("aws-access-key-id", 1, 1, {"record_line": 1, "framework": "otlp",
                                     "json_path": f'{record}.attributes["aws.key"]'}),
    ]


# ---------------------------------------------------------------------------------------------- frameworks


def test_openai_v2_genai_span_with_messages_as_a_json_string():
    path = 'resourceSpans[0].scopeSpans[0].spans[0].attributes["gen_ai.{}.messages"]'
    common = {"record_line": 1, "framework": "otel-genai", "span": "chat gpt-4o-mini"}
    assert scan(DATA / "openai_genai_traces.jsonl") == [
        ("github-pat", 1, 22, {**common, "json_path": path.format("input") + "[1].parts[0].content",
                               "message": "input message 1 (user)"}),
        ("aws-access-key-id", 1, 1, {**common, "json_path": path.format("output") + "[0].parts[0].arguments"
                                     ".aws_access_key_id", "message": "output message 0 (assistant)",
                                     "tool": "deploy"}),
    ]


def test_openai_v2_genai_event_with_structured_messages():
    path = 'resourceLogs[0].scopeLogs[0].logRecords[0].attributes["gen_ai.{}.messages"]'
    common = {"record_line": 1, "framework": "otel-genai", "event": "gen_ai.client.inference.operation.details"}
    assert scan(DATA / "openai_genai_logs.jsonl") == [
        ("github-pat", 1, 22, {**common, "json_path": path.format("input") + "[1].parts[0].content",
                               "message": "input message 1 (user)"}),
        ("aws-access-key-id", 1, 1, {**common, "json_path": path.format("output") + "[0].parts[0].arguments"
                                     ".aws_access_key_id", "message": "output message 0 (assistant)",
                                     "tool": "deploy"}),
    ]


def test_openai_chat_completion_log():
    assert scan(DATA / "openai_chat_log.jsonl") == [
        ("github-pat", 1, 22, {"record_line": 1, "json_path": "request.messages[1].content",
                               "framework": "openai-chat", "message": "message 1 (user)"}),
        ("aws-access-key-id", 1, 1, {"record_line": 1, "framework": "openai-chat", "tool": "deploy",
                                     "json_path": "response.choices[0].message.tool_calls[0].function.arguments"
                                                  ".aws_access_key_id", "message": "choice 0 (assistant)"}),
    ]


def test_openai_batch_output_line(tmp_path):
    call = {"id": "c1", "type": "function", "function": {"name": "login", "arguments": f'{{"pat": "{GITHUB_PAT}"}}'}}
    line = {"id": "batch_req_1", "custom_id": "r1", "response": {"status_code": 200, "body": {
        "choices": [{"index": 0, "message": {"role": "assistant", "tool_calls": [call]}}]}}}
    (tmp_path / "batch.jsonl").write_text(json.dumps(line) + "\n")
    assert scan(tmp_path / "batch.jsonl") == [("github-pat", 1, 1, {
        "record_line": 1, "framework": "openai-chat", "message": "choice 0 (assistant)", "tool": "login",
        "json_path": "response.body.choices[0].message.tool_calls[0].function.arguments.pat"})]


def test_openai_agents_sdk_trace():
    common = {"framework": "openai-agents"}
    gen = {**common, "span": "generation", "json_path": "span_data.input[0].content",
           "message": "input message 0 (user)"}
    assert scan(DATA / "openai_agents_trace.jsonl") == [
        ("aws-access-key-id", 1, 14, {"record_line": 1, **gen}),
        ("github-pat", 1, 42, {"record_line": 1, **gen}),
        ("aws-access-key-id", 1, 1, {"record_line": 2, **common, "span": "function store_credentials",
                                     "json_path": "span_data.input.aws_access_key_id", "message": "function input",
                                     "tool": "store_credentials"}),
        ("aws-access-key-id", 1, 14, {"record_line": 4, **gen}),
        ("github-pat", 1, 42, {"record_line": 4, **gen}),
        ("aws-access-key-id", 1, 1, {"record_line": 4, **common, "span": "generation",
                                     "json_path": "span_data.input[1].arguments.aws_access_key_id",
                                     "message": "input message 1 (function_call)", "tool": "store_credentials"}),
    ]


def test_langchain_langsmith_runs():
    llm = {"framework": "langsmith", "span": "llm GenericFakeChatModel", "record_line": 1}
    assert scan(DATA / "langchain_runs.jsonl") == [
        ("aws-access-key-id", 1, 38, {**llm, "json_path": "inputs.prompts[0]", "message": "prompt 0"}),
        ("github-pat", 1, 1, {**llm, "json_path": "outputs.generations[0][0].message.kwargs.tool_calls[0].args.token",
                              "message": "generation 0.0", "tool": "clone_repo"}),
        ("github-pat", 1, 1, {"record_line": 2, "framework": "langsmith", "span": "tool clone_repo",
                              "json_path": "inputs.token", "message": "tool input", "tool": "clone_repo"}),
    ]


def test_langsmith_export_as_one_json_document(tmp_path):
    runs = [json.loads(line) for line in (DATA / "langchain_runs.jsonl").read_text().splitlines()]
    (tmp_path / "runs.json").write_text(json.dumps(runs, indent=2))
    found = scan(tmp_path / "runs.json")
    assert [(r, o["json_path"]) for r, _, _, o in found] == [
        ("aws-access-key-id", "[0].inputs.prompts[0]"),
        ("github-pat", "[0].outputs.generations[0][0].message.kwargs.tool_calls[0].args.token"),
        ("github-pat", "[1].inputs.token"),
    ]
    assert all("record_line" not in o for *_, o in found)


def test_mcp_transcript_names_the_tool_of_a_result(veil):
    c2s, s2c = DATA / "mcp_client_to_server.jsonl", DATA / "mcp_server_to_client.jsonl"
    assert scan(c2s) == [("github-pat", 1, 1, {"record_line": 4, "json_path": "params.arguments.token",
                                               "framework": "mcp", "message": "tools/call arguments",
                                               "tool": "deploy"})]
    run = veil("trace", c2s, s2c, "-f", "json")
    assert run.code == 1
    result = [f["origin"] for f in run.json()["findings"] if f["rule"] == "github-pat" and f["path"] == str(s2c)]
    assert result == [{"record_line": 3, "json_path": "result.content[0].text.used_token", "framework": "mcp",
                       "tool": "deploy", "message": "tools/call result (id 3)"}]


# ---------------------------------------------------------------------------------------------- robustness


def test_broken_lines_are_reported_and_scanned_as_text(veil, tmp_path):
    good = json.dumps({"role": "user", "content": f"key {AWS_KEY_ID}"})
    path = tmp_path / "trace.jsonl"
    path.write_text(f'{good}\n{{"role": "tool", "content": "token {GITHUB_PAT}\n\n{good}')
    outcome = scan_trace(str(path), RULES, TraceOptions(jobs=1))
    assert [(s.kind, s.reason) for s in outcome.skipped] == [
        ("broken-json", "line 2 is not JSON (unexpected end of data at column 76); scanned as plain text")]
    assert scan(path) == [
        ("aws-access-key-id", 1, 5, {"record_line": 1, "json_path": "content"}),
        ("github-pat", 1, 36, {"record_line": 2}),
        ("aws-access-key-id", 1, 5, {"record_line": 4, "json_path": "content"}),
    ]
    run = veil("trace", path)
    assert run.code == 1 and "line 2 is not JSON" in run.err and GITHUB_PAT not in run.out + run.err


def test_plain_text_log_is_scanned_as_text(tmp_path):
    path = tmp_path / "agent.log"
    path.write_text(f"INFO starting\nDEBUG token={GITHUB_PAT}\n")
    outcome = scan_trace(str(path), RULES, TraceOptions(jobs=1))
    assert [(f.rule_id, f.line, f.column, f.origin) for f in outcome.findings] == [("github-pat", 2, 13, {})]
    assert [s.kind for s in outcome.skipped] == ["broken-json"]


def test_json_in_strings_is_decoded_down_to_the_depth_cap(tmp_path):
    value: object = {"secret": GITHUB_PAT}
    for _ in range(6):
        value = {"wrapped": json.dumps(value)}
    (tmp_path / "deep.json").write_text(json.dumps(value) + "\n")
    deep = "wrapped." * 6 + "secret"
    assert [o["json_path"] for *_, o in scan(tmp_path / "deep.json", max_depth=10)] == [deep]
    capped = scan(tmp_path / "deep.json", max_depth=2)
    assert [o["json_path"] for *_, o in capped] == ["wrapped.wrapped.wrapped"]  # the rest scanned as text


def test_gzip_trace_and_base64_blob_part(tmp_path):
    blob = base64.b64encode(f"aws_access_key_id={AWS_KEY_ID}".encode()).decode()
    messages = [{"role": "user", "parts": [{"type": "blob", "mime_type": "text/plain", "content": blob}]}]
    (tmp_path / "t.jsonl.gz").write_bytes(gzip.compress((json.dumps({"gen_ai.input.messages": messages}) + "\n")
                                          .encode()))
    assert scan(tmp_path / "t.jsonl.gz") == [("aws-access-key-id", 1, 19, {
        "record_line": 1, "json_path": '["gen_ai.input.messages"][0].parts[0].content'})]


def test_strings_are_scanned_with_their_key_but_never_across_strings():
    rules = parse_rules("""
[[rules]]
id = "acme"
description = "ACME token after its name"
regex = '''acme[\\s\\S]{0,8}?(tok_[a-z0-9]{12})'''
keywords = ["acme"]
""", "<test>")
    engine = Engine(rules)
    records = [Record(1, {"acme": "tok_abcdef123456"}),                       # the key gives the context
               Record(2, ["acme", "tok_abcdef123456"]),                        # two strings: no match across
               Record(3, {"x": "acme tok_abcdef654321", "y": "acme"})]
    found = [(h.record.line, h.match.secret, h.match.column) for h in hits(engine, records, [])]
    assert found == [(1, "tok_abcdef123456", 1), (3, "tok_abcdef654321", 6)]


def test_large_jsonl_is_split_over_processes(tmp_path, monkeypatch):
    real_chunks = trace_runner.chunks
    monkeypatch.setattr(trace_runner, "PARALLEL_MIN_BYTES", 1000)
    monkeypatch.setattr(trace_runner, "CHUNK_BYTES", 2000)
    lines = [json.dumps({"i": i, "msg": f"key {AWS_KEY_ID}" if i % 50 == 7 else "hello " * 10}) for i in range(400)]
    (tmp_path / "big.jsonl").write_text("\n".join(lines) + "\n")
    submitted: list[tuple] = []
    monkeypatch.setattr(trace_runner, "chunks", lambda handle: submitted.extend(real_chunks(handle)) or submitted)
    outcome = scan_trace(str(tmp_path / "big.jsonl"), RULES, TraceOptions(jobs=2))
    assert len(submitted) > 5 and [f.origin["record_line"] for f in outcome.findings] == [
        i + 1 for i in range(400) if i % 50 == 7]
    assert outcome.files == 1 and outcome.bytes == (tmp_path / "big.jsonl").stat().st_size


def test_missing_file_and_stdin(veil, tmp_path):
    assert veil("trace", tmp_path / "nope.jsonl").code == 2
    run = veil("trace", "-", "-f", "jsonl", stdin=json.dumps({"content": GITHUB_PAT}).encode())
    assert run.code == 1 and json.loads(run.out.splitlines()[0])["origin"]["json_path"] == "content"


def test_mcp_state_is_per_scan():
    state = MCPState()
    state.see({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": "x"}})
    assert state.calls == {9: "x"}


def test_clean_records_are_skipped_but_escapes_are_still_decoded(tmp_path):
    escaped = GITHUB_PAT.replace("g", "\\u0067", 1)  # no "ghp_" keyword in the line's text
    (tmp_path / "t.jsonl").write_text(f'{{"a": "nothing here"}}\n{{"b": "{escaped}"}}\n')
    assert scan(tmp_path / "t.jsonl") == [("github-pat", 1, 1, {"record_line": 2, "json_path": "b"})]


def test_chunks_cut_after_newlines_and_count_lines():
    import io

    data = b"a\nbb\n" + b"x" * 10 + b"\nlast"
    pieces = list(trace_runner.chunks(io.BytesIO(data), 4))
    assert [data[s:e] for s, e, _ in pieces] == [b"a\n", b"bb\n", b"x" * 10 + b"\n", b"last"]
    assert [line for *_, line in pieces] == [1, 2, 3, 4]
