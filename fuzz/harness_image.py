"""Image reader: ``scan_image`` on arbitrary bytes saved as an image tarball.

The fuzzer mutates small valid ``docker save`` and OCI archives (``fuzz/seeds/image``). A mutated tar
header fails its checksum and stops ``tarfile`` at once, so for half the inputs (chosen from the bytes)
the harness first repairs every header checksum it can reach, outer tar and inner layer tars alike,
and mutations get past the header check.

``scan_image`` documents that problems become skips, never exceptions. Further defects: a file left
behind in the temporary directory or written into the working directory, peak memory growing past a
bound, a scan longer than the time bound.
"""

from __future__ import annotations

import atexit
import gzip
import os
import resource
import shutil
import tarfile
import tempfile

from scanner.outcome import ScanOutcome
from scanner.ruleset import RuleSet, default_rules
from scanner.sources.image import ImageOptions, scan_image

from .common import MAX_LEN, bounded, choice, defect

RULES = RuleSet([r for r in default_rules() if r.id in ("github-pat", "aws-access-key-id", "private-key-rsa")])
OPTIONS = ImageOptions(jobs=1)
MAX_RSS_GROWTH = 1024 * 1024  # KiB: peak memory may not grow by more than 1 GiB over the whole run
BLOCK = tarfile.BLOCKSIZE

_DIR = tempfile.mkdtemp(prefix="veil-fuzz-image-")
atexit.register(shutil.rmtree, _DIR, True)
_start_rss: int | None = None


def fix_checksums(data: bytes, depth: int = 0) -> bytes:
    """``data`` with the checksum of every tar header reachable from the start recomputed; members
    that hold a tar themselves (layers) are repaired too, one level down."""
    buf = bytearray(data)
    pos = 0
    while pos + BLOCK <= len(buf):
        header = buf[pos:pos + BLOCK]
        if header == bytes(BLOCK):
            break
        buf[pos + 148:pos + 156] = b" " * 8
        buf[pos + 148:pos + 156] = b"%06o\0 " % (sum(buf[pos:pos + BLOCK]) & 0o777777)
        try:
            size = int(bytes(header[124:136]).split(b"\0", 1)[0].strip() or b"0", 8)
        except ValueError:
            break
        body = pos + BLOCK
        end = body + -(-size // BLOCK) * BLOCK
        if depth == 0 and size >= BLOCK and buf[body + 257:body + 262] == b"ustar" and end <= len(buf):
            buf[body:body + size] = fix_checksums(bytes(buf[body:body + size]), depth + 1)
        pos = end
    return bytes(buf)


def _leftovers(before: set[str]) -> list[str]:
    return sorted(set(os.listdir(_DIR)) - before)


def fuzz_one(data: bytes) -> None:
    global _start_rss
    data = data[:MAX_LEN]
    if choice(data, 2):
        data = fix_checksums(data)
    if choice(data, 4, 1) == 0:
        data = gzip.compress(data, mtime=0)  # docker save | gzip
    path = os.path.join(_DIR, "image.tar")
    with open(path, "wb") as handle:
        handle.write(data)
    scratch = tempfile.mkdtemp(dir=_DIR)  # the reader's temporary directory and working directory
    old_tmp, old_cwd = tempfile.tempdir, os.getcwd()
    tempfile.tempdir = scratch
    os.chdir(scratch)
    try:
        with bounded(f"scanning a {len(data)}-byte image"):
            outcome = scan_image(path, RULES, OPTIONS)
        left = os.listdir(scratch)
    finally:
        tempfile.tempdir = old_tmp
        os.chdir(old_cwd)
        shutil.rmtree(scratch, ignore_errors=True)
    if not isinstance(outcome, ScanOutcome):
        defect("bad-outcome", f"scan_image returned {type(outcome).__name__}")
    if left:
        defect("file-left", f"the scan left {left} in its temporary/working directory")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _start_rss = rss if _start_rss is None else _start_rss
    if rss - _start_rss > MAX_RSS_GROWTH:
        defect("memory", f"peak memory grew by {(rss - _start_rss) // 1024} MiB")
