"""The text report's closing lines, exactly: findings by confidence and by rule (issue 14 item 2), then
the totals, with singular and plural right ("1 file scanned", issue 15 item 11)."""

from __future__ import annotations

from scanner.ruleset import default_rules
from tests.conftest import AWS_KEY_ID, GITHUB_PAT, GITHUB_PAT_2

EXAMPLES = {r.id: r.positives[0].text for r in default_rules()}


def test_one_file_is_singular(veil, tmp_path):
    (tmp_path / "a.env").write_text(f"AWS={AWS_KEY_ID}\n")
    run = veil("scan", "a.env", cwd=tmp_path)
    assert run.out.splitlines()[-2:] == [
        "by confidence: 1 high · by rule: aws-access-key-id 1",
        "1 finding in 1 file · 1 file scanned (25 B)",
    ]
    (tmp_path / "b.md").write_text("nothing\n")
    assert veil("scan", "b.md", cwd=tmp_path).out == "0 findings in 0 files · 1 file scanned (8 B)\n"


def test_a_long_report_ends_with_counts_by_confidence_and_by_rule(veil, tmp_path):
    lines = [f"A={GITHUB_PAT}", f"B={GITHUB_PAT_2}", 'password = "Winter2025!x"', f"aws = {AWS_KEY_ID}"]
    lines += [EXAMPLES[rule] for rule in ("stripe-live-secret-key", "slack-bot-token", "anthropic-api-key",
                                          "gitlab-pat", "npm-access-token")]
    (tmp_path / "app.env").write_text("\n".join(lines) + "\n")
    (tmp_path / "more.env").write_text(f"C={GITHUB_PAT}\n")
    run = veil("scan", ".", cwd=tmp_path)
    assert run.code == 1
    assert run.out.splitlines()[-2:] == [
        "by confidence: 9 high, 1 low · by rule: github-pat 3, anthropic-api-key 1, aws-access-key-id 1, "
        "generic-secret-assignment 1, gitlab-pat 1, 3 more rules",
        "10 findings in 2 files · 2 files scanned (599 B)",
    ]
