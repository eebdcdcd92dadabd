"""The engine: exact matches and offsets, filters, windows, timeouts, both prefilter backends."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.engine import Engine
from scanner.prefilter import BACKENDS
from scanner.ruleset import RuleError, RuleSet, build_rule, parse_rules
from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2

ENGINES = {b: Engine(backend=b) for b in BACKENDS}
ENGINES["hyperscan"].paths()  # the whole-rule database built now (a short scan goes without it): compared too


def found(engine: Engine, data) -> list[tuple[str, str, int, int]]:
    return [(m.rule.id, m.secret, m.line, m.column) for m in engine.scan(data).matches]


@pytest.mark.parametrize("backend", BACKENDS)
def test_exact_matches_with_lines_and_columns(backend):
    text = f"# config\nGITHUB_TOKEN={GITHUB_PAT}\n\n  aws = '{AWS_KEY_ID}'  # prod\n"
    assert found(ENGINES[backend], text) == [
        ("github-pat", GITHUB_PAT, 2, 14),
        ("aws-access-key-id", AWS_KEY_ID, 4, 10),
    ]


def test_columns_count_characters_not_bytes():
    text = f"clé = «{GITHUB_PAT}»"
    [(rule, secret, line, column)] = found(ENGINES["hyperscan"], text)
    assert (line, column) == (1, 8)
    assert text[column - 1 :].startswith(GITHUB_PAT)


def test_byte_offsets_point_at_the_secret():
    data = f"ü {GITHUB_PAT} ü".encode()
    [match] = ENGINES["ahocorasick"].scan(data).matches
    assert data[match.start : match.end].decode() == GITHUB_PAT


def test_keywords_are_case_insensitive():
    assert found(ENGINES["hyperscan"], f"id={AWS_KEY_ID.lower().upper()}")[0][1] == AWS_KEY_ID


def test_placeholders_and_examples_are_not_findings():
    text = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nAKIAIOSFODNN7EXAMPLE\n"
    for engine in ENGINES.values():
        assert engine.scan(text).matches == []


def test_clean_text_and_empty_input():
    for engine in ENGINES.values():
        assert engine.scan(b"").matches == []
        assert engine.scan("nothing to see here\n" * 1000).matches == []


RULE = """
[[rules]]
id = "demo"
description = "demo token"
regex = '''demo_([a-z0-9]{12})'''
keywords = ["demo_"]
entropy = 3.0
[rules.allowlist]
stopwords = ["public"]
regexes = ['''^0000''']
"""


def test_entropy_gate_and_allowlists():
    engine = Engine(parse_rules(RULE, "t.toml"))
    assert [m.secret for m in engine.scan("demo_a8f3k2m9q1z7").matches] == ["a8f3k2m9q1z7"]
    assert engine.scan("demo_aaaabbbbaaab").matches == []  # low entropy
    assert engine.scan("demo_publicq8w7e6").matches == []  # stopword
    assert engine.scan("demo_0000q8w7e6r5").matches == []  # allowlist regex


def test_regex_runs_only_near_keywords():
    rule = build_rule({
        "id": "near", "description": "d", "regex": r"val=(\w{10})", "keywords": ["anchor"], "window": 32,
    })
    engine = Engine([rule])
    assert [m.secret for m in engine.scan("anchor val=q8w7e6r5t4").matches] == ["q8w7e6r5t4"]
    far = "anchor" + "\n" + "." * 2000 + "\nval=q8w7e6r5t4"
    assert engine.scan(far).matches == []


def test_overlapping_windows_do_not_duplicate_matches():
    text = " ".join([GITHUB_PAT, GITHUB_PAT_2, GITHUB_PAT])
    assert [m.secret for m in ENGINES["hyperscan"].scan(text).matches] == [GITHUB_PAT, GITHUB_PAT_2, GITHUB_PAT]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_regex_that_times_out_is_reported_not_lost(backend):
    rule = build_rule({"id": "slow", "description": "d", "regex": r"(x+x+)+y", "keywords": ["xx"]})
    result = Engine([rule], backend, timeout=0.05).scan("x" * 5000 + "z xxy")
    assert [m.secret for m in result.matches] == ["xxy"] or result.skipped
    assert {s.rule_id for s in result.skipped} == {"slow"}
    assert "timed out" in result.skipped[0].reason


def test_hyperscan_runs_no_regex_where_the_whole_rule_cannot_match():
    """The rule's superset never matches (no ``y``): not one window is searched, so nothing times out."""
    rule = build_rule({"id": "slow", "description": "d", "regex": r"(x+x+)+y", "keywords": ["xx"]})
    engine = Engine([rule], "hyperscan", timeout=0.05)
    assert engine.paths() == {"slow": "hyperscan"}
    result = engine.scan("x" * 5000)
    assert result.matches == [] and result.skipped == []
    assert Engine([rule], "ahocorasick", timeout=0.05).scan("x" * 5000).skipped != []


