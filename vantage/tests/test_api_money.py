"""Money on the wire: every amount an operation documents as money (`MoneyField`: a number, multiple
of 0.01) is written in the raw JSON with exactly two decimals, e.g. `47.99`, `129.50`, `25.00`. The
operations come from the OpenAPI document, so a new endpoint with money joins these tests by itself."""
import re

import pytest

from .api_cases import CASES
from .api_schema import has_money, is_money, money_values, openapi, operations, parse_raw

pytestmark = pytest.mark.django_db

TWO_DECIMALS = re.compile(r"^-?\d+\.\d{2}$")
MONEY_NAMES = re.compile(r"(amount|price|total|revenue|refund|charged|order_value|estimate)(_received|_refunded)?$")
MONEY_OPERATIONS = {op.operation_id: op for op in operations() if has_money(op.schema)}
# Operations whose money can only appear in a later state (their happy path shows none; the format is still checked)
MONEY_ONLY_LATER = {
    "v2_checkout_guest_session_create": "a new session has no address yet, so its quote is null (GET/PATCH show it)",
}


def test_money_operations_are_found():
    # then: the walk sees the money of checkout, carts, intents, returns and the payment dashboard
    assert {"v1_carts_create", "v2_checkout_guest_create", "v1_intents_create_create", "returns_create",
            "v1_analytics_payment_methods_retrieve"} <= set(MONEY_OPERATIONS)


def test_every_number_named_like_money_is_documented_as_money():
    # given: every number property of every component
    numbers = [(component, name, schema) for component, body in openapi()["components"]["schemas"].items()
               for name, schema in body.get("properties", {}).items()
               if schema.get("type") == "number" or "additionalProperties" in schema]
    # then: an amount is never a plain float (it would be written as 25.0 or with binary noise)
    wrong = [f"{component}.{name}" for component, name, schema in numbers
             if MONEY_NAMES.search(name) and not is_money(schema.get("additionalProperties", schema))]
    assert wrong == []


@pytest.mark.parametrize("operation_id", sorted(MONEY_OPERATIONS))
def test_money_has_two_decimals_in_the_raw_body(shop, operation_id):
    # given
    operation = MONEY_OPERATIONS[operation_id]
    assert operation_id in CASES, f"{operation_id} answers money but has no happy path in api_cases.py"

    # when
    response = CASES[operation_id](shop)

    # then: every money value of the body, read as the raw JSON token, has two decimals
    assert response.status_code == operation.status, response.content
    found = money_values(parse_raw(response.content.decode()), operation.schema)
    assert found or operation_id in MONEY_ONLY_LATER, f"{operation_id}'s happy path answered no money value"
    assert [(where, raw) for where, raw in found if not TWO_DECIMALS.match(raw)] == []
