"""The generic detectors (rules/generic.toml): passwords with punctuation, keys named by a service and
key/token/secret, and supersets tight enough that keyword-dense text costs no regex runs (issues 11, 12)."""

import pytest
import regex

from scanner.engine import Engine
from scanner.macros import escape_aware
from scanner.prefilter import BACKENDS
from scanner.ruleset import RuleSet
from scanner.superset import superset

GENERIC = [rule for rule in RuleSet.default() if rule.source.endswith("generic.toml")]


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request) -> Engine:
    engine = Engine(GENERIC, request.param)
    paths = engine.paths()  # with Hyperscan: builds the superset database now, as a long scan would
    if request.param == "hyperscan":
        assert {paths[rule.id] for rule in GENERIC} == {"hyperscan"}
    return engine


def found(engine: Engine, text: str) -> list[tuple[str, str]]:
    return [(m.rule.id, m.secret) for m in engine.scan(text).matches]


PASSWORDS = [
    ('db_password = "V8f7FBpwJOJASv.JumeU"', "V8f7FBpwJOJASv.JumeU"),
    ("PASSWORD=MsqSBTGkkGmaon.bKMsF", "MsqSBTGkkGmaon.bKMsF"),
    ('admin_passwd = "lmHZgbk8Hj7PAT.Wcr6s"', "lmHZgbk8Hj7PAT.Wcr6s"),
    ('{"ts": "2026-12-05T03:26:48Z", "msg": "retry password=V8f7FBpwJOJASv.JumeU user=bob"}', "V8f7FBpwJOJASv.JumeU"),
    ('DB_PASSWORD = "21d9@jYi6-.XwT!pZJ1"', "21d9@jYi6-.XwT!pZJ1"),  # an @ and a dot: not an e-mail address
    ('DB_PASSWORD = "WeiyAWEKTi.AKnq#APE"', "WeiyAWEKTi.AKnq#APE"),  # no digit
    ('smtp_password: "Tq.7~kz+Lm,w=Pa$x%R&"', "Tq.7~kz+Lm,w=Pa$x%R&"),
]


@pytest.mark.parametrize(("text", "secret"), PASSWORDS)
def test_passwords_with_punctuation(engine, text, secret):
    assert found(engine, text) == [("generic-secret-assignment", secret)]


@pytest.mark.parametrize("text", [
    "token = self.token_store.get(session_id)",  # attribute paths and calls: code
    "api_key = settings.OPENAI_API_KEY",
    'password: "bob.smith@example.com"',  # an e-mail address
    'content_type_secret = "application/json"',  # a MIME type: a path of words
    'password = "kubeConfigPathEnv"',  # an identifier, no digit
    'secret = "loadbalancerconfig"',  # one case, no digit: a word blob
    'token = "request.headers.authorization"',
    "password = 'com.example.MyService'",
])
def test_names_paths_and_addresses_are_not_passwords(engine, text):
    assert found(engine, text) == []


SERVICE_KEYS = [
    ("weatherstack_key=9iay8XcprLA2760TbiLuU6fGxg2DNPbZ", "9iay8XcprLA2760TbiLuU6fGxg2DNPbZ"),
    ("twilio token - 'f3c9a1e07b2d48c6a5e1d9b04c7f2a38'", "f3c9a1e07b2d48c6a5e1d9b04c7f2a38"),
    ("mailjet:\n  mailjet_key: 7d0e3b9a51c84f26e8a1d4c07b9f3e62\n", "7d0e3b9a51c84f26e8a1d4c07b9f3e62"),
    ("ipstack access key 9iay8XcprLA2760TbiLuU6fGxg2DNPbZ", "9iay8XcprLA2760TbiLuU6fGxg2DNPbZ"),
]


@pytest.mark.parametrize(("text", "secret"), SERVICE_KEYS)
def test_keys_named_by_service(engine, text, secret):
    assert found(engine, text) == [("generic-service-key", secret)]


