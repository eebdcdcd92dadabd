"""benchmarks/accuracy_public.py: extraction from a mirror-like git repository, and scoring veil on two files."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import GITHUB_PAT

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import accuracy_public as bench  # noqa: E402
import accuracy_settings as settings  # noqa: E402
import accuracy_sources as sources  # noqa: E402

GO_RULE = """package rules

func Demo() *config.Rule {
	r := config.Rule{
		RuleID: "demo-token",
	}
	prefix := "demo_"
	tps := utils.GenerateSampleSecrets("demo", prefix+"Q7xk2Lm9Pz4Rt8Vw")
	tps = append(tps, `demo_key = "`+secrets.NewSecret(utils.Hex("32"))+`"`, fmt.Sprintf("token: %s", "demo_A1b2C3d4"))
	fps := []string{"demo_xxxxxxxxxxxxxxxx"}
	return utils.Validate(r, tps, fps)
}
"""
KF_RULE = """rules:
  - name: Demo Key
    id: kingfisher.demo.1
    pattern: '\\b(dk_[a-z0-9]{12})\\b'
    examples:
      - 'demo key dk_a1b2c3d4e5f6'
    negative_examples:
      - 'dk_short'
"""
NP_RULE = """rules:
  - name: Demo Key
    id: np.demo.1
    pattern: '\\b(dk_[a-z0-9]{12})\\b'
    examples:
      - 'demo key dk_a1b2c3d4e5f6'
      - 'DEMO_KEY=dk_z9y8x7w6v5u4'
"""
SEMGREP_TEST = """# ruleid: detected-demo-key
DEMO_KEY=dk_q1w2e3r4t5y6

# ok: detected-demo-key
DEMO_KEY=dk_short
# ruleid: detected-demo-private-key
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
# ruleid: detected-demo-private-key
-----BEGIN RSA PRIVATE KEY-----
MIIEogIBAAKCAQEA
-----END RSA PRIVATE KEY-----
"""
SECRETLINT_OUTPUT = '{"messages": [{"message": "found", "range": [9, 24]}]}'
TH_TEST = """package demo

var (
	validKey   = "dmo_8Qz1Lk2Vw9Rt"
	invalidKey = "dmo_8Qz1?k2Vw9Rt"
)