def test_rules_without_keywords_scan_the_whole_chunk():
    rule = build_rule({"id": "all", "description": "d", "regex": r"zz(\d{6})zz"})
    assert [m.secret for m in Engine([rule]).scan("a\n" * 500 + "zz948213zz").matches] == ["948213"]


_secrets = st.sampled_from([GITHUB_PAT, GITHUB_PAT_2, AWS_KEY_ID] + [r.positives[0].text for r in RuleSet.default()])
_fragments = st.one_of(
    _secrets,
    st.sampled_from(sorted({k for r in RuleSet.default() for k in r.keywords})),
    st.text(max_size=40),
    st.sampled_from(["\n", " ", "=", '"', "\r\n", "\0"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_fragments, max_size=30))
def test_both_backends_find_exactly_the_same(parts):
    text = "".join(parts)
    results = [[(m.rule.id, m.start, m.end, m.secret) for m in e.scan(text).matches] for e in ENGINES.values()]
    assert results[0] == results[1]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(data):
    for engine in ENGINES.values():
        for match in engine.scan(data).matches:
            assert 0 <= match.start < match.end <= len(data)
            assert match.line >= 1 and match.column >= 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text):
    ENGINES["hyperscan"].scan(text)


def _rule(rule_id, pattern, keyword, confidence="high", window=256):
    return build_rule({"id": rule_id, "description": rule_id, "regex": pattern, "keywords": [keyword],
                       "confidence": confidence, "window": window})


def test_one_finding_per_secret_the_most_confident_rule_wins():
    rules = [
        _rule("generic", r"token\s*=\s*'([A-Za-z0-9_]{20,})'", "token", "low"),
        _rule("acme", r"\b(acme_[a-z0-9]{16})\b", "acme_", "high"),
        _rule("acme-copy", r"\b(acme_[a-z0-9]{16})\b", "acme_", "high"),
        _rule("other", r"\b(zz[0-9]{8})\b", "zz", "medium"),
    ]
    text = "token = 'acme_q8w7e6r5t4y3u2i1'\ntoken = 'Zq8W7e6R5t4Y3u2I1o9P'\nzz94817263\n"
    assert [(m.rule.id, m.secret) for m in Engine(rules).scan(text).matches] == [
        ("acme", "acme_q8w7e6r5t4y3u2i1"),
        ("generic", "Zq8W7e6R5t4Y3u2I1o9P"),
        ("other", "zz94817263"),
    ]


def test_a_match_cut_by_its_window_runs_to_its_end_on_a_long_line():
    rule = _rule("long", r"tok:([A-Za-z0-9]+)", "tok:", window=8)
    value = "Q8w7E6r5" * 40
    text = "x" * 3000 + " tok:" + value + " " + "y" * 3000
    assert [m.secret for m in Engine([rule]).scan(text).matches] == [value]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_match_that_takes_the_newline_of_a_line_longer_than_its_window(backend):
    """The match ends just past the window grown to its line's end (it takes the newline): found alike."""
    rule = _rule("line", r"key=([A-Za-z0-9.-]{12,})(?:\s|$)", "key=", window=8)
    engine = Engine([rule], backend)
    assert engine.paths() == {"line": "hyperscan" if backend == "hyperscan" else "windows"}  # built now
    value = "Q8w7.E6r5-T4y3" * 20
    assert [m.secret for m in engine.scan(f"# a\nAPI_key={value}\nDEBUG=0\n").matches] == [value]


def test_two_hits_far_apart_on_one_long_line_give_one_finding():
    rule = _rule("pair", r"key=([A-Za-z0-9]{12})", "key=", window=16)
    text = "key=Q8w7E6r5T4y3" + "." * 300 + " key=\n"  # both windows grow to the same whole line
    assert len(Engine([rule]).scan(text).matches) == 1


