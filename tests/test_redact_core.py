"""The text redactor: rule matches, known values and their encodings, mask formats."""

from __future__ import annotations

import base64
import json
import urllib.parse
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.engine import Engine
from scanner.redact import Redactor, encoded_forms, env_values, redact
from scanner.ruleset import RuleSet, parse_rules

PAT = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
PAT_2 = "ghp_IBXuDL7DxtpYlSXpfKtHF4vUCsMehGAkWvj7"
AWS = "AKIABNXJBTFQXKWOVOMP"
KNOWN = "s3cr3t-Opaque_v4lue"

_PASSWORD_RULE = '''
[[rules]]
id = "test-password"
description = "password assignment (may span a line break)"
regex = \'\'\'password\\s*[:=]\\s*([A-Za-z0-9]{10,40})\\b\'\'\'
keywords = ["password"]
'''


def two_rules() -> Engine:
    """Only the two shipped rules the tests rely on, so new rules elsewhere cannot change outputs."""
    rules = RuleSet.default()
    return Engine([rules.get("github-pat"), rules.get("aws-access-key-id")])


def three_rules() -> Engine:
    rules = RuleSet.default()
    return Engine([rules.get("github-pat"), rules.get("aws-access-key-id"), *parse_rules(_PASSWORD_RULE, "test")])


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(two_rules(), [KNOWN])


def test_masks_only_the_secret_and_keeps_the_rest_byte_for_byte(redactor):
    text = f"user pasted {PAT} and then\t{AWS}; ünïcødé stays ✓"
    assert redactor.redact(text) == (
        "user pasted [REDACTED:github-pat] and then\t[REDACTED:aws-access-key-id]; ünïcødé stays ✓"
    )


def test_clean_text_is_returned_unchanged_and_identical(redactor):
    text = "agent step 42 finished: tool=web_search latency_ms=1234"
    assert redactor.redact(text) is text
    assert redactor.redact("") == ""


def test_default_rules_mask_the_same_secrets():
    assert redact(f"leaked {PAT} in chat") == "leaked [REDACTED:github-pat] in chat"


def test_known_value_is_masked_even_where_no_rule_would_match(redactor):
    assert redactor.redact(f"db login with {KNOWN}!") == "db login with [REDACTED:known]!"


@pytest.mark.parametrize("prefix", [b"", b"x", b"xy", b"user:", b"Authorization: Basic "])
@pytest.mark.parametrize("suffix", [b"", b"z", b"\x00\x01tail"])
def test_known_value_caught_inside_longer_base64_at_every_alignment(redactor, prefix, suffix):
    blob = base64.b64encode(prefix + KNOWN.encode() + suffix).decode()
    masked = redactor.redact(f"header {blob} end")
    assert "[REDACTED:known]" in masked
    for form in encoded_forms(KNOWN):  # no encoded form of the value survives
        assert form not in masked
    assert masked.startswith("header ") and masked.endswith(" end")


def test_known_value_standalone_base64_is_masked_whole(redactor):
    blob = base64.b64encode(KNOWN.encode()).decode()
    assert redactor.redact(f"b64={blob};") == "b64=[REDACTED:known];"


def test_known_value_url_json_xml_escaped_forms():
    value = 'p@ss/w"rd<&>\'x'
    r = Redactor(two_rules(), [value])
    assert r.redact(f"u={urllib.parse.quote(value, safe='')}&next=1") == "u=[REDACTED:known]&next=1"
    assert r.redact(f"u={urllib.parse.quote_plus(value)}&next=1") == "u=[REDACTED:known]&next=1"
    assert r.redact(json.dumps({"pw": value})) == '{"pw": "[REDACTED:known]"}'
    assert r.redact(f"<pw>{escape(value)}</pw>") == "<pw>[REDACTED:known]</pw>"
    assert r.redact(f'<pw v="{escape(value, {chr(34): "&quot;"})}"/>') == '<pw v="[REDACTED:known]"/>'


def test_short_values_are_not_registered():
    r = Redactor(two_rules(), ["abc", "true"], min_known_length=4)
    assert r.known_values == ("true",)
    assert r.redact("abc") == "abc"


def test_add_known_later(redactor):
    r = Redactor(two_rules())
    assert r.redact("token zq9-internal-42 used") == "token zq9-internal-42 used"
    r.add_known("zq9-internal-42")
    assert r.redact("token zq9-internal-42 used") == "token [REDACTED:known] used"


def test_from_env_takes_values_of_secret_looking_names():
    environ = {"OPENAI_API_KEY": "sk-opaque-1234567", "DB_PASSWORD": "hunter2!", "HOME": "/root",
               "GITHUB_TOKEN": PAT, "FEATURE_FLAG_SECRET": "true", "SHORT_TOKEN": "ab"}
    assert env_values(environ=environ) == {"OPENAI_API_KEY": "sk-opaque-1234567", "DB_PASSWORD": "hunter2!",
                                           "GITHUB_TOKEN": PAT}
    assert env_values(["DB_*"], environ) == {"DB_PASSWORD": "hunter2!"}
    r = Redactor.from_env(environ=environ, engine=two_rules())
    assert r.redact("login hunter2! then /root") == "login [REDACTED:known] then /root"


