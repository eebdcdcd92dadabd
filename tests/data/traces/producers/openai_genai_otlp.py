"""Real GenAI semconv OTLP JSON: the openai-v2 instrumentation, an OpenAI client, a loopback fake server.

Writes ``openai_genai_traces.jsonl`` and ``openai_genai_logs.jsonl`` (OTLP JSON Lines, file exporters)
and ``openai_chat_log.jsonl`` (the request and response bodies the fake server saw: a chat-completions log).
Run in a side venv: openai opentelemetry-sdk opentelemetry-exporter-otlp-json-file
opentelemetry-instrumentation-openai-v2 "opentelemetry-util-genai==1.1b0".
"""

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

os.environ["OTEL_SEMCONV_STABILITY_OPT_IN"] = "gen_ai_latest_experimental"
os.environ["OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"] = "span_and_event"

from openai import OpenAI  # noqa: E402
from opentelemetry import _logs, trace  # noqa: E402
from opentelemetry.exporter.otlp.json.file import FileSpanExporter  # noqa: E402
from opentelemetry.exporter.otlp.json.file._log_exporter import FileLogExporter  # noqa: E402
from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor  # noqa: E402
from opentelemetry.sdk._logs import LoggerProvider  # noqa: E402
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
GITHUB_PAT = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
AWS_KEY_ID = "AKIABNXJBTFQXKWOVOMP"
chat_log = open(os.path.join(OUT, "openai_chat_log.jsonl"), "w")  # noqa: SIM115 - closed at the end

COMPLETION = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o-mini",
    "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
        "role": "assistant", "content": None,
        "tool_calls": [{"id": "call_1", "type": "function", "function": {
            "name": "deploy", "arguments": json.dumps({"region": "eu-west-1", "aws_access_key_id": AWS_KEY_ID})}}],
    }}],
    "usage": {"prompt_tokens": 20, "completion_tokens": 10, "total_tokens": 30},
}


class Fake(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["content-length"]))
        chat_log.write(json.dumps({"request": json.loads(body), "response": COMPLETION}) + "\n")
        out = json.dumps(COMPLETION).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Fake)
threading.Thread(target=server.serve_forever, daemon=True).start()

tp = TracerProvider()
tp.add_span_processor(SimpleSpanProcessor(FileSpanExporter(os.path.join(OUT, "openai_genai_traces.jsonl"))))
trace.set_tracer_provider(tp)
lp = LoggerProvider()
lp.add_log_record_processor(SimpleLogRecordProcessor(FileLogExporter(os.path.join(OUT, "openai_genai_logs.jsonl"))))
_logs.set_logger_provider(lp)
OpenAIInstrumentor().instrument()

client = OpenAI(base_url=f"http://127.0.0.1:{server.server_port}/v1", api_key="sk-dummy")
client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[
        {"role": "system", "content": "You deploy services."},
        {"role": "user", "content": f"Deploy with my token {GITHUB_PAT} please"},
    ],
    tools=[{"type": "function", "function": {"name": "deploy", "parameters": {"type": "object"}}}],
)
tp.shutdown()
lp.shutdown()
chat_log.close()
server.shutdown()
