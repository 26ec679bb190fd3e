"""public.charge through the real Stripe SDK against the local server: retries, idempotency, spans,
declines, timeouts and the circuit breaker."""
from decimal import Decimal

import pytest
from django.db import transaction
from opentelemetry.trace import SpanKind, StatusCode

from apps.core.tracing import get_tracer
from apps.payments.public import (
    ChargeRequest,
    PaymentDeclined,
    PaymentGatewayUnavailable,
    PaymentRequestInvalid,
    charge,
)

pytestmark = pytest.mark.django_db

INTENTS = "/v1/payment_intents"


def charge_request(**overrides) -> ChargeRequest:
    values = {
        "order_id": "ord_2a3b4c5d6e7f", "amount": Decimal("67.25"), "currency": "USD",
        "payment_method_id": "pm_stripe_5a4b3c2d", "cart_id": "cart_2e4f6a8b0c1d",
        "session_id": "guest:sess:f1e2d3c4-b5a6-7890-1234-567890abcdef", "confirmation_token": "cnf_8g9h0i1j2k3l",
    }
    return ChargeRequest(**{**values, **overrides})


def handoff_span(spans):
    [span] = [s for s in spans.get_finished_spans() if s.name == "checkout.guest.payment_handoff"]
    return span


def events(span, name):
    return [dict(e.attributes) for e in span.events if e.name == name]


def test_charge_succeeds_with_one_intent_and_card_label(local_stripe, payment_spans):
    # when
    result = charge(charge_request())

    # then
    assert result.status == "succeeded"
    assert result.amount_received == Decimal("67.25")
    assert result.intent_id.startswith("pi_") and result.charge_id.startswith("ch_")
    assert (result.payment_method_type, result.payment_method_label) == ("card", "Visa •••• 4242")
    [intent] = local_stripe.intents()
    assert intent["amount"] == 6725 and intent["currency"] == "usd"
    assert intent["metadata"]["confirmation_token"] == "cnf_8g9h0i1j2k3l"
    assert intent["metadata"]["cart_id"] == "cart_2e4f6a8b0c1d"
    span = handoff_span(payment_spans)
    assert span.kind == SpanKind.CLIENT
    assert span.status.status_code == StatusCode.OK
    assert span.attributes["retry_count"] == 0
    assert span.attributes["payment_intent_id"] == result.intent_id
    assert span.attributes["cart_id"] == "cart_2e4f6a8b0c1d"
    assert span.attributes["payment_method_type"] == "card"
    assert span.attributes["stripe_request_id"].startswith("req_")
    assert span.attributes["payment_gateway_response_time_ms"] >= 0


def test_handoff_span_is_a_child_of_the_current_span(local_stripe, payment_spans):
    with get_tracer("test").start_as_current_span("checkout.guest.complete") as parent:
        charge(charge_request())

    span = handoff_span(payment_spans)
    assert span.parent.span_id == parent.get_span_context().span_id


def test_502_then_success_makes_one_intent_and_retry_count_1(local_stripe, payment_spans):
    # given
    local_stripe.fail("502", count=1)

    # when
    result = charge(charge_request())

    # then
    assert result.status == "succeeded"
    assert len(local_stripe.intents()) == 1
    calls = local_stripe.calls("POST", INTENTS)
    assert len(calls) == 2
    assert calls[0]["idempotency_key"] == calls[1]["idempotency_key"] != ""
    span = handoff_span(payment_spans)
    assert span.attributes["retry_count"] == 1
    assert [e["attempt"] for e in events(span, "payment_attempt_start")] == [1, 2]
    assert [(e["outcome"], e["status_code"]) for e in events(span, "payment_attempt_result")] == [
        ("failure", "502"), ("success", "200")]
    assert [e["wait_duration_ms"] for e in events(span, "payment_retry_backoff")] == [10]


def test_slow_first_attempt_that_times_out_still_makes_one_intent(local_stripe, settings):
    # given: Stripe processes the first request but answers after the client gave up
    settings.PAYMENT_GATEWAY_TIMEOUT_MS = 300
    local_stripe.fail("slow", count=1, delay_ms=800)

    # when
    result = charge(charge_request())

    # then: the retry carried the same idempotency key, so Stripe holds a single intent
    assert result.status == "succeeded"
    assert len(local_stripe.intents()) == 1


