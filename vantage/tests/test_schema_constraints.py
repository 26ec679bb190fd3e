"""The OpenAPI schema states what the server enforces, so a client generated from it never sends what is refused.

1. The documented constraints come from the validators' own constants (imported, not copied): change a limit
   and forget the schema, and these fail.
2. schemathesis' schema-valid (positive) cases for the operations whose constraints were missing
   (`make proof`'s "schema-valid request rejected"), sent over HTTP: a 400/422 is allowed only for what no
   schema can know — data that does not exist or state (an unknown product, a reused Idempotency-Key).
"""
import json
import re
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode

from apps.catalog.services import TOKEN_PREFIX
from apps.checkout.addresses import COUNTRY_INPUT_PATTERN, US_STATE_CODES, us_address_errors
from apps.checkout.api.views_carts import IF_MATCH_PATTERN
from apps.checkout.sessions import SESSION_TOKEN_PREFIX
from apps.core.idempotency import IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENCY_KEY_MIN_LENGTH, IDEMPOTENCY_KEY_PATTERN
from apps.core.money import MONEY_MAX
from apps.core.schema_constraints import BODY_TEXT_PATTERN, QUERY_TEXT_PATTERN
from apps.core.tests.test_schema_fuzz import as_every_caller, filled_path, send
from apps.inventory.services.webhooks import SECRET_MIN_LENGTH

pytestmark = pytest.mark.django_db

# Positive cases per operation and a bound for the whole run: the check takes about 15 s on the shared 2-core
# machine, 9 s of it loading the demo shop.
EXAMPLES = 12
SECONDS = 45
FIXED_OPERATIONS = [
    ("POST", "/api/v2/checkout/guest"),
    ("POST", "/api/v1/merchant/orders/{order_id}/fulfillments"),
    ("POST", "/api/v1/carts"),
    ("POST", "/api/v1/carts/{cart_id}/items"),
    ("PATCH", "/api/v1/carts/{cart_id}/items/{product_id}"),
    ("DELETE", "/api/v1/carts/{cart_id}/items/{product_id}"),
    ("GET", "/api/v1/inventory/alerts"),
    ("GET", "/api/v1/inventory/thresholds"),
    ("GET", "/api/v1/merchant/returns"),
    ("GET", "/api/v2/checkout/guest/shipping-options"),
    ("PATCH", "/api/v2/checkout/guest/session/{session_id}"),
    ("POST", "/api/v1/flags/evaluate"),
    ("POST", "/api/v1/intents/create"),
    ("POST", "/api/v1/inventory/stock/{product_id}/adjustments"),
    ("POST", "/api/v1/inventory/thresholds"),
    ("PATCH", "/api/v1/inventory/thresholds/{threshold_id}"),
    ("POST", "/api/v1/inventory/thresholds/bulk"),
    ("PUT", "/api/v1/inventory/webhook-endpoint"),
]
# Refusals that depend on data or state, not on the request's shape: no schema can rule them out.
DATA_DEPENDENT_CODES = {
    "NOT_FOUND", "SKU_MISMATCH", "INSUFFICIENT_STOCK", "UNDELIVERABLE_ADDRESS", "IDEMPOTENCY_KEY_REUSED",
    "ORDER_NOT_FULFILLABLE", "CART_NOT_FOUND", "CART_EXPIRED", "EMPTY_CART", "UNSAFE_URL",
    "PAYMENT_REQUEST_INVALID",  # Stripe's answer for the session's or intent's state (no payment method yet)
}
# The shipping methods on offer depend on the address and the shop's rates.
DATA_DEPENDENT_FIELD_CODES = {("shipping_method", "INVALID_CHOICE")}


@pytest.fixture
def schema(client) -> dict:
    return json.loads(client.get("/api/schema/", {"format": "json"}).content)


def operation(schema: dict, method: str, path: str) -> dict:
    return schema["paths"][path][method.lower()]


def parameter(schema: dict, method: str, path: str, name: str) -> dict:
    return next(p for p in operation(schema, method, path).get("parameters", []) if p["name"] == name)["schema"]


