"""The targeting rule language: what it accepts, how it evaluates, and what it refuses."""
import pytest

from apps.experiments.errors import InvalidRule
from apps.experiments.rules import matches, parse

CONTEXT = {"region": "us-east-1", "device": "mobile", "user_id": 42, "app_version": 3.8, "beta": True,
           "address": {"country": "US"}}


@pytest.mark.parametrize(("rule", "bucket", "expected"), [
    ("region = 'us-east-1' AND percentage < 5", 4.99, True),
    ("region = 'us-east-1' AND percentage < 5", 5.0, False),
    ("user.region = 'us-east-1' AND random_percentage < 5", 1.0, True),
    ("region = 'eu-west-1' OR device = \"mobile\"", None, True),
    ("device IN ('mobile', 'tablet') AND NOT region = 'eu-west-1'", None, True),
    ("device NOT IN ('mobile', 'tablet')", None, False),
    ("app_version >= 3.8 AND app_version < 4", None, True),
    ("user_id = '42'", None, True),
    ("beta = true", None, True),
    ("address.country = 'US'", None, True),
    ("missing = 'x'", None, False),
    ("NOT missing = 'x'", None, True),
    ("percentage < 100", None, False),
    ("(region = 'eu-west-1' OR device = 'mobile') AND beta = true", None, True),
    ("region > 5", None, False),
])
def test_rules_evaluate_against_the_context(rule, bucket, expected):
    assert matches(parse(rule), CONTEXT, bucket) is expected


@pytest.mark.parametrize("rule", [
    "", "region =", "region = 'x' AND", "__import__('os').system('id')", "region == 'a' ; drop",
    "region = us-east-1", "(region = 'x'", "region NOT = 'x'", "1 = 1",
])
def test_invalid_rules_are_refused_with_a_message(rule):
    with pytest.raises(InvalidRule) as error:
        parse(rule)
    assert error.value.message