@pytest.mark.parametrize(("text", "secret"), [
    ("okta token: 00Qk7vXb2LmN9pRs4TuW6yZa8cDe1FgHi3JkLmNoPq", "00Qk7vXb2LmN9pRs4TuW6yZa8cDe1FgHi3JkLmNoPq"),
    ('{"github_secret": "9c41f07be2d85a3163e04b7fd2a9c8e51d06b3f4"}', "9c41f07be2d85a3163e04b7fd2a9c8e51d06b3f4"),
    ("curl -H 'X-Api-Key: Rk2Vn8QpL4xZ7bTw1MyC9dHs6FjA3uEg' https://api.acme.test", "Rk2Vn8QpL4xZ7bTw1MyC9dHs6FjA3uEg"),
    ("acme-cli deploy --api-key Rk2Vn8QpL4xZ7bTw1MyC9dHs6FjA3uEg --region eu", "Rk2Vn8QpL4xZ7bTw1MyC9dHs6FjA3uEg"),
])
def test_secret_like_names_are_found_once(engine, text, secret):
    """Where the name is itself secret-like both rules match: one finding, by the rule that sorts first."""
    assert found(engine, text) == [("generic-secret-assignment", secret)]


@pytest.mark.parametrize("text", [
    'cache_key = "9c41f07be2d85a3163e04b7fd2a9c8e51d06b3f4"',  # the name says what it is
    '"public_key": "Rk2Vn8QpL4xZ7bTw1MyC9dHs6FjA3uEg"',
    "page_token: 9c41f07be2d85a3163e04b7fd2a9c8e5",
    'api_key_id: "59b2d4bc-6a1f-41c3-a8d4-44f24ca1706d"',  # an id, a UUID
    '"integrity": "sha512-9c41f07be2d85a3163e04b7fd2a9c8e51d06b3f49c41f07be2d85a3163e04b7fd2a9c8e5=="',
    'checksum = "9c41f07be2d85a3163e04b7fd2a9c8e51d06b3f4"',  # a git SHA or checksum, no key word
    "commit 9c41f07be2d85a3163e04b7fd2a9c8e51d06b3f4 key fix",
    'signing_key_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
    "okta token: 00Qk7vXb2LmN9pRs4TuW6yZa8cDe1FgHi3JkLmNoPq.okta.com",  # a host name, not a key
    "stripe key - 'Rk2Vn8QpL4x?Z7bTw1MyC9dHs6FjA3uEg'",  # not one shape
    "api_key = 'ApiKeyAuthenticationHeaderProvider'",
])
def test_service_key_hard_negatives(engine, text):
    assert found(engine, text) == []


def test_curl_password_with_punctuation(engine):
    text = 'curl -s --user "j.smith:dB2yF6@qL9vZm1P#4J" "https://api.acme.test/user/me"'
    assert found(engine, text) == [("curl-user-password", "dB2yF6@qL9vZm1P#4J")]


# Lines a keyword-dense application log repeats with no secret in them (benchmarks/keyword_dense.py).
DENSE = [
    b'{"msg": "auth.login succeeded user=ana session_id=9f2c token_type=access auth_method=password"}',
    b'{"msg": "password reset requested password_policy=v3 failed_password_attempts=2"}',
    b'{"msg": "Traceback:\\n  File \\"auth.py\\", line 88\\n    token = self.token_store.get(session_id)\\n"}',
    b'{"msg": "tool call", "args": {"secret_name": "prod/db/password", "max_tokens": 512}, "tokens_used": 913}',
    b'{"msg": "secret_name=projects/acme/secrets/db-password/versions/12 token_id=tok_f7346b486c905e6a"}',
    b'{"msg": "SELECT id, password_hash, api_key_id FROM users -- password_hash=sha256:96aeb66632b9dce7"}',
]


@pytest.mark.parametrize("rule", GENERIC, ids=lambda r: r.id)
def test_supersets_do_not_match_keyword_dense_lines(rule):
    """What Hyperscan matches for each generic rule needs a name, an operator and a value: lines
    dense with ``token``/``password`` but holding no value open no regex window."""
    span = regex.compile(superset(escape_aware(rule.regex)).encode())
    assert [line for line in DENSE if span.search(line)] == []


def test_a_value_too_long_for_the_rule_is_not_cut_at_a_window_edge(engine):
    """``$`` matches where a keyword window ends: a value longer than the rule takes (1,024 characters),
    on a line of its own, must not be reported cut there (the backends' windows end in different
    places). Found by test_engine's backend property test."""
    value = "3sx2lvs76UXdbG4DqNSCtyo1NSDyoZv2O2an6qch" + "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d" * 30
    assert found(engine, f"COHERE_API_KEY={value}") == []
