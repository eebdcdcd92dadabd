"""CSV columns named like secrets: each value scanned behind its column's name, reported where it sits.

Through the real ``veil`` console script (scan and redact); the engine directly for both backends.
"""

from __future__ import annotations

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from scanner.csv_columns import HEADER, TRIGGER, column_name
from scanner.engine import Engine
from scanner.prefilter import BACKENDS

# Fake values, random, well-formed enough for the rules.
PASSWORD = "Vb3mQ9xLt7Kw2Rz8!"
AWS_ID = "AKIAZ3MNQ7PLX2KD5RVW"
AWS_SECRET = "Zr7vQ2mKx9LpT4wN8bYc1DfGh5JkS3aQe6RtUyIo"
KEY = "gHjrT345rflePOKazE2Bj47hF56U9dsVwMdSiY73"

AWS_EXPORT = (
    "User name,Password,Access key ID,Secret access key,Console login link\n"
    f"deploy,{PASSWORD},{AWS_ID},{AWS_SECRET},https://acme.signin.aws.amazon.com/console\n"
)
KEYS_TABLE = f"service,key,created\npandadoc,{KEY},2024-01-15\ngeocoder,{KEY[::-1]},2024-02-01\n"


def findings(run) -> list[tuple]:
    return [(f["rule"], f["line"], f["column"], f["secret"]) for f in run.json()["findings"]]


def test_a_credentials_export_is_read_by_column(veil, tmp_path):
    (tmp_path / "credentials.csv").write_text(AWS_EXPORT)
    run = veil("scan", "credentials.csv", "-f", "json", "--show-secrets", cwd=tmp_path)
    assert run.code == 1
    assert findings(run) == [
        ("generic-secret-assignment", 2, 8, PASSWORD),
        ("aws-access-key-pair", 2, 47, AWS_SECRET),  # names AWS_ID, its partner
    ]


def test_a_key_column_of_a_table_is_read_row_by_row(veil, tmp_path):
    (tmp_path / "keys.csv").write_text(KEYS_TABLE)
    run = veil("scan", "keys.csv", "-f", "json", "--show-secrets", cwd=tmp_path)
    assert findings(run) == [
        ("generic-secret-assignment", 2, 10, KEY),
        ("generic-secret-assignment", 3, 10, KEY[::-1]),
    ]


def test_redact_masks_csv_values_in_place(veil):
    run = veil("redact", stdin=KEYS_TABLE.encode())
    assert run.out == (
        "service,key,created\npandadoc,[REDACTED:generic-secret-assignment],2024-01-15\n"
        "geocoder,[REDACTED:generic-secret-assignment],2024-02-01\n"
    )


@pytest.mark.parametrize("text", [
    "key,value\nlanguage,English\ntimezone,Europe/Berlin\n",  # words
    f"token_type,access_token_id,user\nbearer,{KEY},ana\n",  # a type and an id are not secrets
    f"name,key\nalpha,beta\n\n{KEY},gamma\n",  # the table ended at the blank line
    f"service,key,created\npandadoc,{KEY}\n",  # a row of another width ends the table
    f"-----BEGIN PRIVATE KEY-----\n{KEY}\n{KEY[::-1]}\n",  # one field is no table
])
def test_columns_that_hold_no_secret_are_left_alone(veil, tmp_path, text):
    (tmp_path / "table.csv").write_text(text)
    assert findings(veil("scan", "table.csv", "-f", "json", "--show-secrets", cwd=tmp_path)) == []


@pytest.mark.parametrize(("header", "name"), [
    ("Password", "password"), ("Secret access key", "secret"), ("api_key", "api_key"), ("Token", "token"),
    ("Access key ID", None), ("token_type", None), ("password_hash", None), ("key_name", None), ("url", None),
])
def test_column_names(header, name):
    assert column_name(header) == name


@pytest.mark.parametrize("backend", BACKENDS)
def test_both_backends_place_csv_matches_alike(backend):
    data = ("# export\n" + KEYS_TABLE).encode()
    assert [(m.rule.id, m.secret, m.start, m.line) for m in Engine(None, backend).scan(data).matches] == [
        ("generic-secret-assignment", KEY, data.index(KEY.encode()), 3),
        ("generic-secret-assignment", KEY[::-1], data.index(KEY[::-1].encode()), 4),
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_table_of_a_chunk_is_read(backend):
    """With Hyperscan, only the lines where the header trigger matched are read as headers: each of them."""
    data = ("# two tables\n" + KEYS_TABLE + "\nnotes: none\n" + "name,password\nops," + PASSWORD + "\n").encode()
    assert [(m.secret, m.line) for m in Engine(None, backend).scan(data).matches] == [
        (KEY, 3), (KEY[::-1], 4), (PASSWORD, 8)]


_NAMES = st.from_regex(r"\A\"?[A-Za-z][A-Za-z0-9_ .()/-]{0,12}(?:password|Secret|token|KEY)?[A-Za-z0-9_ ]{0,5}\"?\Z")


@given(st.lists(_NAMES, min_size=1, max_size=6), st.text(max_size=20), st.sampled_from(["\n", "\r\n"]))
def test_the_prefilter_trigger_holds_every_header(fields, before, end):
    """The engine looks for TRIGGER (cheap to compile); every header the decoder reads must match it."""
    text = (before + "\n" + ",".join(fields) + end).encode("utf-8", "surrogatepass")
    if regex.search(HEADER.encode(), text):
        assert regex.search(TRIGGER.encode(), text)


@pytest.mark.parametrize(("line", "header"), [
    (b"service,key,created\n", True), (b"User name,Password,Access key ID,Secret access key\r\n", True),
    (b"x = f(a, key=1)\n", False), (b"-----BEGIN PRIVATE KEY-----\n", False),
    (b"    self.check(key,value)\n", False),  # indented: code, not a row
])
def test_trigger_and_header_on_known_lines(line, header):
    assert bool(regex.search(HEADER.encode(), line)) is header
    assert bool(regex.search(TRIGGER.encode(), line)) is header


def test_an_import_line_is_no_header_though_the_prefilter_lets_it_through():
    line = b"from typing import Any, KeyType\n"
    assert regex.search(TRIGGER.encode(), line) and not regex.search(HEADER.encode(), line)
