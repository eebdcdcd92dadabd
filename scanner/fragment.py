"""What every source yields: bytes to scan and where they come from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Fragment:
    """``data`` to scan; ``path``: where reports place it (a file, a blob's id, a file in an image layer,
    ``<image config>``); ``origin``: the source's further coordinates (image and field, staged …), copied
    into each finding's ``origin``."""

    data: bytes
    path: str
    origin: dict = field(default_factory=dict)
