"""The targeting rule language: what it accepts, how it evaluates, and what it refuses."""
import pytest

from apps.experiments.errors import InvalidRule
from apps.experiments.rules import compile_rule, parse

CONTEXT = {"region": "us-east-1", "device": "mobile", "user_id": 42, "app_version": 3.8, "beta": True,
           "address": {"country": "US"}, "sku": "42"}


def matches(rule: str, context: dict, bucket: float | None) -> bool:
    return compile_rule(parse(rule), lambda _: bucket)(context)


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
    # strings against number, boolean and null literals: a number matches by its text, nothing else does
    ("sku = 42", None, True),
    ("sku IN (7, 42)", None, True),
    ("sku IN (true, null, 4.2)", None, False),
    ("region != null", None, True),
    ("beta != 'true'", None, True),
    ("user_id IN ('42', 'x')", None, True),
    ("missing NOT IN ('x')", None, False),
    # three or more conditions, and percentage compared with = or with a non-number
    ("region = 'us-east-1' AND device = 'mobile' AND beta = false", None, False),
    ("region = 'x' OR device = 'y' OR app_version > 3", None, True),
    ("percentage = 5", 5.0, True),
    ("percentage IN (5, 6)", 6.0, True),
    ("percentage >= 'a'", 50.0, False),
])
def test_rules_evaluate_against_the_context(rule, bucket, expected):
    assert matches(rule, CONTEXT, bucket) is expected


def test_the_unit_is_hashed_only_when_the_rule_reaches_percentage():
    # given a compiled region + percentage rule whose position function records its calls
    calls = []
    rule = compile_rule(parse("region = 'us-east-1' AND percentage < 25"), lambda ctx: calls.append(ctx) or 10.0)
    # when the region already fails, then no position is computed
    assert rule({"region": "eu-west-1"}) is False
    assert calls == []
    # when the region matches, then the position decides
    assert rule({"region": "us-east-1"}) is True
    assert len(calls) == 1


@pytest.mark.parametrize("rule", [
    "", "region =", "region = 'x' AND", "__import__('os').system('id')", "region == 'a' ; drop",
    "region = us-east-1", "(region = 'x'", "region NOT = 'x'", "1 = 1",
])
def test_invalid_rules_are_refused_with_a_message(rule):
    with pytest.raises(InvalidRule) as error:
        parse(rule)
    assert error.value.message
