"""StreamRedactor: any split into chunks gives ``redact(text)``; lines leave at once; the tail is bounded."""

from __future__ import annotations

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_redact_core import AWS, KNOWN, PAT, PAT_2, three_rules

from scanner.engine import Engine
from scanner.redact import ByteStreamRedactor, Redactor, StreamRedactor, encoded_forms
from scanner.ruleset import RuleSet

MULTILINE_KNOWN = "line-one-secret\nline-two-secret"
PEM = ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\nAAAAAAAAAAAAAAAEbm9uZQ\n"
       "-----END OPENSSH PRIVATE KEY-----")


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(three_rules(), [KNOWN, MULTILINE_KNOWN, PEM])


def stream(redactor: Redactor, chunks: list[str], **kwargs) -> tuple[str, list[str]]:
    s = StreamRedactor(redactor, **kwargs)
    outs = [s.feed(c) for c in chunks]
    outs.append(s.close())
    return "".join(outs), outs


def test_secret_split_across_chunks_is_masked(redactor):
    out, outs = stream(redactor, ["token ", PAT[:10], PAT[10:30], PAT[30:] + " end\nnext"])
    assert out == "token [REDACTED:github-pat] end\nnext"
    assert outs == ["", "", "", "token [REDACTED:github-pat] end\n", "next"]


def test_each_complete_line_is_released_at_once(redactor):
    s = StreamRedactor(redactor)
    assert s.feed("first line\nsecond ") == "first line\n"
    assert s.pending == len("second ")
    assert s.feed(f"has {AWS}\n") == "second has [REDACTED:aws-access-key-id]\n"
    assert s.pending == 0
    assert s.close() == ""


def test_lookbehind_sees_the_keyword_on_the_previous_line(redactor):
    # the test rule allows a line break between "password:" and the value
    out, outs = stream(redactor, ["password:\n", "Zq81hVb7TwPm3xK\n"])
    assert outs[:2] == ["password:\n", "[REDACTED:test-password]\n"]
    assert out == redactor.redact("password:\nZq81hVb7TwPm3xK\n")


def test_lookbehind_keeps_whole_lines_it_did_not_have_to_cut(redactor):
    # found by the property test: a blank line arriving alone dropped the keyword's line from the look-behind
    out, _ = stream(redactor, ["password: \n", "\n", "Zq81hVb7TwPm3xK"])
    assert out == redactor.redact("password: \n\nZq81hVb7TwPm3xK") == "password: \n\n[REDACTED:test-password]"


def test_pem_block_is_held_until_its_end_line(redactor):
    s = StreamRedactor(redactor)
    lines = PEM.split("\n")
    assert s.feed("before\n" + lines[0] + "\n") == "before\n"
    assert s.feed(lines[1] + "\n" + lines[2] + "\n") == ""
    assert s.feed(lines[3] + "\nafter\n") == "[REDACTED:known]\nafter\n"


def test_multiline_known_value_is_held_then_masked(redactor):
    out, outs = stream(redactor, ["a line-one-secret\n", "line-two-secret b\n"])
    assert outs == ["", "a [REDACTED:known] b\n", ""]
    # a line that merely starts like the value is released as soon as the next line rules it out
    out, outs = stream(redactor, ["a line-one-secret\n", "something else\n"])
    assert outs == ["", "a line-one-secret\nsomething else\n", ""]


def test_held_tail_is_bounded(redactor):
    s = StreamRedactor(redactor, max_hold=4096, lookbehind=512)
    released = s.feed("x" * 10_000)  # one long line, no line break
    assert len(released) >= 10_000 - 512 and s.pending <= 4096
    assert released + s.close() == "x" * 10_000
    s = StreamRedactor(redactor, max_hold=2048, lookbehind=512)
    out = "".join(s.feed(c) for c in ["-----BEGIN RSA PRIVATE KEY-----\n", "a" * 100 + "\n"] * 40)
    assert s.pending <= 2048 + 200 and out


def test_long_line_release_never_splits_a_secret(redactor):
    text = "y" * 4000 + f" {PAT} " + "z" * 4000 + "\n"
    for step in (1000, 4096, 333):
        s = StreamRedactor(redactor, max_hold=1024, lookbehind=256)
        out = "".join(s.feed(text[i:i + step]) for i in range(0, len(text), step)) + s.close()
        assert out == redactor.redact(text)


def test_bytes_stream_keeps_invalid_utf8(redactor):
    s = ByteStreamRedactor(redactor)
    data = b"\xff\xfe" + AWS.encode() + b"\n\xc3(" + PAT.encode()[:7]
    out = s.feed(data) + s.feed(PAT.encode()[7:] + b" \x80\n") + s.close()
    assert out == b"\xff\xfe[REDACTED:aws-access-key-id]\n\xc3([REDACTED:github-pat] \x80\n"


_pieces = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=12),
    st.sampled_from([PAT, PAT_2, AWS, KNOWN, MULTILINE_KNOWN, PEM, "\n", "\r\n", " ", "password: ", "password=\n",
                     "Zq81hVb7TwPm3xK", base64.b64encode(KNOWN.encode()).decode(), "-----BEGIN X-----\n",
                     "line-one-secret\n", "ghp_", "AKIA"]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_pieces, max_size=14), st.lists(st.integers(0, 400), max_size=10))