def _gated(gate):
    return build_rule({"id": "gated", "description": "d", "regex": r"tok=([A-Za-z0-9]{12})", "keywords": ["tok="],
                       "gate": gate})


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_gated_rule_is_found_by_its_own_regex_whatever_its_gate_says(backend):
    """On Hyperscan a gated rule's keywords are looked for where the rule's superset matched, not its
    hand-written gate: a gate that is not a superset of the rule no longer hides its matches."""
    text = "a tok=Q8w7E6r5T4y3 b"
    for gate in (r"tok=[A-Za-z0-9]{12}", "never-in-this-text"):
        assert [m.secret for m in Engine([_gated(gate)], backend).scan(text).matches] == ["Q8w7E6r5T4y3"]
    assert Engine([_gated("tok=")], backend).scan("a tok=short b tok= tok=").matches == []


def test_a_gate_hyperscan_cannot_compile_is_a_load_error():
    with pytest.raises(RuleError, match="gate does not compile with Hyperscan"):
        _gated(r"tok=(?<!x)\1")


def test_shipped_rules_compile_on_first_use():
    rule = RuleSet.default().get("github-pat")
    assert "pattern" not in vars(rule)
    Engine([rule]).scan(GITHUB_PAT)
    assert "pattern" in vars(rule)


def test_dense_keyword_hits_run_one_pass_with_the_same_findings():
    rule = build_rule({"id": "url", "description": "d", "regex": r"https://([a-z]{3,}):([A-Za-z0-9]{10,})@",
                       "keywords": ["https://"], "secret_group": 2, "window": 16})
    line = "see https://example.org/page and more" + " filler" * 30 + "\n"
    text = line * 400 + "x https://bob:Q8w7E6r5T4y3@h.test\n" + line * 400 + "https://ali:Z9x8C7v6B5n4@h\n"
    engine = Engine([rule], "ahocorasick")
    windowed = [(m.secret, m.line) for m in engine.scan(line * 3 + "x https://bob:Q8w7E6r5T4y3@h.test\n").matches]
    assert windowed == [("Q8w7E6r5T4y3", 4)]  # few windows: one run each
    assert [(m.secret, m.line) for m in engine.scan(text).matches] == [("Q8w7E6r5T4y3", 401), ("Z9x8C7v6B5n4", 802)]
    assert "url" in engine._pass_speed  # the one-pass mode was considered for 802 windows
    if "hyperscan" in BACKENDS:  # the whole rule matched in Hyperscan: only the two windows that hold a match
        confirmed = Engine([rule], "hyperscan")
        assert confirmed.paths() == {"url": "hyperscan"}  # waits for the span database
        assert [(m.secret, m.line) for m in confirmed.scan(text).matches] == [
            ("Q8w7E6r5T4y3", 401), ("Z9x8C7v6B5n4", 802)]
        assert confirmed._pass_speed == {}


def test_entropy_thresholds_by_character_class():
    rule = build_rule({"id": "cls", "description": "d", "regex": r"val=(\S+)", "keywords": ["val="],
                       "entropy": {"default": 3.9, "hex": 3.0}})
    engine = Engine([rule])
    assert [m.secret for m in engine.scan("val=3a5f3a5f9c1e9c1e7b7b").matches] == ["3a5f3a5f9c1e9c1e7b7b"]  # hex: 3.32
    assert engine.scan("val=Qk3mZ8pT2vX9").matches == []  # alnum, 3.58 bits: below the default 3.9
    assert dict(rule.entropy_by_class) == {"hex": 3.0} and rule.entropy == 3.9


def test_an_entropy_table_with_an_unknown_class_is_a_load_error():
    with pytest.raises(RuleError, match="entropy is a number or a table"):
        build_rule({"id": "cls", "description": "d", "regex": r"val=(\S+)", "keywords": ["val="],
                    "entropy": {"hexadecimal": 3.0}})


