"""Checkout's Prometheus metrics under the seeds' names (Grafana panels 1, 2, 4 and 6; the
conversion and error-rate alerts). Labels stay low-cardinality: flow, region, error code."""
import logging
import time

from django.conf import settings
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from redis.exceptions import RedisError

from apps.core.redis import get_redis

from .sessions import EXPIRY_INDEX

logger = logging.getLogger(__name__)
FLOW = "guest_v2"

CHECKOUT_STARTED = Counter("checkout_started", "Guest checkouts started (guest sessions created)", ["flow"])
CHECKOUT_COMPLETED = Counter("checkout_completed", "Guest checkouts completed (orders paid)", ["flow", "region"])
CHECKOUT_REQUESTS = Counter("checkout_requests", "Guest checkout POSTs answered (any status): error-rate denominator",
                            ["flow"])
CHECKOUT_ERRORS = Counter("checkout_errors", "Guest checkout requests that failed on our side or upstream",
                          ["flow", "error_code"])
PENDING_ORDERS_SETTLED = Counter(
    "checkout_pending_orders_settled", "Orders left pending that the settle job looked up at Stripe, by outcome "
    "(paid, payment_failed, still_pending, gateway_unavailable)", ["outcome"])
CHECKOUT_COMPLETION_DURATION = Histogram(
    "checkout_completion_duration_seconds", "From guest session start to paid order", ["flow"],
    buckets=(5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900),
)

GUEST_SESSIONS_ACTIVE = ("guest_sessions_active", "Guest checkout sessions alive in Redis")


class GuestSessionsCollector:
    """`guest_sessions_active`: sessions whose TTL has not run out, read from the expiry index at
    scrape time (the same in every process); left out, with a warning, while Redis is unreachable."""

    def describe(self):
        yield GaugeMetricFamily(*GUEST_SESSIONS_ACTIVE)

    def collect(self):
        family = GaugeMetricFamily(*GUEST_SESSIONS_ACTIVE)
        try:
            family.add_metric([], get_redis().zcount(EXPIRY_INDEX, time.time(), "+inf"))
        except RedisError:
            logger.warning("guest_sessions_active unavailable: Redis unreachable")
        yield family



def checkout_completed(*, session_started_at: float | None) -> None:
    CHECKOUT_COMPLETED.labels(flow=FLOW, region=settings.DEPLOY_REGION).inc()
    if session_started_at:
        CHECKOUT_COMPLETION_DURATION.labels(flow=FLOW).observe(max(time.time() - session_started_at, 0))