def component(schema: dict, name: str) -> dict:
    return schema["components"]["schemas"][name]


@pytest.mark.parametrize("method,path", [("POST", "/api/v2/checkout/guest"),
                                         ("POST", "/api/v1/merchant/orders/{order_id}/fulfillments")])
def test_idempotency_key_is_documented_as_the_mixin_checks_it(schema, method, path):
    key = parameter(schema, method, path, "Idempotency-Key")
    assert (key["minLength"], key["maxLength"]) == (IDEMPOTENCY_KEY_MIN_LENGTH, IDEMPOTENCY_KEY_MAX_LENGTH)
    assert key["pattern"] == IDEMPOTENCY_KEY_PATTERN


def test_idempotency_key_limits_are_the_servers(client):
    # given keys at and past the documented length
    longest, too_long = "k" * IDEMPOTENCY_KEY_MAX_LENGTH, "k" * (IDEMPOTENCY_KEY_MAX_LENGTH + 1)

    # when each is sent with the same (invalid) checkout body
    answers = {key: client.post("/api/v2/checkout/guest", {}, content_type="application/json",
                                headers={"Idempotency-Key": key}) for key in (longest, too_long)}

    # then only the one past the limit is refused for its key
    assert answers[too_long].status_code == 422 and answers[too_long].json()["error"] == "INVALID_FORMAT"
    assert answers[longest].json().get("error") != "INVALID_FORMAT"


def test_bearer_tokens_are_documented_with_their_formats_and_where_each_is_needed(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["merchantToken"]["bearerFormat"].startswith(TOKEN_PREFIX)
    assert schemes["guestSessionToken"]["bearerFormat"].startswith(SESSION_TOKEN_PREFIX)
    for method in ("get", "patch"):
        assert schema["paths"]["/api/v2/checkout/guest/session/{session_id}"][method]["security"] == [
            {"guestSessionToken": []}]
    assert {"guestSessionToken": []} in schema["paths"]["/api/v2/checkout/guest"]["post"]["security"]


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_if_match_is_documented_as_a_cart_etag(schema, method):
    path = "/api/v1/carts/{cart_id}/items" if method == "POST" else "/api/v1/carts/{cart_id}/items/{product_id}"
    assert parameter(schema, method, path, "If-Match")["pattern"] == IF_MATCH_PATTERN


def test_cart_quantity_patch_requires_the_quantity(schema):
    body = operation(schema, "PATCH", "/api/v1/carts/{cart_id}/items/{product_id}")["requestBody"]
    assert body["required"] is True
    assert component(schema, body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1])[
        "required"] == ["quantity"]


def test_country_fields_take_two_letters(schema):
    assert component(schema, "GuestShippingAddressRequest")["properties"]["country"]["pattern"] == \
        COUNTRY_INPUT_PATTERN
    assert parameter(schema, "GET", "/api/v2/checkout/guest/shipping-options", "country")["pattern"] == \
        COUNTRY_INPUT_PATTERN


def test_us_addresses_need_a_state_code_and_a_zip(schema):
    us = component(schema, "GuestShippingAddressRequest")["oneOf"][1]
    assert set(us["properties"]["state"]["enum"]) == US_STATE_CODES
    for zip_code in ("62704", "62704-1234", "6270", "62704-12", "ABCDE"):
        documented = re.search(us["properties"]["zip"]["pattern"], zip_code) is not None
        assert documented == ("zip" not in us_address_errors(state="IL", zip_code=zip_code)), zip_code


@pytest.mark.parametrize("name,field", [("WebhookEndpointInputRequest", "secret"),
                                        ("ThresholdCreateInputRequest", "webhook_secret"),
                                        ("PatchedThresholdUpdateInputRequest", "webhook_secret")])
def test_webhook_secrets_have_the_services_minimum_length(schema, name, field):
    assert component(schema, name)["properties"][field]["minLength"] == SECRET_MIN_LENGTH


