"""Say which message or tool call leaked, for the trace formats agents write.

Each describer looks at the path from the record's root to the leaking string and returns the
origin fields it can name: ``framework``, ``span`` (span, run or event name), ``message`` and ``tool``.
Known formats: OpenTelemetry GenAI conventions in OTLP JSON (plus OpenLLMetry/Traceloop and
OpenInference attribute names), LangChain/LangSmith runs, OpenAI Agents SDK traces, OpenAI
chat-completion requests/responses (and Batch lines), and MCP JSON-RPC messages.
"""

from __future__ import annotations

from typing import Any

import regex

from .walk import Loc, chain

Steps = list[tuple[Any, Any]]  # (label, node) from the root down; decoding steps have label None

_INDEXED = regex.compile(
    r"^(?P<base>gen_ai\.(?P<kind>prompt|completion)|llm\.(?P<kind>input|output)_messages)\.(?P<i>\d+)\.(?P<rest>.+)$"
)
_TOOL_CALL = regex.compile(r"tool_calls\.(?P<j>\d+)\.(?:tool_call\.)?(?:function\.)?(?P<field>\w+)$")
_GENAI_FIXED = {
    "gen_ai.system_instructions": "system instructions",
    "gen_ai.tool.definitions": "tool definitions",
    "gen_ai.tool.call.arguments": "tool call arguments",
    "gen_ai.tool.call.result": "tool call result",
    "gen_ai.retrieval.query.text": "retrieval query",
    "gen_ai.retrieval.documents": "retrieved documents",
    "gen_ai.prompt": "prompt",
    "gen_ai.completion": "completion",
    "traceloop.entity.input": "entity input",
    "traceloop.entity.output": "entity output",
    "input.value": "input",
    "output.value": "output",
}


class MCPState:
    """Remembers ``tools/call`` requests by id, so a result can name its tool."""

    def __init__(self) -> None:
        self.calls: dict[Any, str] = {}

    def see(self, record: Any) -> None:
        if type(record) is dict and record.get("method") == "tools/call" and "id" in record:
            params = record.get("params")
            if isinstance(params, dict) and isinstance(params.get("name"), str):
                self.calls[_id_key(record["id"])] = params["name"]


def _id_key(value: Any) -> Any:
    return value if isinstance(value, str | int) else repr(value)


def describe(loc: Loc, mcp: MCPState | None = None) -> dict[str, str]:
    """Origin fields naming the message/tool that holds the string at ``loc`` ({} if no format is known)."""
    steps: Steps = [(step[1], step[2]) for step in chain(loc)]
    root = steps[0][1]
    try:
        for describer in (_otlp, _mcp, _agents, _langsmith, _chat):
            found = describer(steps, root, mcp)
            if found:
                return {k: v for k, v in found.items() if v not in (None, "")}
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        pass
    return {}


# ---------------------------------------------------------------------------------------------- helpers


def _labels(steps: Steps) -> list[Any]:
    return [label for label, _ in steps]


def _after(steps: Steps, label: Any, start: int = 0) -> int:
    """The position just after the first step labelled ``label`` (from ``start``), or -1."""
    for i in range(start, len(steps)):
        if steps[i][0] == label:
            return i + 1
    return -1


def _as_dict(node: Any) -> Any:
    """An OTLP key-value list (a structured GenAI message or part) as a plain dict of its values."""
    if isinstance(node, list) and node and all(isinstance(i, dict) and "key" in i for i in node):
        return {i["key"]: _attr(node, i["key"]) for i in node}
    return node


def _role(message: Any) -> str:
    message = _as_dict(message)
    if not isinstance(message, dict):
        return ""
    role = message.get("role") or message.get("type") or ""
    if not role and isinstance(message.get("kwargs"), dict):
        role = message["kwargs"].get("type", "")
    return str(role)


def _message_at(steps: Steps, pos: int, prefix: str) -> dict[str, str]:
    """``steps[pos]`` is a message of a list: name it, and the tool call below it, if any."""
    if pos <= 0 or pos >= len(steps) or type(steps[pos][0]) is not int:
        return {"message": prefix}
    index, message = steps[pos]
    role = _role(message)
    out = {"message": f"{prefix} {index}" + (f" ({role})" if role else "")}
    tool = _tool_below(steps, pos)
    if tool:
        out["tool"] = tool
    return out


