"""Payments' Prometheus metrics under the seed's names (Grafana panel 3, the gateway latency alert),
and the circuit breaker's state read from Redis at scrape time.

`payment_gateway_circuit_breaker_state{breaker}` is 0 closed, 1 half-open, 2 open: the state every
process shares (`payments-stripe:pybreaker:state`), not one process' view. A missing key is closed
(pybreaker's initial state). When Redis is unreachable the family is empty (no sample rather than a
made-up state) and a warning is logged; the scrape itself still succeeds.
"""
import logging

import pybreaker
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from redis.exceptions import RedisError

from apps.core.redis import get_redis

from .services.breaker import BREAKER_NAME, redis_key

logger = logging.getLogger(__name__)

PAYMENT_INTENT_ERRORS = Counter(
    "payment_intent_errors", "Failed Stripe attempts by checkout type and error code (502, 503, 504, timeout, …)",
    ["checkout_type", "error_code"],
)
PAYMENT_GATEWAY_DURATION = Histogram(
    "payment_gateway_duration_seconds", "Time of one whole gateway call (all attempts and backoff)", ["flow"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 12, 16, 20, 30),
)

BREAKER_STATE = ("payment_gateway_circuit_breaker_state",
                 "Payment gateway circuit breaker state shared through Redis: 0 closed, 1 half-open, 2 open")
BREAKER_STATE_VALUES = {pybreaker.STATE_CLOSED: 0, pybreaker.STATE_HALF_OPEN: 1, pybreaker.STATE_OPEN: 2}


class BreakerStateCollector:
    def describe(self):
        """Names only, so registering touches no Redis."""
        yield GaugeMetricFamily(*BREAKER_STATE, labels=["breaker"])

    def collect(self):
        family = GaugeMetricFamily(*BREAKER_STATE, labels=["breaker"])
        try:
            raw = get_redis().get(redis_key("state"))
        except RedisError as exc:
            logger.warning("circuit breaker state metric unavailable: %s", type(exc).__name__)
        else:
            state = raw.decode() if raw else pybreaker.STATE_CLOSED
            if state in BREAKER_STATE_VALUES:
                family.add_metric([BREAKER_NAME], BREAKER_STATE_VALUES[state])
            else:
                logger.warning("circuit breaker state metric: unknown state %r in Redis", state)
        yield family