func TestDemo_Pattern(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{
			name:  "valid pattern",
			input: fmt.Sprintf("demo token = '%s'", validKey),
			want:  []string{validKey},
		},
		{
			name:  "valid pattern - key out of prefix range",
			input: fmt.Sprintf("demo is far from the key and the token = %s", validKey),
			want:  nil,
		},
		{
			name:  "invalid pattern",
			input: fmt.Sprintf("demo token = '%s'", invalidKey),
			want:  []string{},
		},
	}
}
"""


def git(cwd: Path, *argv: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *argv], cwd=cwd, check=True, capture_output=True
    )


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "cmd/generate/config/rules").mkdir(parents=True)
    (repo / "data/rules").mkdir(parents=True)
    (repo / "pkg/detectors/demo").mkdir(parents=True)
    (repo / "pkg/detectors/demo/demo_test.go").write_text(TH_TEST)
    (repo / "cmd/generate/config/rules/demo.go").write_text(GO_RULE)
    (repo / "data/rules/demo.yml").write_text(KF_RULE)
    (repo / "crates/noseyparker/data/default/builtin/rules").mkdir(parents=True)
    (repo / "crates/noseyparker/data/default/builtin/rules/demo.yml").write_text(NP_RULE)
    (repo / "generic/secrets/security").mkdir(parents=True)
    (repo / "generic/secrets/security/detected-demo-key.txt").write_text(SEMGREP_TEST)
    (repo / "generic/secrets/security/detected-demo-key.yaml").write_text("rules: []\n")
    snapshots = repo / "packages/@secretlint/secretlint-rule-demo/test/snapshots"
    for case, text, output in (
        ("ng.key", "DEMO_KEY=dk_m9n8b7v6c5x4\n", SECRETLINT_OUTPUT),
        ("ok.valid", "DEMO_KEY=\n", '{"messages": []}'),
        ("ng.options", "DEMO_KEY=dk_a1a1a1a1a1a1\n", SECRETLINT_OUTPUT),
    ):
        (snapshots / case).mkdir(parents=True)
        (snapshots / case / "input.txt").write_text(text)
        (snapshots / case / "output.json").write_text(output)
    (snapshots / "ng.options/.secretlintrc.json").write_text("{}")  # options change the label: left out
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "fixture")
    return repo / ".git"


def test_extraction_keeps_literal_examples_only(mirror: Path) -> None:
    gitleaks, kingfisher, trufflehog = sources.MIRRORS[:3]
    got = [(e.source, e.rule, e.positive, e.text, e.secret) for e in sources.extract(gitleaks, mirror)]
    assert got == [
        ("gitleaks", "demo-token", True, 'demo_api_token = "demo_Q7xk2Lm9Pz4Rt8Vw"', "demo_Q7xk2Lm9Pz4Rt8Vw"),
        ("gitleaks", "demo-token", True, "token: demo_A1b2C3d4", None),
        ("gitleaks", "demo-token", False, "demo_xxxxxxxxxxxxxxxx", None),
    ]
    got = [(e.rule, e.positive, e.text, e.secret, e.origin) for e in sources.extract(kingfisher, mirror)]
    assert got == [
        ("kingfisher.demo.1 Demo Key", True, "demo key dk_a1b2c3d4e5f6", "dk_a1b2c3d4e5f6", "data/rules/demo.yml"),
        ("kingfisher.demo.1 Demo Key", False, "dk_short", None, "data/rules/demo.yml"),
    ]
    got = [(e.rule, e.positive, e.text, e.secret) for e in sources.extract(trufflehog, mirror)]
    assert got == [  # the detector's own limit ("out of prefix range") is neither positive nor negative
        ("demo", True, "demo token = 'dmo_8Qz1Lk2Vw9Rt'", "dmo_8Qz1Lk2Vw9Rt"),
        ("demo", False, "demo token = 'dmo_8Qz1?k2Vw9Rt'", None),
    ]


def test_later_sources_keep_only_examples_no_earlier_source_has(mirror: Path, tmp_path: Path) -> None:
    root = tmp_path / "mirrors"
    for m in bench.ALL_MIRRORS:
        m.gitdir(root).parent.mkdir(parents=True)
        m.gitdir(root).symlink_to(mirror)
    examples, later = bench.collect(root)
    assert [(e.source, e.rule, e.positive, e.text, e.secret) for e in later] == [
        ("noseyparker", "np.demo.1 Demo Key", True, "DEMO_KEY=dk_z9y8x7w6v5u4", "dk_z9y8x7w6v5u4"),
        ("semgrep", "detected-demo-key", True, "DEMO_KEY=dk_q1w2e3r4t5y6\n", None),
        ("semgrep", "detected-demo-key", False, "DEMO_KEY=dk_short\n", None),
        ("semgrep", "detected-demo-private-key", True,
         "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n", None),  # no END: up to the next annotation
        ("semgrep", "detected-demo-private-key", True,
         "-----BEGIN RSA PRIVATE KEY-----\nMIIEogIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n", None),
        ("secretlint", "demo", True, "DEMO_KEY=dk_m9n8b7v6c5x4\n", "dk_m9n8b7v6c5x4"),
        ("secretlint", "demo", False, "DEMO_KEY=\n", None),
    ]  # Nosey Parker's first example is Kingfisher's too
    assert {bench.split_of(e) for e in later if e.source == "noseyparker"} <= {"fresh-tune", "fresh"}
    assert {bench.split_of(e) for e in later if e.source != "noseyparker"} <= {"fresh2-tune", "fresh2"}
    assert {bench.split_of(e) for e in examples} <= {"tune", "holdout"}
    assert bench.names_no_secret("np.okta.1 Okta Domain") and not bench.names_no_secret("np.demo.1 Demo Key")


def test_veil_scored_per_file(tmp_path: Path, veil) -> None:
    token = GITHUB_PAT
    examples = [
        sources.Example("gitleaks", "github-pat", True, f"GITHUB_TOKEN={token}\n", "rules/github.go", token),
        sources.Example("gitleaks", "github-pat", False, "def add(a, b):\n    return a + b\n", "rules/github.go"),
    ]
    work = tmp_path / "work"
    entries = bench.build(examples, work)
    assert [(e.path.split("/")[:3], e.family) for e in entries] == [
        (["pos", "gitleaks", "vcs"], "vcs"),
        (["neg", "gitleaks", "vcs"], "vcs"),
    ]
    findings = []
    for split in sorted({e.split for e in entries}):
        report = tmp_path / f"veil-{split}.json"
        veil("scan", ".", "--format", "json", "--output", report, cwd=work / split)
        findings += [replace(f, path=f"{split}/{f.path}") for f in bench.acc.read_veil(report)]
    hits = bench.hit_files(findings)
    assert hits == {f"{entries[0].split}/{entries[0].path}"}
    assert bench.rates(entries, hits, "source") == {
        "gitleaks": bench.Rate(positives=1, found=1, negatives=1, flagged=0),
        "all": bench.Rate(positives=1, found=1, negatives=1, flagged=0),
        "realistic": bench.Rate(positives=1, found=1, negatives=1, flagged=0),
    }
    outcome = bench.acc.Outcome(findings, 0.0)
    for split in bench.SPLITS:
        result = bench.misses(entries, outcome, split)
        assert (result["missed"], result["false_positives"]) == ([], [])
    pos = entries[0]
    assert bench.misses(entries, bench.acc.Outcome([], 0.0), pos.split)["missed"] == [
        {"path": f"{pos.split}/{pos.path}", "source": "gitleaks", "rule": "github-pat", "family": "vcs",
         "setting": "", "toy": False, "secret": f"{token[:4]}… (40 chars)"}
    ]  # fmt: skip
    manifest = json.loads((work / "manifest.json").read_text())
    assert [m["positive"] for m in manifest] == [True, False]
    assert bench.mask(token) == f"{token[:4]}… (40 chars)"


@pytest.mark.parametrize(("value", "toy"), [
    ("1234567890abcdef1234567890abcdef", True),  # a sequential run
    ("abcdefghijklmnopqrstuvwxyzABCDEF", True),
    ("qwertyuiopasdfgh12", True),  # a keyboard row
    ("SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", True),  # a character six times over
    ("abcd1234abcd1234abcd1234", True),  # a block repeated
    ("sk_live_EXAMPLEKEY9f3Qz7Lw2", True),  # a placeholder word
    ("9c41f07be2d85a3163e04b7fd2a9c8e51d06b3f4", False),
    ("Rk2Vn8QpL4xZ7bTw1MyC9dHs6FjA3uEg", False),
])
def test_toy_values_are_judged_by_shape_alone(value: str, toy: bool) -> None:
    assert bench.toy_value(value) is toy


@pytest.mark.parametrize(("rule", "secret"), [
    ("kingfisher.okta.2 Okta Domain", False), ("kingfisher.google.1 Google Client ID", False),
    ("kingfisher.mapbox.1 Mapbox Public Access Token", False), ("sumologic-access-id", False),
    ("kingfisher.snowflake.2 Snowflake Username", False),
    ("kingfisher.slack.4 Slack Webhook", True), ("sidekiq-sensitive-url", True), ("curl-auth-user", True),
    ("kingfisher.snowflake.3 Snowflake Password", True), ("kingfisher.auth0.2 Auth0 Client Secret", True),
])
def test_peer_rules_that_name_identifiers_are_not_realistic_secrets(rule: str, secret: bool) -> None:
    assert bench.names_no_secret(rule) is not secret


def test_a_positive_without_a_known_secret_is_a_toy_when_every_key_like_word_is() -> None:
    def example(text: str, positive: bool = True) -> sources.Example:
        return sources.Example("kingfisher", "demo", positive, text, "demo.yml")

    assert bench.toy_example(example("zenrows key 1234567890abcdef1234567890abcdef12345678"))
    assert not bench.toy_example(example("scrapfly SECRET_KEY scp-live-03b9e7d0d0024e4b8fccc1ffe923e899"))
    assert not bench.toy_example(example("zenrows key 1234567890abcdef1234567890abcdef12345678", positive=False))


def test_settings_wrap_positives_with_a_known_secret() -> None:
    examples = [
        sources.Example("gitleaks", "github-pat", True, f"GITHUB_TOKEN={GITHUB_PAT}", "a.go", GITHUB_PAT),
        sources.Example("gitleaks", "github-pat", True, "token = os.environ['X']", "a.go"),
        sources.Example("gitleaks", "demo-token", False, "demo_xxxxxxxxxxxxxxxx", "b.go"),
    ]
    got = [(e.source, e.positive, e.setting, e.text, e.secret, e.split_key) for e in settings.wrapped(examples, 5, 1)]
    assert got == [
        ("settings", True, "cli", f"github-cli login --api-key {GITHUB_PAT} --region us-east-1\n", GITHUB_PAT,
         examples[0].ident),
    ]  # fmt: skip