def _tool_below(steps: Steps, start: int) -> str:
    """The name of the innermost tool call on the path from ``start`` down."""
    name = ""
    for _, node in steps[start:]:
        node = _as_dict(node)
        if not isinstance(node, dict):
            continue
        if node.get("type") in ("tool_call", "function_call", "function", "tool_use") and isinstance(
                node.get("name"), str):
            name = node["name"]
        elif isinstance(node.get("function"), dict) and isinstance(node["function"].get("name"), str):
            name = node["function"]["name"]
        elif "args" in node and isinstance(node.get("name"), str):
            name = node["name"]
    return name


def _attr(attributes: Any, key: str) -> Any:
    """The plain value of OTLP attribute ``key`` in an attribute list."""
    for item in attributes if isinstance(attributes, list) else ():
        if isinstance(item, dict) and item.get("key") == key:
            value = item.get("value")
            if isinstance(value, dict) and len(value) == 1:
                return next(iter(value.values()))
            return value
    return None


# ---------------------------------------------------------------------------------------------- OTLP


def _otlp(steps: Steps, root: Any, _mcp: MCPState | None) -> dict[str, str]:
    if not isinstance(root, dict) or not ({"resourceSpans", "resourceLogs", "resource_spans", "resource_logs"}
                                          & root.keys()):
        return {}
    labels = _labels(steps)
    out: dict[str, str] = {"framework": "otlp"}
    owner: Any = None  # the span or log record
    for marker in ("spans", "logRecords", "log_records"):
        pos = _after(steps, marker)
        if pos > 0 and pos < len(steps):
            owner = steps[pos][1]
            if marker == "spans":
                out["span"] = owner.get("name", "")
            else:
                out["event"] = owner.get("eventName") or _attr(owner.get("attributes"), "event.name") or ""
            break
    event_pos = _after(steps, "events")
    if event_pos > 0 and event_pos < len(steps) and isinstance(steps[event_pos][1], dict):
        out["event"] = steps[event_pos][1].get("name", "")
    if owner is None:
        return out
    attributes = owner.get("attributes")
    attr_pos = _after(steps, "attributes", event_pos if event_pos > 0 else 0)
    name = labels[attr_pos] if 0 < attr_pos < len(labels) else None
    genai = _genai(steps, attr_pos, name, attributes, out)
    if not genai:  # a deprecated per-message event: content in its body or its attributes
        anchor = _after(steps, "body") if "body" in labels else attr_pos
        genai = _legacy_event(steps, anchor, out.get("event", ""))
    if genai:
        out.update(genai)
        out["framework"] = "otel-genai"
    return out


def _genai(steps: Steps, pos: int, name: Any, attributes: Any, out: dict[str, str]) -> dict[str, str]:
    if not isinstance(name, str):
        return {}
    if name in ("gen_ai.input.messages", "gen_ai.output.messages"):
        return _message_at(steps, _next_labelled(steps, pos + 1), name.split(".")[1] + " message")
    if name in _GENAI_FIXED:
        found = {"message": _GENAI_FIXED[name]}
        if name.startswith("gen_ai.tool.call"):
            found["tool"] = _attr(attributes, "gen_ai.tool.name") or ""
        return found
    m = _INDEXED.match(name)
    if m:
        base, i, rest = m["base"], m["i"], m["rest"]
        direction = {"prompt": "input", "completion": "output"}.get(m["kind"], m["kind"])
        role = _attr(attributes, f"{base}.{i}.role") or _attr(attributes, f"{base}.{i}.message.role") or ""
        found = {"message": f"{direction} message {i}" + (f" ({role})" if role else "")}
        call = _TOOL_CALL.search(rest)
        if call:
            prefix = name[: len(name) - len(rest) + call.start()] + f"tool_calls.{call['j']}."
            found["tool"] = (_attr(attributes, prefix + "name") or _attr(attributes, prefix + "function.name")
                             or _attr(attributes, prefix + "tool_call.function.name") or "")
        return found
    if name.startswith(("gen_ai.", "llm.")):
        return {"message": name}
    return {}


def _next_labelled(steps: Steps, pos: int) -> int:
    while 0 < pos < len(steps) and steps[pos][0] is None:
        pos += 1
    return pos


def _legacy_event(steps: Steps, body_pos: int, event: str) -> dict[str, str]:
    """Deprecated per-message events: ``gen_ai.user.message`` … ``gen_ai.choice``, content in the body."""
    if not event.startswith("gen_ai.") or body_pos <= 0:
        return {}
    found = {"message": event.removeprefix("gen_ai.").replace(".", " ")}
    tool = _tool_below(steps, body_pos)
    if tool:
        found["tool"] = tool
    return found


# ---------------------------------------------------------------------------------------------- MCP


