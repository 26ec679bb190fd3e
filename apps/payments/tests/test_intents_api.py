"""The internal intents API, replaying every /api/v1/intents/* sample of the seed through HTTP and the
real Stripe SDK against the local server (ids differ in value, keep their prefixes and shapes)."""
import re

import pytest

pytestmark = pytest.mark.django_db

TOKEN = "svc_tok_checkout_7f8e9d"


@pytest.fixture
def service(settings, local_stripe, client):
    settings.SERVICE_AUTH_TOKENS = [TOKEN, "svc_tok_checkout_review"]

    def post(path, body, token=TOKEN, **headers):
        auth = {"X-Service-Auth": f"Bearer {token}"} if token else {}
        return client.post(path, body, content_type="application/json", headers={**auth, **headers})

    return post


SEED_CREATE = {
    "amount": 67.25, "currency": "USD", "payment_method_id": "pm_stripe_5a4b3c2d",
    "metadata": {"cart_id": "cart_2e4f6a8b0c1d", "checkout_type": "guest",
                 "session_id": "guest:sess:f1e2d3c4-b5a6-7890-1234-567890abcdef"},
}


def test_seed_create_then_confirm(service, local_stripe):
    # when: the seed's 08:48:55 create
    created = service("/api/v1/intents/create", SEED_CREATE, **{"X-Request-ID": "req_1c3d5e7f9a0b",
                                                                 "X-Trace-ID": "trace_c0d1e2f3a4b5",
                                                                 "X-Source-Service": "checkout-service"})

    # then
    assert created.status_code == 200
    assert created["Content-Type"].startswith("application/json")
    assert created["X-Request-ID"] == "req_1c3d5e7f9a0b"
    assert created["X-Stripe-Request-ID"].startswith("req_")
    body = created.json()
    assert set(body) == {"intent_id", "status", "client_secret", "amount", "currency", "payment_method_types"}
    assert re.fullmatch(r"pi_\w+", body["intent_id"])
    assert body["status"] == "requires_confirmation"
    assert body["client_secret"].startswith(body["intent_id"] + "_secret_")
    assert body["amount"] == 67.25 and body["currency"] == "USD"
    assert body["payment_method_types"] == ["card"]
    [intent] = local_stripe.intents()
    assert intent["metadata"] == SEED_CREATE["metadata"]

    # when: the seed's 08:52:33 confirm
    confirmed = service("/api/v1/intents/confirm", {"intent_id": body["intent_id"],
                                                    "return_url": "https://www.vantage.com/checkout/confirm"},
                        **{"X-Request-ID": "req_3e5f7a9b1c2d"})

    # then
    assert confirmed.status_code == 200
    assert confirmed["X-Request-ID"] == "req_3e5f7a9b1c2d"
    result = confirmed.json()
    assert set(result) == {"intent_id", "status", "amount_received", "currency", "charge_id"}
    assert result["intent_id"] == body["intent_id"]
    assert result["status"] == "succeeded"
    assert result["amount_received"] == 67.25 and result["currency"] == "USD"
    assert re.fullmatch(r"ch_\w+", result["charge_id"])


@pytest.mark.parametrize(("amount", "payment_method_id", "cart_id", "session_id"), [
    (99.99, "pm_stripe_test_review", "cart_review_test_001", "guest:sess:review-test-uuid"),
    (24.99, "pm_stripe_test_success", "cart_review_test_003", None),
])
def test_seed_review_creates(service, amount, payment_method_id, cart_id, session_id):
    metadata = {"cart_id": cart_id, "checkout_type": "guest", **({"session_id": session_id} if session_id else {})}

    response = service("/api/v1/intents/create", {"amount": amount, "currency": "USD",
                                                  "payment_method_id": payment_method_id, "metadata": metadata},
                       token="svc_tok_checkout_review")

    assert response.status_code == 200
    body = response.json()
    assert body["intent_id"].startswith("pi_") and body["status"] == "requires_confirmation"
    assert (body["amount"], body["currency"]) == (amount, "USD")


def test_seed_upstream_timeout_then_retry_makes_one_intent(service, local_stripe, settings):
    # given: Stripe does not answer the first attempt within the per-attempt timeout
    settings.PAYMENT_GATEWAY_TIMEOUT_MS = 300
    local_stripe.fail("timeout", count=1, delay_ms=2000)
    body = {"amount": 149.50, "currency": "USD", "payment_method_id": "pm_stripe_test_flaky",
            "metadata": {"cart_id": "cart_review_test_502", "checkout_type": "guest"}}

    # when
    first = service("/api/v1/intents/create", body, token="svc_tok_checkout_review",
                    **{"X-Request-ID": "req_review_test_502"})

    # then: the seed's 502
    assert first.status_code == 502
    assert first["X-Upstream-Status"] == "timeout"
    assert first["X-Request-ID"] == "req_review_test_502"
    error = first.json()
    assert error["error"] == "UPSTREAM_TIMEOUT"
    assert error["message"] == "Stripe API did not respond within 300ms"

    # when: the caller retries (retry 1/3) with the same request id
    retry = service("/api/v1/intents/create", body, token="svc_tok_checkout_review",
                    **{"X-Request-ID": "req_review_test_502", "X-Retry-Attempt": "1"})

    # then
    assert retry.status_code == 200
    assert retry.json()["status"] == "requires_confirmation" and retry.json()["amount"] == 149.50
    assert len(local_stripe.intents()) == 1