def test_threshold_bodies_say_which_value_each_type_needs(schema):
    for name in ("ThresholdCreateInputRequest", "BulkInputRequest", "PatchedThresholdUpdateInputRequest"):
        branches = component(schema, name)["oneOf"]
        assert {"threshold_type", "threshold_value"} <= set(branches[0]["required"])
        assert {"threshold_type", "threshold_percentage"} <= set(branches[1]["required"])
    assert "reorder_lead_days" in component(schema, "BulkInputRequest")["oneOf"][1]["required"]


def test_lists_and_numbers_carry_their_limits(schema):
    assert component(schema, "AnalyzeInputRequest")["properties"]["variants"]["minItems"] == 2
    assert component(schema, "FulfillmentCreateInputRequest")["properties"]["lines"]["minItems"] == 1
    assert component(schema, "AdjustmentInputRequest")["properties"]["delta"]["not"] == {"enum": [0]}
    assert component(schema, "IntentCreateInputRequest")["properties"]["amount"]["maximum"] == float(MONEY_MAX)


def test_every_free_text_input_is_trimmed_text_without_nul_or_control_characters(schema):
    # given every string a client sends: request body properties and query parameters
    loose = []
    for name, body in schema["components"]["schemas"].items():
        for field, prop in body.get("properties", {}).items() if name.endswith("Request") else ():
            if prop.get("type") == "string" and not {"pattern", "format", "enum"} & prop.keys():
                loose.append(f"{name}.{field}")
    for path, item in schema["paths"].items():
        for method, op in item.items():
            for param in op.get("parameters", []):
                text = param["schema"]
                if param["in"] == "query" and text.get("type") == "string" and not {"pattern", "format",
                                                                                       "enum"} & text.keys():
                    loose.append(f"{method.upper()} {path} ?{param['name']}")

    # then each has a pattern: the generic ones, or a stricter one of its own
    assert loose == []
    assert component(schema, "CartItemInputRequest")["properties"]["product_id"]["pattern"] == BODY_TEXT_PATTERN
    assert parameter(schema, "GET", "/api/v1/inventory/alerts", "product_id")["pattern"] == QUERY_TEXT_PATTERN


@pytest.fixture
def api_client(client, local_stripe, django_user_model):
    return as_every_caller(client, django_user_model, username="schema")


def refused_for_its_shape(response) -> bool:
    """A 400/422 for something other than data or state."""
    if response.status_code not in (400, 422):
        return False
    body = response.json()
    refusals = [(error["field"], error["code"]) for error in body["errors"]] if "errors" in body else [
        ("", body.get("error", ""))]
    return any(code not in DATA_DEPENDENT_CODES and (field, code) not in DATA_DEPENDENT_FIELD_CODES
               for field, code in refusals)


def test_schema_valid_input_is_not_refused_for_its_shape(api_client, schema):
    # given schemathesis' schema-valid cases for each operation whose constraints were undocumented
    loaded = schemathesis.openapi.from_dict(schema)
    deadline = time.monotonic() + SECONDS
    refused, sent = [], 0
    for method, path in FIXED_OPERATIONS:
        if time.monotonic() > deadline:
            break

        @hypothesis_settings(max_examples=EXAMPLES, database=None, deadline=None, derandomize=True,
                             suppress_health_check=list(HealthCheck))
        @given(loaded[path][method].as_strategy(generation_mode=GenerationMode.POSITIVE))
        def check(case):
            nonlocal sent
            # when
            response = send(api_client, case.method, filled_path(case.operation.path, case.path_parameters or {}),
                            query=case.query, body=case.body, media_type=case.media_type or "application/json",
                            headers={k: v for k, v in (case.headers or {}).items()
                                     if k.lower() not in ("authorization", "x-service-auth")})
            sent += 1
            if refused_for_its_shape(response):
                refused.append(f"{case.method} {case.operation.path}: {response.content[:300]!r} <- "
                               f"headers={case.headers!r} "
                               f"query={case.query!r} body={case.body!r}")

        check()

    # then nothing schema-valid was refused for its shape
    assert sent >= len(FIXED_OPERATIONS)
    assert refused == []
