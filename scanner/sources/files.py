"""Files, directories and stdin: walk a tree the way a security engineer expects, read files safely."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

BINARY_SNIFF = 8192
DEFAULT_EXCLUDED_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "bower_components", "__pycache__", ".venv", "venv",
    ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", ".eggs",
})


@dataclass(frozen=True, slots=True)
class FileItem:
    """A file to scan: where it is on disk, and the path reports show."""

    fs_path: str
    path: str


@dataclass(frozen=True, slots=True)
class Skip:
    """Something not scanned, and why. ``kind`` is a short tag counted in the scan's statistics."""

    path: str
    kind: str
    reason: str


@dataclass(frozen=True)
class WalkOptions:
    scan_all: bool = False
    excluded_dirs: frozenset[str] = DEFAULT_EXCLUDED_DIRS
    respect_gitignore: bool = False


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


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
    inside the tree being scanned.
    """
    options = options or WalkOptions()
    for root in roots:
        if os.path.isfile(root):
            yield FileItem(root, os.path.normpath(root))
        elif os.path.isdir(root):
            ignored = _git_ignored(os.path.abspath(root)) if options.respect_gitignore else set()
            yield from _walk_dir(root, os.path.realpath(root), options, ignored)
        elif os.path.lexists(root):
            yield Skip(root, "unreadable", "not a regular file or directory")
        else:
            yield Skip(root, "missing", "no such file or directory")


def _walk_dir(top: str, root_real: str, options: WalkOptions, ignored: set[str]) -> Iterator[FileItem | Skip]:
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError as exc:
        yield Skip(os.path.normpath(top), "unreadable", f"cannot list directory: {exc.strerror}")
        return
    for entry in entries:
        shown = os.path.normpath(entry.path)
        if ignored and os.path.abspath(entry.path) in ignored:
            continue
        try:
            if entry.is_symlink():
                yield from _symlink(entry.path, shown, root_real)
            elif entry.is_dir():
                if not options.scan_all and (entry.name in options.excluded_dirs or _is_virtualenv(entry.path)):
                    continue
                yield from _walk_dir(entry.path, root_real, options, ignored)
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
    """The file's bytes, or why it is not scanned (too large, binary, unreadable)."""
    try:
        with open(item.fs_path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_size:
                return Skip(item.path, "too-large", f"{size} bytes is over the {max_size}-byte limit")
            data = handle.read(max_size + 1)
    except OSError as exc:
        return Skip(item.path, "unreadable", exc.strerror or str(exc))
    if len(data) > max_size:
        return Skip(item.path, "too-large", f"over the {max_size}-byte limit")
    if b"\0" in data[:BINARY_SNIFF]:
        return Skip(item.path, "binary", "binary file")
    return data