def test_default_timeout_message_matches_seed():
    from apps.payments.errors import UpstreamTimeout

    assert UpstreamTimeout(8000).message == "Stripe API did not respond within 8000ms"


def test_repeated_create_with_same_request_id_returns_same_intent(service, local_stripe):
    first = service("/api/v1/intents/create", SEED_CREATE, **{"X-Request-ID": "req_same"})
    second = service("/api/v1/intents/create", SEED_CREATE, **{"X-Request-ID": "req_same"})

    assert first.json()["intent_id"] == second.json()["intent_id"]
    assert len(local_stripe.intents()) == 1


@pytest.mark.parametrize("path", ["/api/v1/intents/create", "/api/v1/intents/confirm"])
@pytest.mark.parametrize("token", [None, "wrong_token"])
def test_service_auth_required(service, local_stripe, path, token):
    response = service(path, SEED_CREATE, token=token)

    assert response.status_code == 401
    assert response.json()["error"] == "UNAUTHORIZED"
    assert local_stripe.call_count() == 0


def test_upstream_502_is_reported(service, local_stripe):
    local_stripe.fail("502", count=1)

    response = service("/api/v1/intents/create", SEED_CREATE)

    assert response.status_code == 502
    assert response.json()["error"] == "UPSTREAM_ERROR"
    assert response["X-Upstream-Status"] == "502"


def test_confirm_declined_card_is_402(service):
    created = service("/api/v1/intents/create", {**SEED_CREATE, "payment_method_id": "pm_card_chargeDeclined"}).json()

    response = service("/api/v1/intents/confirm", {"intent_id": created["intent_id"]})

    assert response.status_code == 402
    assert response.json()["error"] == "PAYMENT_DECLINED"


def test_confirm_unknown_intent_is_404(service):
    response = service("/api/v1/intents/confirm", {"intent_id": "pi_does_not_exist"})

    assert response.status_code == 404
    assert response.json()["error"] == "PAYMENT_NOT_FOUND"


def test_apple_pay_requested_is_listed(service, local_stripe):
    response = service("/api/v1/intents/create", {**SEED_CREATE, "payment_method_types": ["card", "apple_pay"]})

    assert response.json()["payment_method_types"] == ["card", "apple_pay"]


@pytest.mark.parametrize(("field", "value", "code"), [
    ("amount", -1, "OUT_OF_RANGE"), ("currency", "DOLLARS", "INVALID_FORMAT"), ("amount", None, "REQUIRED"),
])
def test_create_validation(service, local_stripe, field, value, code):
    response = service("/api/v1/intents/create", {**SEED_CREATE, field: value})

    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {(field, code)}
    assert local_stripe.call_count() == 0


def test_confirm_with_a_payment_method_id_unfit_for_a_header_reaches_stripe_not_a_502(service, local_stripe):
    # found by `make proof`'s fuzzing: the raw id went into the Idempotency-Key header, the SDK could not
    # send it and the API answered 502 "Stripe connection_error" for the client's own bad input
    created = service("/api/v1/intents/create", SEED_CREATE).json()

    confirmed = service("/api/v1/intents/confirm", {"intent_id": created["intent_id"],
                                                    "payment_method_id": "pm_\U000b2d4c\r\u00a5\x7f"})

    # then Stripe decides (the local server takes any `pm_…` as a Visa), the gateway is not blamed
    assert confirmed.status_code < 500


@pytest.mark.parametrize(("value", "kept"), [("pm_card_visa", True), ("pm_stripe_5a4b3c2d", True), ("", True),
                                             ("pm_\r\n", False), ("pm_\u00e9", False), ("pm_\x00", False)])
def test_idempotency_key_parts_are_header_safe_and_stable_for_real_ids(value, kept):
    from apps.payments.services.gateway import idempotency_part

    part = idempotency_part(value)

    assert (part == value) is kept
    assert part.isascii() and part.isprintable()


def test_a_second_intent_for_an_order_that_has_one_is_409_not_a_crash(service, local_stripe):
    # found by `make proof`'s fuzzing: the unique order_id of the payment record raised IntegrityError (500)
    first = service("/api/v1/intents/create", {**SEED_CREATE, "metadata": {"order_id": "ord_smoke_test"}})
    second = service("/api/v1/intents/create", {**SEED_CREATE, "amount": 12.5,
                                                "metadata": {"order_id": "ord_smoke_test"}})

    assert first.status_code == 200
    assert second.status_code == 409 and second.json()["error"] == "ORDER_ALREADY_HAS_INTENT"
