"""The outbox backlog on /metrics, read at scrape time so every process reports the same numbers:

- `outbox_events_unpublished{topic}`: rows not yet delivered to Kafka;
- `outbox_oldest_unpublished_age_seconds{topic}`: age of the oldest of them (0 when none wait).

One grouped query per scrape over the partial index of undelivered rows, so its cost follows the
backlog, not the table. Every known topic is reported (zeros included) so alert rules never see a
series vanish when a backlog drains. A scrape never fails because the database is away: the
families are empty and a warning is logged.
"""
import logging

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from .topics import ALL_TOPICS

logger = logging.getLogger(__name__)

UNPUBLISHED = ("outbox_events_unpublished", "Outbox events not yet delivered to Kafka, by topic")
OLDEST_AGE = ("outbox_oldest_unpublished_age_seconds",
              "Age of the oldest outbox event not yet delivered to Kafka (0 when none wait), by topic")


class OutboxCollector:
    def describe(self):
        """Names only, so registering touches no database."""
        yield GaugeMetricFamily(*UNPUBLISHED, labels=["topic"])
        yield GaugeMetricFamily(*OLDEST_AGE, labels=["topic"])

    def collect(self):
        from .selectors import outbox_backlog_by_topic

        unpublished = GaugeMetricFamily(*UNPUBLISHED, labels=["topic"])
        oldest_age = GaugeMetricFamily(*OLDEST_AGE, labels=["topic"])
        try:
            backlog = outbox_backlog_by_topic()
        except Exception as exc:  # noqa: BLE001 — a scrape must never fail because the database is away
            logger.warning("outbox metrics unavailable: %s", type(exc).__name__)
        else:
            now = timezone.now()
            for topic in sorted(set(ALL_TOPICS) | set(backlog)):
                count, oldest = backlog.get(topic, (0, None))
                unpublished.add_metric([topic], count)
                oldest_age.add_metric([topic], max((now - oldest).total_seconds(), 0.0) if oldest else 0.0)
        yield unpublished
        yield oldest_age

