"""Scan an image config: ``Env``, ``Cmd``/``Entrypoint``, ``Labels`` and the build history.

Build arguments leak into ``history[].created_by`` (``|1 TOKEN=… /bin/sh -c …``), ``ENV`` into ``Env``.
Each value is scanned on its own; its place in the config is the finding's ``field``.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from ...engine import Engine
from ...fragment import Fragment
from ...outcome import ScanOutcome, findings_of
from ...suppress import Suppressor

CONFIG_PATH = "<image config>"
_LISTS = ("Env", "Cmd", "Entrypoint", "Shell", "OnBuild")
_SCALARS = ("User", "WorkingDir", "Domainname", "Hostname")
_HISTORY = ("created_by", "comment", "author")


def _quote(key: str) -> str:
    return orjson.dumps(key).decode()


def config_values(config: dict) -> Iterator[tuple[str, str, int | None]]:
    """(field, text to scan, layer index or None) for every secret-bearing string of the config."""
    for section in ("config", "container_config"):
        body = config.get(section)
        if not isinstance(body, dict):
            continue
        for key in _LISTS:
            values = body.get(key)
            if isinstance(values, str):
                values = [values]
            for i, value in enumerate(values if isinstance(values, list) else []):
                if isinstance(value, str):
                    yield f"{section}.{key}[{i}]", value, None
        for key in _SCALARS:
            if isinstance(body.get(key), str) and body[key]:
                yield f"{section}.{key}", body[key], None
        labels = body.get("Labels")
        for label, value in (labels.items() if isinstance(labels, dict) else ()):
            yield f"{section}.Labels[{_quote(str(label))}]", f"{label}={value}", None
    if isinstance(config.get("author"), str):
        yield "author", config["author"], None
    layer = 0
    for i, entry in enumerate(config.get("history") or []):
        if not isinstance(entry, dict):
            continue
        empty = bool(entry.get("empty_layer"))
        layer += 0 if empty else 1
        for key in _HISTORY:
            if isinstance(entry.get(key), str):
                yield f"history[{i}].{key}", entry[key], None if empty else layer


def config_fragments(config: dict, origin: dict) -> Iterator[Fragment]:
    """Every secret-bearing value of ``config`` as a fragment; ``origin`` (image, platform) is extended
    with the field and layer."""
    for field, text, layer in config_values(config):
        where = {**origin, "field": field}
        if layer is not None:
            where["layer"] = layer
        yield Fragment(text.encode("utf-8", "surrogatepass"), CONFIG_PATH, where)


def scan_config(engine: Engine, config: dict, origin: dict, suppressor: Suppressor | None = None) -> ScanOutcome:
    """Findings in ``config``, less those ``suppressor`` drops (the config counts as no file read)."""
    outcome = ScanOutcome()
    for fragment in config_fragments(config, origin):
        outcome.add(findings_of(engine.scan(fragment.data), fragment.path, fragment.origin, suppressor))
    return outcome
