"""Every example of every shipped rule is a test, on both prefilter backends."""

import pytest

from scanner.prefilter import BACKENDS
from scanner.ruleset import RuleSet
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


def test_rule_count():
    assert len(RULES) >= 60
