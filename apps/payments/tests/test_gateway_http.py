"""The gateway's outcomes through HTTP: a checkout-like view calls `charge()`; the core envelope renders
PaymentGatewayUnavailable / PaymentDeclined exactly as the seed's checkout answers."""
import time

import pytest

from apps.core.redis import get_redis
from apps.payments.services.breaker import redis_key

pytestmark = [pytest.mark.django_db, pytest.mark.urls("apps.payments.tests.urls")]

BODY = {"order_id": "ord_2a3b4c5d6e7f", "amount": 34.99, "payment_method_id": "pm_stripe_4f9c2a1b",
        "cart_id": "cart_7f3a9b2c1d4e"}


def checkout(client, **overrides):
    return client.post("/api/test/checkout", {**BODY, **overrides}, content_type="application/json")


def handoff(payment_spans):
    spans = {s.name: s for s in payment_spans.get_finished_spans()}
    return spans["checkout.guest.payment_handoff"], spans["checkout.guest.complete"]


def test_502_then_success_one_intent_retry_count_1(client, local_stripe, payment_spans):
    local_stripe.fail("502", count=1)

    response = checkout(client)

    assert response.status_code == 201
    assert response.json() == {"order_id": "ord_2a3b4c5d6e7f", "total_charged": 34.99,
                               "payment_method": "Visa •••• 4242"}
    assert len(local_stripe.intents()) == 1
    span, parent = handoff(payment_spans)
    assert span.attributes["retry_count"] == 1
    assert span.parent.span_id == parent.context.span_id


def test_four_timeouts_answer_the_seeds_502(client, local_stripe, settings):
    settings.PAYMENT_GATEWAY_TIMEOUT_MS = 200
    local_stripe.fail("timeout", count=4, delay_ms=2000)

    response = checkout(client, order_id="ord_timeouts")

    assert response.status_code == 502
    assert response["Retry-After"] == "2"
    body = response.json()
    assert body == {"error": "PAYMENT_GATEWAY_UNAVAILABLE",
                    "message": "Payment processing service temporarily unavailable. Please retry.",
                    "retry_after_seconds": 2, "request_id": response["X-Request-ID"]}
    assert local_stripe.call_count("POST", "/v1/payment_intents") == 4


def test_open_breaker_fails_fast_without_reaching_stripe(client, local_stripe):
    get_redis().set(redis_key("state"), "open")
    get_redis().set(redis_key("opened_at"), int(time.time()))

    response = checkout(client, order_id="ord_breaker")

    assert response.status_code == 502
    assert response.json()["error"] == "PAYMENT_GATEWAY_UNAVAILABLE"
    assert int(response["Retry-After"]) == response.json()["retry_after_seconds"] > 0
    assert local_stripe.call_count() == 0


def test_declined_card_is_402_without_retry(client, local_stripe):
    response = checkout(client, order_id="ord_declined", payment_method_id="pm_card_chargeDeclined")

    assert response.status_code == 402
    assert response.json()["error"] == "PAYMENT_DECLINED"
    assert local_stripe.call_count() == 1