@pytest.mark.skipif("hyperscan" not in BACKENDS, reason="Hyperscan only")
def test_compiled_databases_are_cached_and_a_damaged_cache_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv("VEIL_CACHE_DIR", str(tmp_path))
    first = Engine(RuleSet.default(), "hyperscan")
    cached = sorted(tmp_path.glob("hyperscan-*.db"))
    assert len(cached) > 1  # the keyword database (with the gates) and one per gated rule
    assert [m.secret for m in Engine(RuleSet.default(), "hyperscan").scan(GITHUB_PAT).matches] == [GITHUB_PAT]
    for path in cached:
        path.write_bytes(path.read_bytes()[:40] + b"damaged" + path.read_bytes()[47:])
    assert [m.secret for m in Engine(RuleSet.default(), "hyperscan").scan(GITHUB_PAT).matches] == [GITHUB_PAT]
    assert [m.secret for m in first.scan(GITHUB_PAT).matches] == [GITHUB_PAT]


def test_an_unwritable_cache_only_means_compiling(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("VEIL_CACHE_DIR", str(blocker / "veil"))
    assert [m.secret for m in Engine(RuleSet.default()).scan(GITHUB_PAT).matches] == [GITHUB_PAT]


def test_placeholders_are_filler_not_formats_with_a_fixed_run():
    from scanner.placeholders import is_placeholder

    assert is_placeholder("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
    assert is_placeholder("access-sandbox-00000000-0000-0000-0000-000000000000")  # one character in half the places
    assert is_placeholder("<your-api-key>") and is_placeholder("${API_KEY}")
    assert is_placeholder("Tq8sLp2Vx9RfKzN4bW7mC1dYhFAKEKEYa3GuE6jQ")  # a key that says it is fake
    assert not is_placeholder("db83e0am0ztAAAAAAAAAAm9p5tj7jzhun6-jmkd3baz0do-7v62z_kpy96mbs5lr")  # Dropbox's run
    assert not is_placeholder("x9<Q#k>]v2Lp{7M@zN4)Y!s<w>")  # a salt with < > is not a <template>


def test_a_rule_too_slow_to_measure_stays_windowed():
    rule = build_rule({"id": "slow", "description": "d", "regex": r"(?:(?:\w|\s)+)+Z\d(k\w{10})", "keywords": ["k"],
                       "window": 8})
    engine = Engine([rule], "ahocorasick", timeout=0)  # every regex run gives up at once: the measuring one too
    text = "".join(f"x k{n:010d} " + "y" * 100 + "\n" for n in range(200))  # 200 windows: dense
    result = engine.scan(text)
    assert engine._pass_speed == {"slow": 0.0}
    assert result.matches == []
    assert [(s.rule_id, s.start, s.end) for s in result.skipped] == [("slow", 0, len(text) - 1)]  # reported, not lost


@pytest.mark.parametrize("backend", BACKENDS)
def test_may_match_sees_the_keywords_of_every_rule_gated_or_not(backend):
    engine = Engine([_gated("tok=[A-Za-z0-9]{12}"), _rule("plain", r"key=(\w{8})", "key=")], backend)
    assert [engine.may_match(text) for text in (b"a tok=x", b"a KEY=x", b"a token b")] == [True, True, False]


@pytest.mark.skipif("hyperscan" not in BACKENDS, reason="compares the backends")
@pytest.mark.parametrize("text", [  # both found by the property test above, when windows were cut per keyword hit
    "ANTHROPIC_API_KEY=sk-ant-api03-HQhZGxc0SQV_ksusWzycnYbWOdsrhjZJpq39loV8ntZ22vkRWZj3BwaiI8tWqEM6E7pgmJh34u"
    "B3d7vNga26UtRnE6i3KAAEMAILOCTOPUS_API_KEY=2a2aba75-f4df-daf6-2396-085ef6dbb968\n"
    "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d",
    "BWS_SERVER_URL=https://vault.bitwarden.com\nBITWARDEN_ACCESS_TOKEN=0.2ca79630-3f99-2d36-85de-5b73dcd75022."
    "hQrUOUupFdr4CDpJIWL9P8Jdo17Jws:bg7A3vSZlW55Cdv37ksqm1==" * 2,
])
def test_the_whole_rule_database_does_not_change_where_a_rule_regex_starts(text):
    """A window the whole-rule database keeps starts where it would without it: from another start, a
    longer candidate the filters then reject can swallow the secret after it."""
    confirmed = Engine(None, "hyperscan")
    confirmed.paths()  # waits for the whole-rule database
    found = [[(m.rule.id, m.start, m.end) for m in engine.scan(text).matches]
             for engine in (confirmed, Engine(None, "ahocorasick"))]
    assert found[0] == found[1]
