"""The MCP server of ``mcp_transcript.py``: one ``deploy`` tool that echoes the token it was given."""

from mcp.server.mcpserver import MCPServer

server = MCPServer("ops")


@server.tool()
def deploy(service: str, token: str) -> dict:
    """Deploy a service."""
    return {"service": service, "status": "deployed", "used_token": token}


server.run("stdio")