def test_mask_format_and_keyed_hash_correlate_equal_secrets():
    r = Redactor(two_rules(), [KNOWN], mask="<{rule}:{hash}>", hash_key=b"k")
    one = r.redact(f"a {PAT} b {PAT} c {PAT_2}")
    first, second, third = (part.split(">")[0] for part in one.split("<")[1:])
    assert first == second != third
    assert first.startswith("github-pat:") and len(first.split(":")[1]) == 8
    # a known value and its base64 form get the same hash
    assert r.redact(KNOWN) == r.redact(base64.b64encode(KNOWN.encode()).decode())
    # another key, another hash
    assert Redactor(two_rules(), mask="{hash}", hash_key=b"other").redact(PAT) != r.redact(PAT).split(":")[1][:-1]
    with pytest.raises(ValueError):
        Redactor(two_rules(), mask="{secret}")


def test_invalid_utf8_passes_through_except_masked_spans(redactor):
    data = b"\xff\xfe bad " + AWS.encode() + b" \xc3( tail\x80"
    assert redactor.redact_bytes(data) == b"\xff\xfe bad [REDACTED:aws-access-key-id] \xc3( tail\x80"


def test_lone_surrogates_survive(redactor):
    text = f"\udcff {PAT} \ud800"
    assert redactor.redact(text) == "\udcff [REDACTED:github-pat] \ud800"


def test_overlapping_matches_are_masked_once(redactor):
    r = Redactor(two_rules(), [PAT[:20], PAT[10:]])
    assert r.redact(f"x {PAT} y") == "x [REDACTED:github-pat] y"


def test_redact_value_walks_containers_and_keeps_clean_objects(redactor):
    clean = {"a": [1, 2.5, None, True], "b": ("x",)}
    assert redactor.redact_value(clean) is clean
    dirty = {"a": [f"key {AWS}", 3], "nested": {"t": (PAT, "ok")}, PAT: "as key", "raw": AWS.encode()}
    assert redactor.redact_value(dirty) == {
        "a": ["key [REDACTED:aws-access-key-id]", 3],
        "nested": {"t": ("[REDACTED:github-pat]", "ok")},
        "[REDACTED:github-pat]": "as key",
        "raw": b"[REDACTED:aws-access-key-id]",
    }

    class Config:
        def __repr__(self):
            return f"Config(token={PAT})"

    obj = Config()
    assert redactor.redact_value(obj) is obj
    assert redactor.redact_value(obj, objects=True) == "Config(token=[REDACTED:github-pat])"


def test_aho_corasick_backend_gives_the_same_output():
    rules = RuleSet.default()
    fallback = Redactor(Engine([rules.get("github-pat"), rules.get("aws-access-key-id")], "ahocorasick"), [KNOWN])
    text = f"a {PAT} b {AWS} c {KNOWN} d " + base64.b64encode(b"x" + KNOWN.encode()).decode()
    assert fallback.redact(text) == Redactor(two_rules(), [KNOWN]).redact(text)
    assert fallback.clean("nothing here") and not fallback.clean(f"x {PAT}")


def test_redactor_is_idempotent(redactor):
    once = redactor.redact(f"{PAT} {AWS} {KNOWN}")
    assert redactor.redact(once) == once


_alphabet = st.characters(codec="utf-8", exclude_characters="\x00")
_pieces = st.one_of(
    st.text(_alphabet, max_size=20),
    st.sampled_from([PAT, PAT_2, AWS, KNOWN, " ", "\n", "=", '"', base64.b64encode(KNOWN.encode()).decode(),
                     urllib.parse.quote(KNOWN), "ghp_", "AKIA"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_pieces, max_size=12))
def test_property_no_detected_or_registered_secret_survives(redactor, pieces):
    text = "".join(pieces)
    masked = redactor.redact(text)
    assert not redactor.engine.scan(masked).matches  # nothing a rule detects is left
    for form in encoded_forms(KNOWN):  # nor the registered value, in any of its forms
        assert form not in masked
    if not redactor.engine.scan(text).matches and not any(f in text for f in encoded_forms(KNOWN)):
        assert masked == text


def test_a_token_base64_encoded_in_a_kubernetes_secret_is_masked_where_it_is_encoded():
    """What veil scan finds through a decoder, veil redact masks: the encoded text, labelled by the rule."""
    import base64

    from scanner.redact.core import Redactor

    encoded = base64.b64encode(b"ghp_u8jzZhe0igZhd6knZjBZipZjBZhKZhokL8ia").decode()
    manifest = f"apiVersion: v1\nkind: Secret\ndata:\n  a: {encoded}\n"
    assert Redactor().redact(manifest) == "apiVersion: v1\nkind: Secret\ndata:\n  a: [REDACTED:github-pat]\n"
