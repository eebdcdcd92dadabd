"""Sniff a blob's or a file's format by its magic bytes and read it decompressed, as a stream, bounded against bombs
(image layers, compressed traces).

Media types lie (skopeo writes uncompressed blobs labelled ``+gzip``), so only the bytes decide.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Protocol

import zstandard

HEAD = 512
_MAGIC = ((b"\x1f\x8b", "gzip"), (b"\x28\xb5\x2f\xfd", "zstd"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"))
DECOMPRESS_ERRORS: tuple[type[BaseException], ...] = (
    EOFError, OSError, ValueError, zlib.error, lzma.LZMAError, zstandard.ZstdError, tarfile.TarError,
)


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class BombError(Exception):
    """The stream expands beyond the limits: a decompression bomb, or a layer too large to scan."""


@dataclass(frozen=True)
class Limits:
    """How far a compressed stream may expand: a ratio (checked past ``ratio_floor`` bytes) and a total."""

    max_ratio: float = 100.0
    ratio_floor: int = 64 * 1024**2
    max_size: int = 8 * 1024**3


def compression_of(head: bytes) -> str | None:
    """``gzip``, ``zstd``, ``bzip2`` or ``xz`` by magic bytes; None for anything else."""
    return next((name for magic, name in _MAGIC if head.startswith(magic)), None)


def is_tar(head: bytes) -> bool:
    """A tar stream starts with a valid header block (ustar or v7), or with the zero block of an empty tar."""
    if len(head) < HEAD:
        return False
    if head[257:262] == b"ustar" or head[:HEAD] == bytes(HEAD):
        return True
    try:
        tarfile.TarInfo.frombuf(head[:HEAD], "utf-8", "surrogateescape")
    except tarfile.HeaderError:
        return False
    return True


class Chained:
    """``head`` then the rest of ``stream``: a peeked stream put back together."""

    def __init__(self, head: bytes, stream: Readable):
        self._head, self._stream = head, stream

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._stream.read(size)
        if size < 0:
            data, self._head = self._head + self._stream.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        if len(data) < size:
            data += self._stream.read(size - len(data))
        return data


def peek(stream: Readable, size: int = HEAD) -> tuple[bytes, Chained]:
    """The first ``size`` bytes of ``stream`` and a stream that still starts with them."""
    head = b""
    while len(head) < size:
        chunk = stream.read(size - len(head))
        if not chunk:
            break
        head += chunk
    return head, Chained(head, stream)


class Counting:
    """Counts the bytes read through it (the compressed side of a bomb check)."""

    def __init__(self, stream: Readable):
        self._stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.count += len(data)
        return data


class Guarded:
    """The decompressed side: raises :class:`BombError` once the output breaks the limits.

    It reads in pieces (``read1`` where the decompressor has it: a buffered ``read`` drops what it decoded
    when the next part fails), so that when the stream turns out truncated or corrupt, the bytes decoded
    before the damage are still returned; the error is raised on the next read.
    """

    PIECE = 64 * 1024

    def __init__(self, stream: Readable, source: Counting | None, limits: Limits):
        self._read = getattr(stream, "read1", stream.read)
        self._source, self._limits = source, limits
        self._error: BaseException | None = None
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        pieces: list[bytes] = []
        wanted = size if size >= 0 else float("inf")
        got = 0
        while got < wanted:
            try:
                piece = self._read(int(min(wanted - got, self.PIECE)))
            except DECOMPRESS_ERRORS as exc:
                if not pieces:
                    raise
                self._error = exc
                break
            if not piece:
                break
            pieces.append(piece)
            got += len(piece)
            self._check(got)
        self.count += got
        return b"".join(pieces)

    def _check(self, got: int) -> None:
        count = self.count + got
        limits = self._limits
        if count > limits.max_size:
            raise BombError(f"expands past the {limits.max_size}-byte limit")
        if self._source is not None and count > limits.ratio_floor:
            ratio = count / max(1, self._source.count)
            if ratio > limits.max_ratio:
                raise BombError(
                    f"looks like a decompression bomb: {count} bytes from {self._source.count} "
                    f"(ratio {ratio:.0f} > {limits.max_ratio:g})"
                )


def decompressed(stream: Readable, limits: Limits) -> tuple[str | None, Guarded]:
    """Sniff ``stream`` and return (compression or None, the bounded decompressed stream)."""
    head, chained = peek(stream, 8)
    kind = compression_of(head)
    if kind is None:
        return None, Guarded(chained, None, limits)
    source = Counting(chained)
    inner: Readable
    if kind == "gzip":
        inner = gzip.GzipFile(fileobj=source)  # type: ignore[arg-type]
    elif kind == "zstd":
        inner = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)  # type: ignore[arg-type]
    elif kind == "bzip2":
        inner = bz2.BZ2File(source)  # type: ignore[arg-type]
    else:
        inner = lzma.LZMAFile(source)  # type: ignore[arg-type]  # noqa: SIM115
    return kind, Guarded(inner, source, limits)


def copy_bounded(stream: Readable, out: BinaryIO, chunk: int = 1 << 20) -> int:
    """Copy ``stream`` to ``out``; the stream's own guard stops a bomb. Returns the bytes copied."""
    total = 0
    while data := stream.read(chunk):
        out.write(data)
        total += len(data)
    return total
