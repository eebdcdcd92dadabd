"""Real OpenAI Agents SDK trace export: a fake Model calls a function tool with a secret argument.

Writes ``openai_agents_trace.jsonl`` (``trace.export()`` / ``span.export()`` dicts, one a line).
Run in a side venv with ``openai-agents`` installed; ``OPENAI_API_KEY=sk-dummy``.
"""

import asyncio
import json
import os
import sys

from agents import Agent, ModelResponse, Runner, Usage, function_tool, set_trace_processors
from agents.models.interface import Model
from agents.tracing import generation_span
from agents.tracing.processor_interface import TracingProcessor
from openai.types.responses import ResponseFunctionToolCall, ResponseOutputMessage, ResponseOutputText

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
GITHUB_PAT = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
AWS_KEY_ID = "AKIABNXJBTFQXKWOVOMP"


class Collector(TracingProcessor):
    def __init__(self, path):
        self.out = open(path, "w")  # noqa: SIM115 - closed in shutdown()

    def on_trace_start(self, trace):
        pass

    def on_trace_end(self, trace):
        self.out.write(json.dumps(trace.export()) + "\n")

    def on_span_start(self, span):
        pass

    def on_span_end(self, span):
        self.out.write(json.dumps(span.export()) + "\n")

    def shutdown(self):
        self.out.close()

    def force_flush(self):
        self.out.flush()


class FakeModel(Model):
    def __init__(self):
        self.turn = 0

    async def get_response(self, system_instructions, input, model_settings, tools, output_schema, handoffs,
                           tracing, *, previous_response_id=None, conversation_id=None, prompt=None):
        self.turn += 1
        with generation_span(input=input if isinstance(input, list) else [{"role": "user", "content": input}],
                             model="fake-model") as span:
            span.span_data.output = [{"role": "assistant", "content": f"turn {self.turn}"}]
        if self.turn == 1:
            call = ResponseFunctionToolCall(
                type="function_call", call_id="call_1", name="store_credentials", status="completed",
                arguments=json.dumps({"aws_access_key_id": AWS_KEY_ID, "note": "rotate monthly"}),
            )
            return ModelResponse(output=[call], usage=Usage(), response_id=None)
        text = ResponseOutputText(type="output_text", text="Stored.", annotations=[])
        msg = ResponseOutputMessage(id="msg_1", type="message", role="assistant", status="completed", content=[text])
        return ModelResponse(output=[msg], usage=Usage(), response_id=None)

    def stream_response(self, *args, **kwargs):
        raise NotImplementedError


@function_tool
def store_credentials(aws_access_key_id: str, note: str) -> str:
    """Store credentials in the vault."""
    return f"stored {GITHUB_PAT[:4]}… for {note}"


async def main():
    collector = Collector(os.path.join(OUT, "openai_agents_trace.jsonl"))
    set_trace_processors([collector])
    agent = Agent(name="Ops", instructions="You store credentials.", model=FakeModel(), tools=[store_credentials])
    await Runner.run(agent, f"Store my key {AWS_KEY_ID}, token {GITHUB_PAT}")
    collector.shutdown()


asyncio.run(main())
