"""Streams: mask secrets in text that arrives in chunks, releasing each complete line at once."""

from __future__ import annotations

from typing import NamedTuple

import regex

from ..engine import LINE_SLACK
from .core import Redactor, default_redactor
from .jsonl import redact_jsonl

DEFAULT_MAX_HOLD = 1 << 16  # bytes a stream may hold back before it releases a partial line
_PEM_BEGIN, _PEM_END = b"-----BEGIN ", b"-----END "
_PEM_TYPE = regex.compile(rb"-----BEGIN ([^\r\n-]{1,60})-----")
_PUBLIC_BLOCK = regex.compile(rb"PUBLIC|CERTIFICATE|SIGNATURE|CRL|PARAMETERS|MESSAGE")
# a line of a key block's body: base64 (or hex), blank, or one of the PEM / OpenPGP armour headers
_KEY_BODY = regex.compile(rb"[ \t]*(?:[A-Za-z0-9+/]+={0,2}|(?:Proc-Type|DEK-Info|Comment|Version|Charset|Hash):"
                          rb"[^\r\n]*)?[ \t]*\r?")
_LINE_CONTENT = regex.compile(rb"[^\s](?:[^\r\n]*[^\s])?")
KEY_LABEL = "private-key"  # the mask of a key body whose header no rule names


def _default_lookbehind(redactor: Redactor) -> int:
    widest = max((rule.window for rule in redactor.engine.rules), default=256)
    return 2 * (widest + LINE_SLACK) + 64


class ByteStreamRedactor:
    """Masks a byte stream chunk by chunk; output concatenated equals ``redactor.redact_bytes(all input)``.

    Complete lines are released as soon as they arrive, scanned together with a bounded look-behind
    of already released text (so a keyword on the previous line still counts). Lines are held back
    only while a PEM block (``-----BEGIN`` … ``-----END``) or a multi-line known value is open, and
    never more than ``max_hold`` bytes; :meth:`release` lets them go sooner (``veil redact`` calls it
    when lines have been held for ``--max-hold`` seconds). Either way, an open private-key block keeps
    its body masked: each base64 line is masked whole until the ``-----END`` line or any other line.
    With ``jsonl``, each line is a JSON document whose string values are masked and which stays valid JSON.
    """

    def __init__(self, redactor: Redactor | None = None, *, jsonl: bool = False,
                 max_hold: int = DEFAULT_MAX_HOLD, lookbehind: int | None = None):
        self.redactor = redactor or default_redactor()
        self.jsonl = jsonl
        self.lookbehind = _default_lookbehind(self.redactor) if lookbehind is None else lookbehind
        self.max_hold = max(max_hold, self.lookbehind + 1)
        self._buf = bytearray()
        self._ctx = b""  # the tail of released input, unmasked: look-behind for the next scan
        self._key = ""  # inside a released key block whose END has not come: the mask's label

    @property
    def pending(self) -> int:
        """Bytes held back, not yet released."""
        return len(self._buf)

    @property
    def holding(self) -> bool:
        """Whether a complete line is held back (a partial line is only waiting for its end)."""
        return b"\n" in self._buf

    def feed(self, chunk: bytes) -> bytes:
        """Take the next chunk; return the masked text of every line it completed."""
        return b"".join(self.mask(job) for job in self.take(chunk))

    def close(self) -> bytes:
        """End of stream: the masked held-back tail."""
        return b"".join(self.mask(job) for job in self.take_rest())

    # -- the two halves of feed(), for callers that mask blocks elsewhere (``veil redact -j``) --------

    def take(self, chunk: bytes) -> list[Job]:
        """Add ``chunk``; return the blocks now ready for release, with their look-behind, in order.
        Cheap: no scanning, except to place the cut in a line longer than ``max_hold``."""
        if not chunk:
            return []
        self._buf += chunk
        jobs = self._take_key_body()
        if self._key:  # still inside the key: no complete line after its body yet
            return jobs
        newline = self._buf.rfind(b"\n")
        cut = self._hold(newline + 1) if newline >= 0 else 0
        if cut <= newline and len(self._buf) - cut > self.max_hold:  # held too much: release, key bodies masked
            return jobs + self.release()
        if cut <= 0 and len(self._buf) > self.max_hold:
            cut = self._partial_cut()
        return [*jobs, self._job(cut)] if cut > 0 else jobs

    def take_rest(self) -> list[Job]:
        """End of stream: the held-back tail as a last block."""
        if self._key and _KEY_BODY.fullmatch(self._buf):
            return [self._job(len(self._buf), self._key)]
        return [self._job(len(self._buf))] if self._buf else []

    def release(self) -> list[Job]:
        """Release every complete line held back, now. An open private-key block (a ``-----BEGIN`` line
        with no ``-----END`` yet) goes out with its base64 lines masked, and so do the body lines
        that follow, until its ``-----END`` line or any other line."""
        jobs: list[Job] = []
        while not self._key and (end := self._buf.rfind(b"\n") + 1):
            begin = self._buf.find(_PEM_BEGIN, self._hold(end), end)
            if begin < 0:  # nothing held, or only a multi-line known value: release as it is
                jobs.append(self._job(end))
                break
            header = _PEM_TYPE.match(self._buf, begin)
            kind = bytes(header.group(1)) if header else b""  # a copy: taking a job shifts the buffer
            jobs.append(self._job(self._buf.find(b"\n", begin) + 1))  # through the BEGIN line, masked as usual
            if kind and not _PUBLIC_BLOCK.search(kind):
                self._key = self._key_label(kind)
                jobs += self._take_key_body()
        return jobs

    def mask(self, job: Job) -> bytes:
        """The masked text of one block (a pure function of the job: it may run in another process)."""
        return mask_block(self.redactor, job, self.jsonl)

    # -- internals -----------------------------------------------------------------------------

    def _hold(self, cut: int) -> int:
        """Where to stop releasing: ``cut``, or the start of a line that opens a multi-line secret."""
        if self.jsonl:
            return cut
        buf, hold = self._buf, cut
        while True:
            start = hold
            begin = buf.rfind(_PEM_BEGIN, 0, hold)
            if begin >= 0 and buf.find(_PEM_END, begin, hold) < 0:
                hold = buf.rfind(b"\n", 0, begin) + 1
            for form in self.redactor.multiline_forms:
                i = form.find(b"\n")
                while 0 <= i < len(form) - 1:
                    if buf.endswith(form[: i + 1], 0, hold):
                        hold = min(hold, buf.rfind(b"\n", 0, hold - i - 1) + 1)
                    i = form.find(b"\n", i + 1)
            if hold == start or hold == 0:  # the new edge may itself cut a value: look again from there
                return hold

    def _key_label(self, kind: bytes) -> str:
        """The id of the rule for a ``-----BEGIN {kind}-----`` block (its mask's label)."""
        text = f"-----BEGIN {kind.decode('ascii', 'replace')}-----"
        return next((rule.id for rule in self.redactor.engine.rules if text in rule.regex), KEY_LABEL)

    def _take_key_body(self) -> list[Job]:
        """Inside an open key block: its complete body lines, to be masked whole; the block ends
        at the first line that is not one (its ``-----END`` line, or anything else)."""
        pos = 0
        while self._key:
            newline = self._buf.find(b"\n", pos)
            if newline < 0:
                break
            if not _KEY_BODY.fullmatch(self._buf, pos, newline):
                label, self._key = self._key, ""
                return [self._job(pos, label)] if pos else []
            pos = newline + 1
        return [self._job(pos, self._key)] if pos else []

    def _job(self, cut: int, key: str = "") -> Job:
        with memoryview(self._buf) as view:
            block = bytes(view[:cut])
        del self._buf[:cut]
        if self.jsonl:  # each line is a document of its own: no look-behind
            return Job(b"", block)
        context = self._ctx
        if key:  # a key's body is masked whole and is no look-behind for the lines after it
            self._ctx = b""
            return Job(context, block, key)
        seen = block if len(block) >= self.lookbehind else context + block
        tail = seen[-self.lookbehind:] if self.lookbehind else b""
        if len(tail) < len(seen):  # cut inside a line: keep whole lines only
            newline = tail.find(b"\n")
            tail = tail[newline + 1:] if 0 <= newline < len(tail) - 1 else tail
        self._ctx = tail
        return Job(context, block, key)

    def _partial_cut(self) -> int:
        """A line longer than ``max_hold``: cut all but the last ``lookbehind`` bytes, never inside
        a secret or a UTF-8 character."""
        buf = bytes(self._buf)
        offset = len(self._ctx)
        spans = self.redactor.spans(self._ctx + buf)
        cut = len(buf) - self.lookbehind
        for start, end, _label, _secret in spans:
            if start - offset < cut < end - offset:
                cut = start - offset if start > offset else end - offset
        while 0 < cut < len(buf) and 0x80 <= buf[cut] < 0xC0:
            cut -= 1
        return max(cut, 0)


