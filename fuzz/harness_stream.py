"""Stream redactor: ``ByteStreamRedactor`` (text and JSON Lines) on arbitrary bytes split at arbitrary points.

Defects: an exception escapes; the streamed output differs from ``Redactor.redact_bytes`` of the whole
input, or from the same bytes fed in other chunks; text outside the masks is dropped or changed (so a
line is lost); a secret the engine finds in the input, or a registered known value, is still in the
output in clear (an occurrence the engine does not flag elsewhere in the input may stay); a JSON Lines
stream loses a line or turns a valid JSON line into invalid JSON.
"""

from __future__ import annotations

import functools
import json

import regex

from scanner.redact import ByteStreamRedactor, Redactor

from .common import MAX_LEN, bounded, choice, defect, engine

KNOWN = ("Kn0wn-s3cret-v4lue-0042", "first-line-of-known\nsecond-line-of-known")  # registered known values
MASK = regex.compile(rb"\[REDACTED:[^\]\n]*\]")
NL = b"\n"
MIN_SECRET = 6  # shorter secrets are too common as substrings to check by search


@functools.cache
def redactor() -> Redactor:
    return Redactor(engine("hyperscan"), known_values=KNOWN)


def streamed(data: bytes, cuts: list[int], jsonl: bool = False) -> bytes:
    """The output of a stream fed ``data`` cut at ``cuts``, then closed."""
    stream = ByteStreamRedactor(redactor(), jsonl=jsonl)
    out, pos = [], 0
    for cut in [*cuts, len(data)]:
        out.append(stream.feed(data[pos:cut]))
        pos = cut
    out.append(stream.close())
    return b"".join(out)


def _occurrences(haystack: bytes, needle: bytes) -> list[int]:
    found, at = [], haystack.find(needle)
    while at >= 0:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def check_kept(data: bytes, out: bytes, what: str) -> None:
    """``out`` is ``data`` with some non-empty spans replaced by masks, nothing else changed."""
    if MASK.search(data):
        return  # the input already holds mask text: which masks are new is ambiguous
    pieces = MASK.split(out)
    first, last = pieces[0], pieces[-1]
    if len(pieces) == 1:
        if out != data:
            defect("changed-text", f"{what}: the output differs from the input, yet holds no mask")
        return
    if not data.startswith(first) or not data.endswith(last):
        defect("changed-text", f"{what}: the text before the first or after the last mask changed")
        return
    pos = len(first)
    for piece in pieces[1:-1]:
        at = data.find(piece, pos + 1)  # at least one byte was masked before it
        if at < 0:
            defect("dropped-text", f"{what}: a {len(piece)}-byte stretch between two masks is not in the input")
            return
        pos = at + len(piece)
    if len(data) - len(last) < pos + 1:
        defect("dropped-text", f"{what}: the text between the masks overlaps (a line or a byte was lost)")


def check_no_leak(data: bytes, out: bytes, what: str) -> None:
    """No secret the engine flags in ``data`` and no known value is in ``out`` more often than it
    occurs in ``data`` where the engine does not flag it. Masks are blanked first, so text joined
    across a mask cannot count."""
    blank = MASK.sub(b"\0", out)
    found, skipped = engine("hyperscan").find(data)
    if skipped:
        return
    flagged = [(start, end) for _, _, start, end, *_ in found]
    secrets = {data[start:end] for start, end in flagged}
    for secret in sorted(secrets):
        if len(secret) < MIN_SECRET or b"\0" in secret:
            continue
        free = [at for at in _occurrences(data, secret)
                if not any(at < end and start < at + len(secret) for start, end in flagged)]
        left = _occurrences(blank, secret)
        if len(left) > len(free):
            defect("leak", f"{what}: a {len(secret)}-byte secret is in the output {len(left)} times, "
                           f"unflagged in the input {len(free)} times")
    for value in KNOWN:
        if value.encode() in blank:
            defect("leak-known", f"{what}: a registered known value is in the output")
    decoded = engine("hyperscan").scan(data)
    for m in decoded.matches:
        encoded = data[m.start:m.end]
        if m.decoded and len(encoded) >= MIN_SECRET and encoded in blank and not decoded.skipped:
            defect("leak-decoded", f"{what}: the {m.decoded} text of a {m.rule.id} secret the scanner finds "
                                   "is in the output in clear")


def check_jsonl(data: bytes) -> None:
    """JSON Lines mode keeps every line, keeps valid JSON valid, and does not depend on the chunking."""
    whole = streamed(data, [], jsonl=True)
    split = streamed(data, _cuts(data, 1), jsonl=True)
    check_no_leak(data, whole, "jsonl")
    # Only a true JSON Lines stream is held to these: raw text lines are masked one block at a time,
    # with no hold for a PEM block or a multi-line known value, and a multi-line secret's mask joins lines.
    if not all(_valid(line) for line in data.split(b"\n") if line.strip()):
        return
    if whole != split:
        defect("jsonl-split-mismatch", "the JSON Lines output depends on where the input was split")
    if whole.count(b"\n") != data.count(b"\n"):
        defect("jsonl-lines", f"{data.count(NL)} line breaks in, {whole.count(NL)} out")
        return
    for before, after in zip(data.split(b"\n"), whole.split(b"\n"), strict=True):
        try:
            json.loads(before)
        except ValueError:
            continue
        try:
            json.loads(after)
        except ValueError:
            defect("jsonl-invalid", "a valid JSON line came out as invalid JSON")


def _valid(line: bytes) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def _cuts(data: bytes, salt: int) -> list[int]:
    return sorted({choice(data, len(data) + 1, salt), choice(data, len(data) + 1, salt + 1)})


def fuzz_one(data: bytes) -> None:
    data = data[:MAX_LEN]
    with bounded(f"redacting {len(data)} bytes"):
        whole = redactor().redact_bytes(data)
        one = streamed(data, [])
        split = streamed(data, _cuts(data, 7))
        if one != whole:
            defect("stream-mismatch", "the stream's output differs from redact_bytes of the whole input")
        elif split != one:
            defect("split-mismatch", "the stream's output depends on where the input was split")
        check_kept(data, whole, "redact_bytes")
        check_no_leak(data, whole, "redact_bytes")
        check_no_leak(data, split, "stream")
        check_jsonl(data)
