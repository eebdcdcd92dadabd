"""Every example of every shipped rule is a test, on both prefilter backends."""

import pytest

from scanner.prefilter import BACKENDS
from scanner.ruleset import RuleSet, build_rule
from scanner.ruletest import check_rule

RULES = RuleSet.default()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule, backend):
    assert check_rule(rule, backend) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_complete(rule):
    assert rule.keywords, "a rule without keywords runs on every byte"
    assert len(rule.positives) >= 2 and len(rule.negatives) >= 2
    assert all(ex.secret is None or ex.secret in ex.text for ex in rule.positives)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_shipped_rule_passes_the_checks_user_rules_get_at_load(rule):
    """Shipped rules are compiled lazily, on first use; here they get the load-time checks."""
    build_rule({"id": rule.id, "description": rule.description, "regex": rule.regex, "keywords": list(rule.keywords),
                **({"secret_group": rule.secret_group} if rule.secret_group is not None else {})}, rule.source)
    for allowlist in rule.allowlists:
        assert len(allowlist.regexes) == len(allowlist.regex_sources)


def test_rule_count():
    assert len(RULES) >= 600  # issue 11: the long tail of providers