def test_four_timeouts_raise_gateway_unavailable_with_retry_after(local_stripe, payment_spans, settings):
    # given
    settings.PAYMENT_GATEWAY_TIMEOUT_MS = 200
    local_stripe.fail("timeout", count=4, delay_ms=2000)

    # when
    with pytest.raises(PaymentGatewayUnavailable) as raised:
        charge(charge_request())

    # then: 1 attempt + 3 retries, backing off in the 1:2:4 shape, then the seed's 502 body
    error = raised.value
    assert error.status_code == 502 and error.code == "PAYMENT_GATEWAY_UNAVAILABLE"
    assert error.message == "Payment processing service temporarily unavailable. Please retry."
    assert error.headers["Retry-After"] == str(error.extra["retry_after_seconds"])
    assert local_stripe.call_count("POST", INTENTS) == 4
    span = handoff_span(payment_spans)
    assert span.status.status_code == StatusCode.ERROR
    assert span.attributes["retry_count"] == 3
    assert [e["status_code"] for e in events(span, "payment_attempt_result")] == ["timeout"] * 4
    assert [e["wait_duration_ms"] for e in events(span, "payment_retry_backoff")] == [10, 20, 40]


def test_default_backoff_schedule_is_1_2_4_seconds():
    from vantage import settings as project_settings

    assert project_settings.PAYMENT_GATEWAY_BACKOFF_SECONDS == [1.0, 2.0, 4.0]
    assert project_settings.PAYMENT_GATEWAY_TIMEOUT_MS == 8000
    assert project_settings.PAYMENT_GATEWAY_MAX_RETRIES == 3


def test_card_declined_is_not_retried(local_stripe, payment_spans):
    # when
    with pytest.raises(PaymentDeclined) as raised:
        charge(charge_request(payment_method_id="pm_card_chargeDeclined"))

    # then
    assert raised.value.status_code == 402 and raised.value.code == "PAYMENT_DECLINED"
    assert local_stripe.call_count("POST", INTENTS) == 1
    span = handoff_span(payment_spans)
    assert span.attributes["retry_count"] == 0
    assert span.attributes["payment_intent_id"].startswith("pi_")
    assert span.status.status_code == StatusCode.ERROR


def test_declined_order_can_be_paid_with_another_card(local_stripe):
    # given
    with pytest.raises(PaymentDeclined):
        charge(charge_request(payment_method_id="pm_card_chargeDeclined"))

    # when
    result = charge(charge_request(payment_method_id="pm_card_mastercard"))

    # then
    assert result.status == "succeeded"
    assert result.payment_method_label == "Mastercard •••• 4444"


def test_charging_the_same_order_again_never_charges_twice(local_stripe):
    first = charge(charge_request())

    second = charge(charge_request())

    assert second == first
    assert len(local_stripe.intents()) == 1
    assert len(local_stripe.store.charges) == 1


def test_apple_pay_intent_lists_apple_pay_and_labels_it(local_stripe):
    result = charge(charge_request(payment_method_type="apple_pay", payment_method_id="pm_apple_pay_visa"))

    [intent] = local_stripe.intents()
    assert intent["payment_method_types"] == ["card", "apple_pay"]
    assert (result.payment_method_type, result.payment_method_label) == ("apple_pay", "Apple Pay")


def test_apple_pay_flag_off_keeps_card_only(local_stripe, settings):
    settings.APPLE_PAY_ENABLED = False

    charge(charge_request(payment_method_type="apple_pay", payment_method_id="pm_apple_pay_visa"))

    [intent] = local_stripe.intents()
    assert intent["payment_method_types"] == ["card"]


def test_request_stripe_refuses_is_not_retried_nor_a_gateway_outage(local_stripe):
    with pytest.raises(PaymentRequestInvalid) as raised:
        charge(charge_request(amount=Decimal("0.00")))

    assert raised.value.status_code == 422
    assert local_stripe.call_count("POST", INTENTS) == 1


def test_decline_rolled_back_by_the_callers_transaction_still_lets_another_card_pay(local_stripe):
    # given the checkout's transaction rolls back everything, our record of the decline included
    with pytest.raises(PaymentDeclined), transaction.atomic():
        charge(charge_request(payment_method_id="pm_card_chargeDeclined"))

    # when
    result = charge(charge_request(payment_method_id="pm_card_visa"))

    # then
    assert result.status == "succeeded"
    assert len(local_stripe.intents()) == 2
