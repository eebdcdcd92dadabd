"""Files, directories and stdin: walk a tree the way a security engineer expects, read files safely.

The walk is iterative (a tree thousands of folders deep is walked, not a ``RecursionError``), skips
what is never source (VCS folders, dependency and cache folders, virtualenvs, ``*.egg-info`` and
setuptools' ``build/``), and never enters a symlinked directory, so a symlink loop cannot trap it.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..fragment import Fragment
from ..outcome import Skip

BINARY_SNIFF = 8192
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
DEFAULT_EXCLUDED_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "bower_components", "__pycache__", ".venv", "venv",
    ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", ".eggs",
})
# What setuptools writes under build/: lib, lib.<platform>, bdist.<platform>, temp.<platform>, scripts-<python>.
_PYTHON_BUILD = re.compile(r"^(?:lib|(?:lib|bdist|temp)\..+|scripts-.+)$")
_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True, slots=True)
class FileItem:
    """A file to scan: where it is on disk, and the path reports show."""

    fs_path: str
    path: str
    named: bool = False  # the user named this file: not scanning it is an error, not a policy skip


@dataclass(frozen=True)
class WalkOptions:
    """``excluded_dirs``: folder names skipped anywhere; ``excluded_paths``: absolute paths of folders
    skipped (a folder named on the command line is scanned all the same)."""

    scan_all: bool = False
    excluded_dirs: frozenset[str] = DEFAULT_EXCLUDED_DIRS
    respect_gitignore: bool = False
    excluded_paths: frozenset[str] = frozenset()

    @classmethod
    def excluding(cls, folders: Iterable[str], base: str, scan_all: bool = False,
                  respect_gitignore: bool = False) -> WalkOptions:
        """The default exclusions plus ``folders``: a name (``node_modules``), or a path holding a ``/``
        (``corpus/``, ``tests/data``) relative to ``base``."""
        paths = {os.path.abspath(os.path.join(base, f)) for f in folders if "/" in f}
        names = {f for f in folders if "/" not in f}
        return cls(scan_all, DEFAULT_EXCLUDED_DIRS | names, respect_gitignore, frozenset(paths))


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def _is_python_build(path: str) -> bool:
    """A ``build/`` folder that setuptools made: copies of the sources, scanned where they came from."""
    try:
        return any(_PYTHON_BUILD.match(name) for name in os.listdir(path))
    except OSError:
        return False


def _excluded(entry: os.DirEntry[str], options: WalkOptions) -> bool:
    """A folder skipped: by name or path, a virtualenv, ``*.egg-info``, or setuptools' ``build/``."""
    if options.scan_all:
        return False
    name = entry.name
    return (name in options.excluded_dirs or name.endswith(".egg-info") or _is_virtualenv(entry.path)
            or (name == "build" and _is_python_build(entry.path))
            or (bool(options.excluded_paths) and os.path.abspath(entry.path) in options.excluded_paths))


def _git_ignored(root: str) -> set[str]:
    """Absolute paths git ignores under ``root`` (empty when ``root`` is not in a work tree)."""
    try:
        out = subprocess.run(
            ["git", "-C", root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
            capture_output=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return set()
    return {os.path.normpath(os.path.join(root, p)) for p in out.decode("utf-8", "surrogateescape").split("\0") if p}


def _inside(path: str, root_real: str) -> bool:
    return path == root_real or path.startswith(root_real.rstrip(os.sep) + os.sep)


def walk(roots: list[str], options: WalkOptions | None = None) -> Iterator[FileItem | Skip]:
    """Every file under ``roots`` (files or directories), in a stable order, with skips explained.

    Symlinked directories are never entered; a symlinked file is scanned only when it points
    inside the tree being scanned. A root that is neither a file nor a directory is an error.
    """
    options = options or WalkOptions()
    for root in roots:
        if os.path.isfile(root):
            yield FileItem(root, os.path.normpath(root), named=True)
        elif os.path.isdir(root):
            ignored = _git_ignored(os.path.abspath(root)) if options.respect_gitignore else set()
            yield from _walk_dir(root, os.path.realpath(root), options, ignored)
        elif os.path.lexists(root):
            yield Skip(root, "unreadable", "not a regular file or directory")
        else:
            yield Skip(root, "missing", "no such file or directory")


def _walk_dir(top: str, root_real: str, options: WalkOptions, ignored: set[str]) -> Iterator[FileItem | Skip]:
    """Depth first, each folder's entries by name: a stack of listings, not recursion."""
    stack: list[Iterator[os.DirEntry[str]]] = []

    def enter(path: str) -> Skip | None:
        try:
            with os.scandir(path) as listing:
                stack.append(iter(sorted(listing, key=lambda e: e.name)))
        except OSError as exc:
            return Skip(os.path.normpath(path), "unreadable", f"cannot list directory: {exc.strerror}")
        return None

    if problem := enter(top):
        yield problem
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        shown = os.path.normpath(entry.path)
        if ignored and os.path.abspath(entry.path) in ignored:
            continue
        try:
            if entry.is_symlink():
                yield from _symlink(entry.path, shown, root_real)
            elif entry.is_dir():
                if not _excluded(entry, options) and (problem := enter(entry.path)):
                    yield problem
            elif entry.is_file():
                yield FileItem(entry.path, shown)
        except OSError as exc:
            yield Skip(shown, "unreadable", exc.strerror or str(exc))


def _symlink(path: str, shown: str, root_real: str) -> Iterator[FileItem | Skip]:
    target = os.path.realpath(path)
    if not os.path.exists(target):
        yield Skip(shown, "symlink", "broken or looping symlink")
    elif os.path.isdir(target):
        return  # never entered: the tree it points into is scanned on its own if it is in scope
    elif not _inside(target, root_real):
        yield Skip(shown, "symlink", "symlink points outside the scanned tree")
    else:
        yield FileItem(path, shown)


def read_file(item: FileItem, max_size: int) -> bytes | Skip:
    """The file's text as UTF-8 bytes (UTF-16 and BOM-marked files decoded), or why it is not scanned
    (too large, binary, unreadable). Not reading a file the user named is an error."""
    try:
        with open(item.fs_path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_size:
                return Skip(item.path, "too-large", f"{size} bytes is over the {max_size}-byte limit (--max-file-size)",
                            error=item.named)
            data = handle.read(max_size + 1)
    except OSError as exc:
        return Skip(item.path, "unreadable", exc.strerror or str(exc))
    if len(data) > max_size:
        return Skip(item.path, "too-large", f"over the {max_size}-byte limit (--max-file-size)", error=item.named)
    text = text_of(data)
    return Skip(item.path, "binary", "binary file") if text is None else text


def fragments(items: Iterable[FileItem], max_size: int) -> Iterator[Fragment | Skip]:
    """Each file's text as a fragment, or why it is not scanned (see :func:`read_file`)."""
    for item in items:
        data = read_file(item, max_size)
        yield data if isinstance(data, Skip) else Fragment(data, item.path)


def text_of(data: bytes) -> bytes | None:
    """``data`` as UTF-8 bytes to scan: a byte-order mark (UTF-8, UTF-16 LE or BE) is dropped and
    UTF-16 decoded, so lines and columns count characters; None when ``data`` is binary."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):]
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            data = data[len(bom):].decode(encoding, "replace").encode()
            break
    return None if b"\0" in data[:BINARY_SNIFF] else data