def _mcp(steps: Steps, root: Any, mcp: MCPState | None) -> dict[str, str]:
    if not isinstance(root, dict) or root.get("jsonrpc") != "2.0":
        return {}
    labels = _labels(steps)
    out = {"framework": "mcp"}
    method = root.get("method")
    params = root.get("params") if isinstance(root.get("params"), dict) else {}
    if method == "tools/call":
        out["tool"] = params.get("name", "")
        out["message"] = "tools/call arguments" if "arguments" in labels else "tools/call"
    elif isinstance(method, str):
        out["message"] = method
    elif "result" in root or "error" in root:
        kind = "result" if "result" in root else "error"
        tool = mcp.calls.get(_id_key(root.get("id"))) if mcp else None
        if tool:
            out["tool"] = tool
            out["message"] = f"tools/call {kind} (id {root.get('id')})"
        else:
            out["message"] = f"{kind} (id {root.get('id')})"
    return out


# ---------------------------------------------------------------------------------------------- OpenAI Agents SDK


def _agents(steps: Steps, root: Any, _mcp: MCPState | None) -> dict[str, str]:
    if not isinstance(root, dict) or root.get("object") not in ("trace.span", "trace"):
        return {}
    out = {"framework": "openai-agents"}
    if root["object"] == "trace":
        out["span"] = root.get("workflow_name", "")
        out["message"] = "trace metadata"
        return out
    data = root.get("span_data") or {}
    kind = data.get("type", "")
    out["span"] = f"{kind} {data['name']}" if data.get("name") else kind
    labels = _labels(steps)
    pos = _after(steps, "span_data")
    field = labels[pos] if 0 < pos < len(labels) else None
    if kind == "function":
        out["tool"] = data.get("name", "")
        out["message"] = f"function {field}" if field else "function"
    elif kind in ("generation", "response") and field in ("input", "output"):
        out.update(_message_at(steps, _next_labelled(steps, pos + 1), f"{field} message"))
    elif field:
        out["message"] = f"{kind} {field}"
    return out


# ---------------------------------------------------------------------------------------------- LangSmith


def _langsmith(steps: Steps, _root: Any, _mcp: MCPState | None) -> dict[str, str]:
    run_pos = -1
    for i, (_, node) in enumerate(steps):
        if isinstance(node, dict) and "run_type" in node and ("inputs" in node or "outputs" in node):
            run_pos = i
    if run_pos < 0:
        return {}
    run = steps[run_pos][1]
    run_type, name = run.get("run_type", ""), run.get("name", "")
    out = {"framework": "langsmith", "span": f"{run_type} {name}".strip()}
    if run_pos + 1 >= len(steps):
        return out
    field = steps[run_pos + 1][0]
    labels = _labels(steps)[run_pos + 2:]
    if run_type == "tool" and field in ("inputs", "outputs"):
        out["tool"] = name
        out["message"] = f"tool {field.removesuffix('s')}"
        return out
    if field == "inputs" and labels[:1] == ["prompts"] and len(labels) > 1:
        out["message"] = f"prompt {labels[1]}"
    elif field == "inputs" and labels[:1] == ["messages"]:
        pos = run_pos + 3
        if pos < len(steps) and isinstance(steps[pos][1], list):
            pos += 1  # messages is a list of conversations
        out.update(_message_at(steps, pos, "input message"))
    elif field == "outputs" and labels[:1] == ["generations"]:
        idx = [x for x in labels[1:3] if type(x) is int]
        out["message"] = "generation " + ".".join(map(str, idx))
        tool = _tool_below(steps, run_pos + 2)
        if tool:
            out["tool"] = tool
    elif isinstance(field, str):
        out["message"] = field
    return out


# ---------------------------------------------------------------------------------------------- OpenAI chat


def _chat(steps: Steps, _root: Any, _mcp: MCPState | None) -> dict[str, str]:
    labels = _labels(steps)
    for i in range(len(steps) - 1):
        label, node = steps[i + 1]
        parent = steps[i][1]
        if not isinstance(parent, dict) or type(label) is not str:
            continue
        if label == "messages" and isinstance(node, list):
            out = {"framework": "openai-chat"}
            out.update(_message_at(steps, i + 2, "message"))
            return out
        if label == "choices" and isinstance(node, list):
            out = {"framework": "openai-chat"}
            if i + 2 < len(steps) and type(labels[i + 2]) is int:
                out["message"] = f"choice {labels[i + 2]} (assistant)"
                tool = _tool_below(steps, i + 2)
                if tool:
                    out["tool"] = tool
            return out
    return {}
