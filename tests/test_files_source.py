"""The file source: reading, and skips with reasons."""

from __future__ import annotations

import os

import pytest

from scanner.sources.files import FileItem, Skip, read_file, walk


def test_read_file_explains_unreadable_paths(tmp_path):
    result = read_file(FileItem(str(tmp_path), "somewhere"), 1024)
    assert isinstance(result, Skip) and result.kind == "unreadable" and result.path == "somewhere"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_read_file_without_permission(tmp_path):
    target = tmp_path / "locked.txt"
    target.write_text("x")
    target.chmod(0)
    assert read_file(FileItem(str(target), "locked.txt"), 1024).kind == "unreadable"


def test_undecodable_bytes_are_scanned_not_skipped(tmp_path):
    target = tmp_path / "latin1.txt"
    target.write_bytes(b"caf\xe9 \xff\xfe token\n")
    assert read_file(FileItem(str(target), "latin1.txt"), 1024) == b"caf\xe9 \xff\xfe token\n"


def test_walk_order_is_stable_and_fifos_are_ignored(tmp_path):
    for name in ("b.txt", "a.txt", "c/d.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    os.mkfifo(tmp_path / "pipe")
    paths = [i.path for i in walk([str(tmp_path)])]
    assert paths == [os.path.join(str(tmp_path), p) for p in ("a.txt", "b.txt", "c/d.txt")]
