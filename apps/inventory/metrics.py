"""Inventory metrics read at scrape time (so every web process reports the same numbers):

- `inventory_products_below_threshold{urgency}`: active low-stock alerts by urgency (the ops dashboard's
  "Low Stock" panel and the critical-products alert rule);
- `inventory_stock_check_last_run_timestamp_seconds`: when the 5-minute check last ran (runbook: a paused
  check is the first cause of missing alerts).

A scrape never fails because the database is away: the family is empty and a warning is logged.
"""
import logging

from prometheus_client.core import GaugeMetricFamily

from .models.alerts import Urgency

logger = logging.getLogger(__name__)

BELOW = ("inventory_products_below_threshold", "Products at or below their low-stock threshold, by urgency")
LAST_RUN = ("inventory_stock_check_last_run_timestamp_seconds", "Unix time the low-stock check last ran")


class InventoryCollector:
    def describe(self):
        """Names only, so registering touches no database."""
        yield GaugeMetricFamily(*BELOW, labels=["urgency"])
        yield GaugeMetricFamily(*LAST_RUN)

    def collect(self):
        from django.db.models import Count, Max

        from .models import LowStockAlert, StockCheckRun

        below = GaugeMetricFamily(*BELOW, labels=["urgency"])
        last_run = GaugeMetricFamily(*LAST_RUN)
        try:
            counts = dict(LowStockAlert.objects.filter(status=LowStockAlert.Status.ACTIVE).values_list("urgency")
                          .annotate(n=Count("id")).order_by())
            latest = StockCheckRun.objects.aggregate(latest=Max("started_at"))["latest"]
        except Exception as exc:  # noqa: BLE001 — a scrape must never fail because the database is away
            logger.warning("inventory metrics unavailable: %s", type(exc).__name__)
        else:
            for urgency in Urgency.values:
                below.add_metric([urgency], counts.get(urgency, 0))
            if latest is not None:
                last_run.add_metric([], latest.timestamp())
        yield below
        yield last_run

