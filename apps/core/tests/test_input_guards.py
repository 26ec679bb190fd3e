"""Bad input through real requests: control characters in paths and queries, JSON nested too deep.

Each of these was a 500 (a PostgreSQL error or a RecursionError) before the core input guards.
"""
import pytest
from prometheus_client import REGISTRY

pytestmark = [pytest.mark.django_db, pytest.mark.urls("apps.core.tests.urls")]

CONTROL_PATHS = [
    "/api/v1/carts/%00",
    "/api/v1/carts/cart_%00/items",
    "/api/v1/returns/ret_%00",
    "/api/v1/inventory/thresholds/thr_%00",
    "/api/v1/inventory/stock/prod_%00",
    "/api/v1/analytics/experiments/%00",
    "/api/v2/checkout/guest/session/%1f",
    "/checkout/confirmation/%00/",
    "/products/%00/",
    "/returns/ret_%00",
    "/returns/orders/ord_%7f",
]


@pytest.mark.parametrize("path", CONTROL_PATHS)
def test_a_control_character_in_the_path_is_a_404(client, path):
    # given a client that reports errors as responses, as a real server would
    client.raise_request_exception = False

    # when
    response = client.get(path, headers={"X-Service-Auth": "Bearer svc_dev_token_change_me"})

    # then
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.json()["error"] == "NOT_FOUND"


@pytest.mark.parametrize("path, field", [
    ("/api/v1/inventory/alerts?category=%00", "category"),
    ("/api/v1/inventory/alerts?status=active&product_id=prod_%0a", "product_id"),
    ("/api/v1/returns?order_id=ord_%00&email=a@example.com&confirmation_token=cnf_x", "order_id"),
    ("/api/v1/merchant/returns?st%00atus=paid", "st?atus"),
])
def test_a_control_character_in_an_api_query_is_a_422_naming_the_parameter(client, path, field):
    client.raise_request_exception = False

    response = client.get(path)

    assert response.status_code == 422
    assert response.json()["errors"] == [{
        "field": field, "code": "INVALID_FORMAT", "constraint": "Printable characters only",
        "message": response.json()["errors"][0]["message"]}]


@pytest.mark.parametrize("path", ["/products/?category=%00", "/products/?q=a%00b", "/returns/start?order_id=%00"])
def test_a_control_character_in_a_page_query_is_a_404(client, path):
    client.raise_request_exception = False

    assert client.get(path).status_code == 404


def test_printable_query_values_still_reach_the_page(client):
    assert client.get("/products/?category=electronics").status_code == 200


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def checkout_errors_total() -> float:
    return sum(s.value for family in REGISTRY.collect() if family.name == "checkout_errors"
               for s in family.samples if s.name == "checkout_errors_total")


def test_a_deeply_nested_checkout_body_is_a_400_and_no_checkout_error(client):
    # given the 6 KB body nested 3,000 levels that crashed the parser
    body = nested(3000)
    errors_before = checkout_errors_total()
    client.raise_request_exception = False

    # when
    response = client.post("/api/v2/checkout/guest", body, content_type="application/json")

    # then it is the client's mistake, not an error of ours the checkout alert would count
    assert response.status_code == 400
    assert response.json()["error"] == "MALFORMED_JSON"
    assert checkout_errors_total() == errors_before


@pytest.mark.parametrize("path", ["/api/test/echo", "/api/v1/carts", "/webhooks/stripe/guest-checkout",
                                  "/api/v1/experiments/analyze"])
def test_json_deeper_than_32_levels_is_malformed_on_every_route(client, path):
    client.raise_request_exception = False

    response = client.post(path, '{"email": ' + nested(33) + "}", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == "MALFORMED_JSON"


def test_json_at_the_depth_limit_and_brackets_inside_strings_are_accepted(client):
    # given 32 levels in all (the object itself plus 31 nested arrays) and a string full of brackets
    body = '{"email": "a@example.com", "note": "' + "[{" * 500 + '\\"]", "deep": ' + nested(31) + "}"

    response = client.post("/api/test/echo", body, content_type="application/json")

    assert response.status_code == 201