def test_property_any_chunking_equals_redact(redactor, pieces, cuts):
    text = "".join(pieces)
    bounds = sorted({min(c, len(text)) for c in cuts})
    chunks = [text[a:b] for a, b in zip([0, *bounds], [*bounds, len(text)], strict=True)]
    out, _ = stream(redactor, chunks)
    assert out == redactor.redact(text)
    assert not redactor.engine.scan(out).matches
    for form in encoded_forms(KNOWN) | {MULTILINE_KNOWN, PEM}:
        assert form not in out


RSA_BODY = ["MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
            "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
            "LLj3Ob7lHhBgyDVrEiI2fp4fWZwpV+T0hsFIWy0oeSGn0XZHIqh7hX4lPL28wYmV"]


def released(s: ByteStreamRedactor) -> bytes:
    return b"".join(s.mask(job) for job in s.release())


def test_release_masks_an_open_key_body_until_its_end(redactor):
    s = ByteStreamRedactor(redactor)
    assert s.feed(f"before\n-----BEGIN RSA PRIVATE KEY-----\n{RSA_BODY[0]}\n{RSA_BODY[1][:9]}".encode()) == b"before\n"
    assert s.holding
    assert released(s) == b"-----BEGIN RSA PRIVATE KEY-----\n[REDACTED:private-key]\n"
    assert not s.holding and s.pending == 9  # the partial line waits for its end
    out = s.feed(f"{RSA_BODY[1][9:]}\n{RSA_BODY[2]}\n-----END RSA PRIVATE KEY-----\nafter {PAT}\n".encode())
    assert out == (b"[REDACTED:private-key]\n[REDACTED:private-key]\n-----END RSA PRIVATE KEY-----\n"
                   b"after [REDACTED:github-pat]\n")
    assert s.close() == b""


def test_release_of_an_open_key_stops_masking_at_a_line_that_is_no_body(redactor):
    s = ByteStreamRedactor(redactor)
    s.feed(f"-----BEGIN OPENSSH PRIVATE KEY-----\n{RSA_BODY[0]}\n".encode())
    assert released(s) == b"-----BEGIN OPENSSH PRIVATE KEY-----\n[REDACTED:private-key]\n"
    assert s.feed(b"level=info msg=done\n" + RSA_BODY[1].encode() + b"\n") == (
        b"level=info msg=done\n" + RSA_BODY[1].encode() + b"\n")


def test_release_of_a_certificate_masks_nothing(redactor):
    s = ByteStreamRedactor(redactor)
    cert = f"-----BEGIN CERTIFICATE-----\n{RSA_BODY[0]}\n".encode()
    s.feed(cert)
    assert released(s) == cert


def test_the_byte_bound_too_releases_an_open_key_with_its_body_masked(redactor):
    s = ByteStreamRedactor(redactor, max_hold=2048, lookbehind=512)
    out = s.feed(b"-----BEGIN RSA PRIVATE KEY-----\n")
    out += b"".join(s.feed(f"{RSA_BODY[0]}\n".encode()) for _ in range(80))
    assert s.pending <= 2048
    assert RSA_BODY[0].encode() not in out + s.close()
    assert out.startswith(b"-----BEGIN RSA PRIVATE KEY-----\n[REDACTED:private-key]\n")


def test_release_masks_every_open_key_it_holds(redactor):
    s = ByteStreamRedactor(redactor)
    s.feed(f"-----BEGIN EC PRIVATE KEY-----\n{RSA_BODY[0]}\n-----BEGIN RSA PRIVATE KEY-----\n{RSA_BODY[1]}\n".encode())
    assert released(s) == (b"-----BEGIN EC PRIVATE KEY-----\n[REDACTED:private-key]\n"
                           b"-----BEGIN RSA PRIVATE KEY-----\n[REDACTED:private-key]\n")


_key_block = st.integers(0, 3).map(
    lambda n: "-----BEGIN RSA PRIVATE KEY-----\n" + "".join(f"{line}\n" for line in RSA_BODY[:n])
    + "-----END RSA PRIVATE KEY-----\n")
_plain_line = st.one_of(st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=20),
                        st.just(f"token {PAT}")).map(lambda line: line + "\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_key_block, _plain_line), max_size=8), st.lists(st.integers(0, 600), max_size=8),
       st.lists(st.booleans(), max_size=9))
def test_property_releasing_at_any_time_keeps_every_line_and_masks_every_key_body(pieces, cuts, releases):
    rules = RuleSet.default()
    redactor = Redactor(Engine([rules.get("private-key-rsa"), rules.get("github-pat")]))
    s = ByteStreamRedactor(redactor)
    data = "".join(pieces).encode()
    bounds = sorted({min(c, len(data)) for c in cuts})
    out = b""
    for i, (a, b) in enumerate(zip([0, *bounds], [*bounds, len(data)], strict=True)):
        out += s.feed(data[a:b])
        if i < len(releases) and releases[i]:
            out += released(s)
    out += s.close()
    at = 0
    for line in (p for p in pieces if not p.startswith("-----BEGIN")):  # every other line is there, in order
        masked = redactor.redact(line).encode()
        at = out.index(masked, at) + len(masked)
    assert PAT.encode() not in out
    assert not any(line.encode() in out for line in RSA_BODY)
