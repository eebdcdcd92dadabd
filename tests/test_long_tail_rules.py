"""The long tail of providers end to end: keys known by a prefix or only by their service's name, in the
settings they leak from (.env, YAML, a JSON log line, a curl command), and the look-alikes left alone."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.engine import Engine
from scanner.entropy import shannon
from scanner.placeholders import is_placeholder
from scanner.words import looks_like_name

# Fake, well-formed values (random, never issued by any provider).
WEATHERSTACK = "M1eWrP3uIZ35wyVpbDO0tdDFPu2OOjUz"
SALESFORCE = (
    "00D597TYG1TRtzn!AvjIrXTa9cDxIzLjz9ilp2nM8Z4WwcdtdgJzp8P7mTohsgnrb44Ds0EXR_ox.EVybB6X22ErphBWafZa75WVaOVQMQT948pt"
)
TODOIST = "d1fd6322b239745856a143af6fe397e005f15b89"
PUBNUB = "sec-c-Oj25VMPLWTT2Her2RRuw3hhvOLhXh9TRPgtoYGXnev5RsM2u"
IPSTACK = "c12a43128679b7706ab6151137259adf"
OPENWEATHER = "6342c785996483b5c617f4ec9caf811b"
LOOKALIKE = "EQQL4RTPTN52DZeocgWf1RfyMuLTLa21"

LOG_LINE = '{"level": "info", "msg": "loaded config:\\nipstack_access_key=' + IPSTACK + '"}\n'


def _tree(root):
    (root / "config").mkdir()
    (root / "logs").mkdir()
    (root / ".env").write_text(
        f"# services\nWEATHERSTACK_ACCESS_KEY={WEATHERSTACK}\nSALESFORCE_ACCESS_TOKEN={SALESFORCE}\n"
    )
    (root / "config" / "app.yaml").write_text(f'todoist:\n  api_token: "{TODOIST}"\npubnub:\n  secret_key: {PUBNUB}\n')
    (root / "logs" / "app.jsonl").write_text(LOG_LINE)
    (root / "fetch.sh").write_text(f'curl "https://api.openweathermap.org/data/2.5/weather?q=Oslo&appid={OPENWEATHER}"\n')
    (root / "clean.py").write_text(
        'WEATHERSTACK_ACCESS_KEY = os.environ["WEATHERSTACK_ACCESS_KEY"]\n'
        'todoist_token = "<your-todoist-token>"\n'
        f'build_hash = "{LOOKALIKE}"\n'
        f'ipstack_key = "{IPSTACK[:20]}"\n'
    )


def test_scan_finds_each_long_tail_key_where_it_leaks(veil, tmp_path):
    _tree(tmp_path)
    doc = veil("scan", ".", "--format", "json", "--show-secrets", cwd=tmp_path).json()
    assert [(f["rule"], f["path"], f["line"], f["secret"]) for f in doc["findings"]] == [
        ("weatherstack-api-key", ".env", 2, WEATHERSTACK),
        ("salesforce-access-token", ".env", 3, SALESFORCE),
        ("todoist-api-key", "config/app.yaml", 2, TODOIST),
        ("pubnub-secret-key", "config/app.yaml", 4, PUBNUB),
        ("openweathermap-api-key", "fetch.sh", 1, OPENWEATHER),
        ("ipstack-api-key", "logs/app.jsonl", 1, IPSTACK),
    ]


def test_redact_masks_a_key_named_after_an_escape_in_a_json_log(veil):
    run = veil("redact", stdin=LOG_LINE.encode())
    assert run.out == '{"level": "info", "msg": "loaded config:\\nipstack_access_key=[REDACTED:ipstack-api-key]"}\n'


ENGINE = Engine()
FORMS = (
    "WEATHERSTACK_API_KEY={v}",
    'weatherstack_access_key: "{v}"',
    '{{"weatherstack_key": "{v}"}}',
    "client = WeatherstackClient(access_key='{v}')",
    "weatherstack --api-key {v}",
    "export WEATHERSTACK_TOKEN={v}",
)
ALNUM = string.ascii_letters + string.digits


def _found(text: str, rule_id: str) -> list[str]:
    return [m.secret for m in ENGINE.scan(text).matches if m.rule.id == rule_id]


@settings(max_examples=60, deadline=None)
@given(value=st.text(ALNUM, min_size=32, max_size=32), form=st.sampled_from(FORMS))
def test_a_keyword_anchored_key_is_found_whole_in_every_assignment_form(value, form):
    expected = [value] if shannon(value) >= 3.3 and not is_placeholder(value) and not looks_like_name(value) else []
    assert _found(form.format(v=value), "weatherstack-api-key") == expected


@settings(max_examples=60, deadline=None)
@given(value=st.text(ALNUM, min_size=20, max_size=44).filter(lambda v: len(v) != 32), form=st.sampled_from(FORMS))
def test_a_value_of_another_length_is_not_the_service_key(value, form):
    assert _found(form.format(v=value), "weatherstack-api-key") == []
