"""Scan one layer blob as a stream: every regular file in the tar, plus its whiteouts and entry names.

The tar is read with :mod:`tarfile` in stream mode from the (sniffed, bounded) decompressed blob;
nothing is extracted. Links are data, never followed. A damaged layer keeps what was scanned before
the damage, and says where it stopped.
"""

from __future__ import annotations

import posixpath
import tarfile
from collections import Counter
from dataclasses import dataclass, field

from ...engine import Engine
from ...finding import Finding
from ...outcome import Skip, findings_of
from ...suppress import Suppressor
from ..compress import DECOMPRESS_ERRORS, BombError, Limits, decompressed, is_tar, peek
from ..files import text_of
from .archive import BlobRef, HostileError, Window, clean_name

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"
BLOB_PATH = "<layer blob>"
TAR_BUFSIZE = 1 << 20


@dataclass
class LayerScan:
    """What one layer holds: findings (path = the file's path in the image), names, whiteouts, problems."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: Counter[str] = field(default_factory=Counter)  # findings not reported, by reason
    entries: set[str] = field(default_factory=set)
    whiteouts: set[str] = field(default_factory=set)
    opaque: set[str] = field(default_factory=set)
    hostile: list[str] = field(default_factory=list)
    too_large: list[tuple[str, int]] = field(default_factory=list)
    binary: list[str] = field(default_factory=list)
    timeouts: list[Skip] = field(default_factory=list)
    error: str = ""
    files: int = 0
    bytes: int = 0


def _scan_text(engine: Engine, data: bytes, path: str, out: LayerScan, suppressor: Suppressor | None) -> None:
    """Scan a file's text (see :func:`text_of`), or count it as binary."""
    text = text_of(data)
    if text is None:
        out.binary.append(path)
        return
    found = findings_of(engine.scan(text), path, None, suppressor)
    out.findings.extend(found.findings)
    out.suppressed.update(found.suppressed)
    out.timeouts.extend(found.skipped)
    out.files += 1
    out.bytes += len(data)


def scan_layer(engine: Engine, ref: BlobRef, max_file_size: int, limits: Limits,
               suppressor: Suppressor | None = None) -> LayerScan:
    """Scan the layer blob at ``ref``; any failure is recorded in ``error`` with the results so far.
    ``suppressor`` drops the findings the user accepted (by their path in the image)."""
    out = LayerScan()
    try:
        with Window(ref) as window:
            _, stream = decompressed(window, limits)
            head, stream = peek(stream)
            if is_tar(head):
                _scan_tar(engine, stream, max_file_size, out, suppressor)
            else:
                _scan_blob(engine, stream, max_file_size, out, suppressor)
    except BombError as exc:
        out.error = f"{exc}; scanning of this layer stopped there"
    except DECOMPRESS_ERRORS as exc:
        out.error = f"truncated or corrupt ({type(exc).__name__}: {exc}); scanning of this layer stopped there"
    return out


def _scan_blob(engine: Engine, stream, max_file_size: int, out: LayerScan, suppressor: Suppressor | None) -> None:
    """A layer that is not a tar (an attestation's in-toto JSON, say): scan it whole as text."""
    data = stream.read(max_file_size + 1)
    if len(data) > max_file_size:
        out.too_large.append((BLOB_PATH, len(data)))
    elif data:
        _scan_text(engine, data, BLOB_PATH, out, suppressor)


def _scan_tar(engine: Engine, stream, max_file_size: int, out: LayerScan, suppressor: Suppressor | None) -> None:
    with tarfile.open(fileobj=stream, mode="r|", bufsize=TAR_BUFSIZE) as tar:  # type: ignore[call-overload]
        for member in tar:
            try:
                name = clean_name(member.name)
            except HostileError as exc:
                out.hostile.append(f"{exc}; not scanned")
                continue
            parent, base = posixpath.split(name)
            if base == OPAQUE:
                out.opaque.add(parent)
                continue
            if base.startswith(WHITEOUT):
                out.whiteouts.add(posixpath.join(parent, base[len(WHITEOUT):]))
                continue
            if name:
                out.entries.add(name)
            if member.islnk():
                _check_link(member, name, out)
            if not member.isreg():
                continue
            path = "/" + name
            if member.size > max_file_size:
                out.too_large.append((path, member.size))
                continue
            handle = tar.extractfile(member)
            data = handle.read() if handle else b""
            if len(data) < member.size:
                raise EOFError(f"{path} ends after {len(data)} of {member.size} bytes")
            _scan_text(engine, data, path, out, suppressor)


def _check_link(member: tarfile.TarInfo, name: str, out: LayerScan) -> None:
    try:
        clean_name(member.linkname)
    except HostileError:
        out.hostile.append(f"hard link {name!r} points outside the layer (to {member.linkname!r}); not followed")
