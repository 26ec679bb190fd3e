"""Every operation of the OpenAPI document answers its happy path with exactly the body it documents:
the response validates against the documented schema (components resolved, undocumented keys refused)."""
import pytest
from jsonschema import Draft202012Validator

from .api_cases import CASES, SKIPPED
from .api_schema import json_schema, operations, parse_decimal

pytestmark = pytest.mark.django_db

OPERATIONS = {operation.operation_id: operation for operation in operations()}


def test_every_case_names_an_operation_of_the_schema():
    # then: no entry outlives its endpoint, and nothing is both tested and skipped
    assert set(CASES) - set(OPERATIONS) == set()
    assert set(SKIPPED) - set(OPERATIONS) == set() and set(SKIPPED) & set(CASES) == set()


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_happy_path_matches_the_documented_response(shop, operation_id):
    # given: the operation's documented response
    operation = OPERATIONS[operation_id]
    if operation_id in SKIPPED:
        pytest.skip(SKIPPED[operation_id])
    assert operation_id in CASES, (f"{operation.method.upper()} {operation.path} ({operation_id}) has no happy "
                                   "path in vantage/tests/api_cases.py: add one (or a reasoned SKIPPED entry).")

    # when
    response = CASES[operation_id](shop)

    # then: the documented status, and the body the schema describes
    assert response.status_code == operation.status, response.content
    if operation.schema is None:
        assert response.content == b""
        return
    assert response["Content-Type"] == "application/json; charset=utf-8"
    errors = [f"{'/'.join(map(str, error.absolute_path)) or '$'}: {error.message}"
              for error in Draft202012Validator(json_schema(operation)).iter_errors(parse_decimal(response.content))]
    assert errors == []
