"""The circuit breaker, its state in Redis: opens after a run of transient failures, fails fast
without reaching Stripe, lets one probe through when half-open, ignores card errors."""
import time
from decimal import Decimal

import pytest

from apps.core.redis import get_redis
from apps.payments.public import ChargeRequest, PaymentDeclined, PaymentGatewayUnavailable, charge
from apps.payments.services.breaker import PROBE_KEY, GatewayBreaker, redis_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def breaker_settings(settings, local_stripe):
    settings.PAYMENT_BREAKER_FAIL_MAX = 3
    settings.PAYMENT_BREAKER_RESET_SECONDS = 30
    settings.PAYMENT_GATEWAY_MAX_RETRIES = 3
    return settings


def request(order_id: str, pm: str = "pm_card_visa") -> ChargeRequest:
    return ChargeRequest(order_id=order_id, amount=Decimal("10.00"), currency="USD", payment_method_id=pm)


def breaker_state() -> str:
    value = get_redis().get(redis_key("state"))
    return value.decode() if value else "closed"


def open_breaker(local_stripe) -> None:
    local_stripe.fail("502", count=3)
    with pytest.raises(PaymentGatewayUnavailable):
        charge(request("ord_trip"))
    assert breaker_state() == "open"


def age_breaker(seconds: int) -> None:
    """Pretend the breaker opened `seconds` ago (its clock lives in Redis)."""
    get_redis().set(redis_key("opened_at"), int(time.time()) - seconds)


def test_run_of_transient_failures_opens_breaker_and_stops_retrying(breaker_settings, local_stripe):
    # given 3 failures allowed before opening; the 4th attempt never happens
    local_stripe.fail("502", count=10)

    with pytest.raises(PaymentGatewayUnavailable) as raised:
        charge(request("ord_a"))

    assert breaker_state() == "open"
    assert local_stripe.call_count("POST", "/v1/payment_intents") == 3
    assert 1 <= raised.value.extra["retry_after_seconds"] <= 30


def test_open_breaker_fails_fast_without_calling_stripe(breaker_settings, local_stripe):
    # given
    open_breaker(local_stripe)
    local_stripe.reset()

    # when
    with pytest.raises(PaymentGatewayUnavailable) as raised:
        charge(request("ord_b"))

    # then
    assert local_stripe.call_count() == 0
    assert raised.value.headers["Retry-After"] == str(raised.value.extra["retry_after_seconds"])
    assert 25 <= raised.value.extra["retry_after_seconds"] <= 30


def test_breaker_state_is_shared_through_redis(breaker_settings, local_stripe):
    open_breaker(local_stripe)

    assert GatewayBreaker().state == "open"


def test_half_open_probe_success_closes_breaker(breaker_settings, local_stripe):
    # given an open breaker whose reset timeout has passed
    open_breaker(local_stripe)
    age_breaker(31)

    # when the probe succeeds
    result = charge(request("ord_probe"))

    # then
    assert result.status == "succeeded"
    assert breaker_state() == "closed"


def test_half_open_probe_failure_reopens_breaker(breaker_settings, local_stripe):
    open_breaker(local_stripe)
    age_breaker(31)
    local_stripe.reset()
    local_stripe.fail("502", count=1)

    with pytest.raises(PaymentGatewayUnavailable):
        charge(request("ord_probe_fails"))

    assert breaker_state() == "open"
    assert local_stripe.call_count() == 1


def test_only_one_probe_at_a_time(breaker_settings, local_stripe):
    # given another process holds the probe
    open_breaker(local_stripe)
    age_breaker(31)
    local_stripe.reset()
    get_redis().set(PROBE_KEY, "1", ex=30)

    with pytest.raises(PaymentGatewayUnavailable):
        charge(request("ord_second_probe"))

    assert local_stripe.call_count() == 0


def test_card_errors_never_open_the_breaker(breaker_settings, local_stripe):
    for index in range(5):
        with pytest.raises(PaymentDeclined):
            charge(request(f"ord_declined_{index}", pm="pm_card_chargeDeclined"))

    assert breaker_state() == "closed"
    assert charge(request("ord_after_declines")).status == "succeeded"


def test_state_changes_are_logged_and_counted(breaker_settings, local_stripe, caplog):
    from prometheus_client import REGISTRY

    def opened() -> float:
        return REGISTRY.get_sample_value("payments_gateway_breaker_transitions_total",
                                         {"from_state": "closed", "to_state": "open"}) or 0.0

    before = opened()
    with caplog.at_level("WARNING", logger="apps.payments.services.breaker"):
        open_breaker(local_stripe)

    assert opened() == before + 1
    assert any("closed -> open" in record.getMessage() for record in caplog.records)


@pytest.fixture
def quiet_cache(breaker_settings, monkeypatch):
    """Production's trust in a quiet reading, with a window no test run outlasts; this process' reading is
    forgotten before and after the test."""
    from apps.payments.services import breaker

    breaker_settings.PAYMENT_BREAKER_QUIET_CACHE_MS = 60_000
    monkeypatch.setattr(breaker, "_quiet_read_at", None)
    return breaker


def test_a_quiet_reading_is_trusted_for_its_window_then_redis_is_read_again(quiet_cache, local_stripe):
    # given: a payment read the breaker quiet
    charge(request("ord_quiet_1"))
    # when: another process opens the breaker
    get_redis().set(redis_key("state"), "open")
    age_breaker(0)
    # then: within the window this process still pays, without reading the state
    assert charge(request("ord_quiet_2")).status == "succeeded"
    # and once the window has passed it reads the open breaker and fails fast, Stripe not called
    quiet_cache._quiet_read_at -= 61
    local_stripe.reset()
    with pytest.raises(PaymentGatewayUnavailable):
        charge(request("ord_quiet_3"))
    assert local_stripe.call_count() == 0


def test_a_failure_forgets_the_quiet_reading_at_once(quiet_cache, local_stripe):
    # given: a quiet reading trusted for a minute
    charge(request("ord_quiet_4"))
    assert quiet_cache._quiet_read_at is not None
    # when: Stripe fails here until the breaker opens
    local_stripe.fail("502", count=3)
    with pytest.raises(PaymentGatewayUnavailable):
        charge(request("ord_quiet_5"))
    # then: the next payment reads the open breaker and fails fast
    local_stripe.reset()
    with pytest.raises(PaymentGatewayUnavailable):
        charge(request("ord_quiet_6"))
    assert breaker_state() == "open" and local_stripe.call_count() == 0
