"""Prometheus metrics of the returns app, exposed on /metrics.

Return initiation outcomes are counted in Redis (one hash per minute), not in process memory,
so every web process and pod agrees: the collector exposes the running totals by HTTP status
and the seed's canary metric — 201 / (all − 422) over the last 10 minutes. Reconciliation
findings are read from the database at scrape time, by kind and status.
"""
import logging
import time

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from redis.exceptions import RedisError

from apps.core.redis import get_redis

logger = logging.getLogger(__name__)

TOTALS_KEY = "returns:metrics:initiations:total"
MINUTE_KEY = "returns:metrics:initiations:{minute}"
SUCCESS_RATE_WINDOW_MINUTES = 10


def initiation_record(status_code: int, *, is_test: bool = False) -> None:
    """Count one POST /api/v1/returns outcome (test-order traffic is kept apart from the rate)."""
    minute = int(time.time() // 60)
    label = f"{status_code}:test" if is_test else str(status_code)
    try:
        pipe = get_redis().pipeline()
        pipe.hincrby(TOTALS_KEY, label, 1)
        pipe.hincrby(MINUTE_KEY.format(minute=minute), label, 1)
        pipe.expire(MINUTE_KEY.format(minute=minute), (SUCCESS_RATE_WINDOW_MINUTES + 5) * 60)
        pipe.execute()
    except RedisError:
        logger.warning("returns initiation metric not recorded: Redis unavailable")


def _decode(raw: dict) -> dict[tuple[str, bool], int]:
    counts = {}
    for key, value in raw.items():
        status, _, test = (key.decode() if isinstance(key, bytes) else key).partition(":")
        counts[(status, bool(test))] = int(value)
    return counts


def initiation_success_rate(now: float | None = None) -> float | None:
    """201 / (all − 422) over the window for real (non-test) traffic; None without traffic."""
    minute = int((time.time() if now is None else now) // 60)
    pipe = get_redis().pipeline()
    for offset in range(SUCCESS_RATE_WINDOW_MINUTES):
        pipe.hgetall(MINUTE_KEY.format(minute=minute - offset))
    created = considered = 0
    for raw in pipe.execute():
        for (status, is_test), count in _decode(raw).items():
            if is_test or status == "422":
                continue
            considered += count
            created += count if status == "201" else 0
    return created / considered if considered else None


class ReturnsCollector:
    """Custom collector registered once in the app config."""

    def describe(self):
        """Names only, so registering the collector touches neither Redis nor the database."""
        yield CounterMetricFamily("vantage_returns_initiation_requests", "", labels=["status", "test_order"])
        yield GaugeMetricFamily("vantage_returns_initiation_success_rate", "")
        yield GaugeMetricFamily("vantage_returns_reconciliation_findings", "", labels=["kind", "status"])

    def collect(self):
        requests = CounterMetricFamily("vantage_returns_initiation_requests",
                                       "POST /api/v1/returns responses by HTTP status", labels=["status", "test_order"])
        rate = GaugeMetricFamily("vantage_returns_initiation_success_rate",
                                 "Return initiation success rate: 201 / (all - 422), last 10 minutes, real traffic")
        try:
            for (status, is_test), count in sorted(_decode(get_redis().hgetall(TOTALS_KEY)).items()):
                requests.add_metric([status, str(is_test).lower()], count)
            success_rate = initiation_success_rate()
            if success_rate is not None:
                rate.add_metric([], success_rate)
        except RedisError:
            logger.warning("returns initiation metrics unavailable: Redis unreachable")
        yield requests
        yield rate
        yield from self._findings()

    @staticmethod
    def _findings():
        from apps.returns.selectors import findings_counts

        findings = GaugeMetricFamily("vantage_returns_reconciliation_findings",
                                     "Reconciliation findings by kind and status", labels=["kind", "status"])
        try:
            for (kind, status), count in sorted(findings_counts().items()):
                findings.add_metric([kind, status], count)
        except Exception:  # noqa: BLE001 - a scrape must never fail because the database is away
            logger.warning("returns findings metric unavailable", exc_info=True)
        yield findings
