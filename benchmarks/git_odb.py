"""Blobs per second: Veil's ``git cat-file --batch`` reader against GitPython's two object databases.

Reads every blob of a repository's object store once (in pack order, the order every reader reads
fastest) with each reader, in alternating rounds, and prints blobs/s and MB/s of the median round and of
the best (the machine's noise inflates the median more than the best):

    python benchmarks/git_odb.py /work/.mirror/pallets+flask/repo --rounds 3

- ``batch``: :class:`scanner.sources.git.repo.BlobReader`, the reader ``veil git`` uses;
- ``gitpython-cmd``: ``git.Repo(path).odb.stream(sha).read()`` (GitCmdObjectDB, GitPython's default:
  a persistent ``cat-file`` asked one object at a time);
- ``gitpython-gitdb``: the same through ``odbt=git.GitDB`` (packs read and deltas applied in Python).
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from binascii import unhexlify
from collections.abc import Callable

import git

from scanner.sources.git.repo import BlobReader, Repo, all_blobs

Reader = Callable[[str, list[str]], int]  # (repository, blob names) -> bytes read


def batch(path: str, names: list[str]) -> int:
    reader = BlobReader(path, max_size=1 << 40)
    try:
        return sum(blob.size for blob in reader.read(names))
    finally:
        reader.close()


def _odb(odbt) -> Reader:
    def read(path: str, names: list[str]) -> int:
        with warnings.catch_warnings():  # GitPython deprecates GitDB ("security and performance issues")
            warnings.simplefilter("ignore", DeprecationWarning)
            repo = git.Repo(path, odbt=odbt)
        try:
            return sum(len(repo.odb.stream(unhexlify(name)).read()) for name in names)
        finally:
            repo.close()

    return read


READERS: dict[str, Reader] = {
    "batch": batch,
    "gitpython-cmd": _odb(git.GitCmdObjectDB),
    "gitpython-gitdb": _odb(git.GitDB),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", help="a repository (bare or not)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--readers", default=",".join(READERS), help="comma-separated: " + ", ".join(READERS))
    args = parser.parse_args()
    names = all_blobs(Repo.open(args.repo))
    chosen = args.readers.split(",")
    times: dict[str, list[float]] = {name: [] for name in chosen}
    sizes: dict[str, int] = {}
    for _ in range(args.rounds):
        for name in chosen:
            start = time.perf_counter()
            sizes[name] = READERS[name](args.repo, names)
            times[name].append(time.perf_counter() - start)
    assert len(set(sizes.values())) == 1, f"readers disagree on the bytes read: {sizes}"
    print(f"{args.repo}: {len(names):,} blobs, {sizes[chosen[0]] / 1e6:,.1f} MB, {args.rounds} rounds")
    for name in chosen:
        for label, seconds in (("median", statistics.median(times[name])), ("best", min(times[name]))):
            print(f"  {name:16} {label:6} {seconds:6.2f} s  {len(names) / seconds:8,.0f} blobs/s  "
                  f"{sizes[name] / 1e6 / seconds:6.1f} MB/s")


if __name__ == "__main__":
    main()
