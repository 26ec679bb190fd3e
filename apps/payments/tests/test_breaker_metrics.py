"""The circuit breaker's state on /metrics (0 closed, 1 half-open, 2 open), read from the state
every process shares in Redis at scrape time; Redis down leaves the gauge out, never the scrape."""
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

from apps.core.redis import get_redis
from apps.payments.services.breaker import BREAKER_NAME, GatewayBreaker, redis_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def breaker_settings(settings):
    settings.PAYMENT_BREAKER_FAIL_MAX = 3
    settings.PAYMENT_BREAKER_RESET_SECONDS = 30
    return settings


def breaker_gauge(client) -> float | None:
    response = client.get("/metrics")
    assert response.status_code == 200
    for family in text_string_to_metric_families(response.content.decode()):
        if family.name == "payment_gateway_circuit_breaker_state":
            values = [s.value for s in family.samples if s.labels == {"breaker": BREAKER_NAME}]
            return values[0] if values else None
    raise AssertionError("payment_gateway_circuit_breaker_state is not exported")


def test_gauge_follows_the_breaker_through_open_half_open_and_closed(client, breaker_settings):
    # given a fresh breaker (no state in Redis yet)
    assert breaker_gauge(client) == 0

    # when a run of transient failures opens it
    breaker = GatewayBreaker()
    for _ in range(3):
        breaker.record_failure(ConnectionError("502 from Stripe"))
    # then
    assert breaker_gauge(client) == 2

    # when the reset timeout has passed and a probe is let through
    get_redis().set(redis_key("opened_at"), int(time.time()) - 31)
    probe = GatewayBreaker()
    probe.before_call()
    # then
    assert breaker_gauge(client) == 1

    # when the probe succeeds
    probe.record_success()
    # then
    assert breaker_gauge(client) == 0


def test_redis_down_leaves_the_gauge_out_but_the_scrape_succeeds(client, settings, caplog):
    # given the breaker's Redis is unreachable
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}}

    # when
    with caplog.at_level("WARNING", logger="apps.payments.metrics"):
        value = breaker_gauge(client)

    # then
    assert value is None
    assert any("circuit breaker state metric unavailable" in r.getMessage() for r in caplog.records)
