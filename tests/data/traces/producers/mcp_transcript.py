"""Real MCP JSON-RPC stdio transcript: ``ClientSession`` calls a tool of ``mcp_server.py`` with a secret.

Both pipes go through ``tee``, giving ``mcp_client_to_server.jsonl`` and ``mcp_server_to_client.jsonl``
(newline-delimited JSON-RPC 2.0). Run in a side venv with ``mcp`` installed.
"""

import asyncio
import os
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

OUT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
HERE = os.path.dirname(os.path.abspath(__file__))
GITHUB_PAT = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"


async def main():
    c2s, s2c = os.path.join(OUT, "mcp_client_to_server.jsonl"), os.path.join(OUT, "mcp_server_to_client.jsonl")
    command = f"tee -a {c2s} | {sys.executable} {HERE}/mcp_server.py | tee -a {s2c}"
    params = StdioServerParameters(command="sh", args=["-c", command])
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        await session.list_tools()
        await session.call_tool("deploy", {"service": "billing", "token": GITHUB_PAT})


asyncio.run(main())
