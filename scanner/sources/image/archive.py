"""Where an image's files live: a directory (OCI layout, unpacked ``docker save``) or a tar archive.

Names are resolved inside the archive only: absolute names, ``..`` and links that lead out of the
archive are refused (:class:`HostileError`), so a crafted image can never make Veil read a host file.
A compressed archive (``docker save | gzip``) is decompressed once, bounded, into an anonymous
temporary file; layer files are never written to disk.
"""

from __future__ import annotations

import os
import posixpath
import tarfile
import tempfile
from dataclasses import dataclass
from typing import IO

from ..compress import DECOMPRESS_ERRORS, Limits, copy_bounded, decompressed

MAX_LINK_HOPS = 8
MAX_JSON = 16 * 1024**2


class HostileError(Exception):
    """A name or link that points outside the archive."""


class MissingError(Exception):
    """A name the archive does not hold."""


@dataclass(frozen=True, slots=True)
class BlobRef:
    """Bytes ``[offset, offset + size)`` of a file on disk: picklable, so a worker process can open it."""

    file: str
    offset: int
    size: int


class Window:
    """A read-only view of ``size`` bytes of a file from ``offset``; short when the file is truncated."""

    def __init__(self, ref: BlobRef):
        self._handle = open(ref.file, "rb")  # noqa: SIM115 - closed by close()
        self._handle.seek(ref.offset)
        self._left = ref.size

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if size < 0 else min(size, self._left)
        data = self._handle.read(size)
        self._left -= len(data)
        if not data:
            self._left = 0
        return data

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> Window:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def clean_name(name: str) -> str:
    """An archive member name as a relative POSIX path (``./a//b/`` → ``a/b``); raise if it escapes."""
    if name.startswith("/"):
        raise HostileError(f"absolute member name {name!r}")
    norm = posixpath.normpath(name)
    if norm == ".." or norm.startswith("../"):
        raise HostileError(f"member name {name!r} escapes the archive")
    return "" if norm == "." else norm


class Archive:
    """The files of an image archive, by relative name; ``notes`` lists problems met while opening it."""

    label: str
    notes: list[tuple[str, bool]]  # (problem, hostile)

    def locate(self, name: str) -> BlobRef:
        raise NotImplementedError

    def exists(self, name: str) -> bool:
        try:
            self.locate(name)
        except (HostileError, MissingError):
            return False
        return True

    def read(self, name: str, limit: int = MAX_JSON) -> bytes:
        """A small file (manifest, config) read whole; raise ValueError when over ``limit``."""
        ref = self.locate(name)
        if ref.size > limit:
            raise ValueError(f"{name} is {ref.size} bytes, over the {limit}-byte limit for metadata")
        with Window(ref) as window:
            data = window.read()
        if len(data) < ref.size:
            raise ValueError(f"{name} is truncated ({len(data)} of {ref.size} bytes)")
        return data

    def close(self) -> None:
        pass


class DirArchive(Archive):
    """An OCI image layout or an unpacked ``docker save`` in a directory."""

    def __init__(self, root: str):
        self.label = root
        self.notes = []
        self._root = os.path.realpath(root)

    def locate(self, name: str) -> BlobRef:
        path = os.path.join(self._root, clean_name(name))
        real = os.path.realpath(path)
        if real != self._root and not real.startswith(self._root + os.sep):
            raise HostileError(f"{name} links out of the image directory")
        if not os.path.isfile(real):
            raise MissingError(f"{name} is not in the image")
        return BlobRef(real, 0, os.path.getsize(real))


class TarArchive(Archive):
    """A ``docker save`` tarball or an OCI archive; members are located by seeking, never extracted."""

    def __init__(self, path: str, limits: Limits):
        self.label = path
        self.notes = []
        self._spool: IO[bytes] | None = None
        self._file = path
        with open(path, "rb") as handle:
            kind, stream = decompressed(handle, limits)
            if kind is not None:
                self._spool = tempfile.NamedTemporaryFile(prefix="veil-image-", suffix=".tar")  # noqa: SIM115
                try:
                    copy_bounded(stream, self._spool)
                except DECOMPRESS_ERRORS as exc:
                    self.notes.append((f"the {kind} archive is damaged ({exc}); reading what came before", False))
                except BaseException:
                    self._spool.close()
                    raise
                self._spool.flush()
                self._file = self._spool.name
        self._members: dict[str, tarfile.TarInfo] = {}
        self._index()

    def _index(self) -> None:
        try:
            tar = tarfile.open(self._file, "r:")  # noqa: SIM115 - closed below
        except tarfile.TarError as exc:
            raise ValueError(f"not a tar archive ({exc})") from exc
        with tar:
            try:
                for member in tar:
                    try:
                        self._members[clean_name(member.name)] = member
                    except HostileError as exc:
                        self.notes.append((f"{exc}; ignored", True))
            except (tarfile.TarError, EOFError, OSError) as exc:
                self.notes.append((f"the archive is truncated or damaged after {len(self._members)} members ({exc})",
                                   False))

    def locate(self, name: str) -> BlobRef:
        wanted = clean_name(name)
        for _ in range(MAX_LINK_HOPS):
            member = self._members.get(wanted)
            if member is None:
                raise MissingError(f"{name} is not in the archive")
            if member.isfile():
                return BlobRef(self._file, member.offset_data, member.size)
            if member.issym():
                target = posixpath.join(posixpath.dirname(wanted), member.linkname)
            elif member.islnk():
                target = member.linkname
            else:
                raise MissingError(f"{name} is not a regular file")
            if member.linkname.startswith("/"):
                raise HostileError(f"{wanted} links out of the archive (to {member.linkname})")
            try:
                wanted = clean_name(target)
            except HostileError:
                raise HostileError(f"{wanted} links out of the archive (to {member.linkname})") from None
        raise HostileError(f"{name}: too many links")

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()


def open_archive(path: str, limits: Limits) -> Archive:
    """The archive at ``path``: a directory or a (possibly compressed) tar; ValueError if neither."""
    if os.path.isdir(path):
        return DirArchive(path)
    return TarArchive(path, limits)
