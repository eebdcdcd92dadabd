"""Real LangChain run JSON (the LangSmith run shape): a fake chat model that calls a tool, and the tool run.

Writes ``langchain_runs.jsonl``, one run a line (``Run.model_dump(mode="json")`` from
``RunCollectorCallbackHandler``). Run in a side venv with ``langchain-core`` installed.
"""

import json
import os
import sys

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langchain_core.tracers.run_collector import RunCollectorCallbackHandler

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
GITHUB_PAT = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
AWS_KEY_ID = "AKIABNXJBTFQXKWOVOMP"


@tool
def clone_repo(url: str, token: str) -> str:
    """Clone a private repository."""
    return f"cloned {url}"


reply = AIMessage(content="", tool_calls=[
    {"name": "clone_repo", "args": {"url": "https://github.com/acme/app", "token": GITHUB_PAT}, "id": "call_1"}])
model = GenericFakeChatModel(messages=iter([reply]))
collector = RunCollectorCallbackHandler()
message = model.invoke(f"Clone acme/app; my AWS key is {AWS_KEY_ID}", config={"callbacks": [collector]})
clone_repo.invoke(message.tool_calls[0]["args"], config={"callbacks": [collector]})
with open(os.path.join(OUT, "langchain_runs.jsonl"), "w") as out:
    for run in collector.traced_runs:
        out.write(json.dumps(run.model_dump(mode="json")) + "\n")