class Job(NamedTuple):
    """A block ready for release and what masking it needs."""

    context: bytes  # look-behind: released text just before the block, unmasked
    block: bytes
    key: str = ""  # set for lines of an open private-key body: each is masked whole, with this label


def mask_block(redactor: Redactor, job: Job, jsonl: bool = False) -> bytes:
    """Mask ``block``, scanning it together with its look-behind ``context``."""
    context, block, key = job
    if key:
        return _LINE_CONTENT.sub(lambda m: redactor.mask_for(key, m.group().decode("utf-8", "replace")), block)
    if jsonl:
        return redact_jsonl(redactor, block)
    data = context + block if context else block
    offset = len(context)
    spans = [s for s in redactor.spans(data) if s[1] > offset]
    return redactor.masked(block, spans, offset) if spans else block


class StreamRedactor:
    """Text version of :class:`ByteStreamRedactor`: ``feed(chunk) -> str`` and ``close() -> str``.

    For any text and any split into chunks, the concatenated output equals ``redactor.redact(text)``.
    """

    def __init__(self, redactor: Redactor | None = None, **kwargs):
        self._stream = ByteStreamRedactor(redactor, **kwargs)

    @property
    def pending(self) -> int:
        return self._stream.pending

    def feed(self, chunk: str) -> str:
        out = self._stream.feed(chunk.encode("utf-8", "surrogatepass"))
        return out.decode("utf-8", "surrogatepass") if out else ""

    def close(self) -> str:
        out = self._stream.close()
        return out.decode("utf-8", "surrogatepass") if out else ""
