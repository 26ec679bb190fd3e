"""Reads of the inventory app: stock, thresholds, alerts (API and the staff panel) and deliveries."""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import F, QuerySet

from .errors import ThresholdNotFound
from .models import (
    InventoryThreshold,
    LowStockAlert,
    StockCheckRun,
    StockLevel,
    StockMovement,
    WebhookDelivery,
    WebhookEndpoint,
)
from .models.alerts import Urgency

ALERT_SORTS = {
    "stockout_eta": [F("estimated_stockout_date").asc(nulls_last=True), "id"],
    "-stockout_eta": [F("estimated_stockout_date").desc(nulls_last=True), "id"],
    "created_at": ["created_at", "id"],
    "-created_at": ["-created_at", "id"],
    "current_stock": ["current_stock", "id"],
}


def stock_on_hand(*, product_ids: list[str]) -> dict[str, int]:
    found = dict(StockLevel.objects.filter(product_id__in=product_ids).values_list("product_id", "on_hand"))
    return {pid: found.get(pid, 0) for pid in product_ids}


def stock_level_get(*, product_id: str) -> StockLevel | None:
    return StockLevel.objects.filter(product_id=product_id).first()


def threshold_list(*, merchant_id: int | None, product_id: str | None = None,
                   category_slug: str | None = None) -> QuerySet[InventoryThreshold]:
    thresholds = InventoryThreshold.objects.order_by("product_id")
    if merchant_id is not None:
        thresholds = thresholds.filter(merchant_id=merchant_id)
    if product_id:
        thresholds = thresholds.filter(product_id=product_id)
    if category_slug:
        thresholds = thresholds.filter(category_slug=category_slug)
    return thresholds


def threshold_get(*, threshold_id: str, merchant_id: int | None) -> InventoryThreshold:
    threshold = threshold_list(merchant_id=merchant_id).filter(id=threshold_id).first()
    if threshold is None:
        raise ThresholdNotFound()
    return threshold


def stock_movement_list(*, product_id: str, limit: int = 100) -> list[StockMovement]:
    """The ledger of one product, newest first."""
    return list(StockMovement.objects.filter(product_id=product_id).order_by("-id")[:limit])


def avg_daily_sales_of(*, product_ids: list[str]) -> dict:
    return dict(StockLevel.objects.filter(product_id__in=product_ids).values_list("product_id", "avg_daily_sales"))


def alert_list(*, merchant_id: int | None, status: str | None = "active", urgency: str | None = None,
               category_slug: str | None = None, product_id: str | None = None,
               sort: str = "stockout_eta") -> QuerySet[LowStockAlert]:
    alerts = LowStockAlert.objects.all()
    if merchant_id is not None:
        alerts = alerts.filter(merchant_id=merchant_id)
    if status:
        alerts = alerts.filter(status=status)
    if urgency:
        alerts = alerts.filter(urgency=urgency)
    if category_slug:
        alerts = alerts.filter(category_slug=category_slug)
    if product_id:
        alerts = alerts.filter(product_id=product_id)
    return alerts.order_by(*ALERT_SORTS[sort])


@dataclass(frozen=True)
class LowStockRow:
    """One product below its threshold, as the staff panel lists it."""

    product_id: str
    product_name: str
    sku: str
    urgency: str
    current_stock: int
    threshold: int
    threshold_type: str
    percent_of_threshold: int
    avg_daily_sales: Decimal
    estimated_stockout_date: date | None
    supplier_name: str
    supplier_lead_time_days: int | None


@dataclass(frozen=True)
class LowStockPanel:
    """Products below threshold, most urgent first, the count per urgency and the last stock check."""

    rows: list[LowStockRow]
    counts: dict[str, int]
    last_check_at: datetime | None


def low_stock_panel_get() -> LowStockPanel:
    alerts = list(alert_list(merchant_id=None, status=LowStockAlert.Status.ACTIVE))
    rows = [LowStockRow(product_id=a.product_id, product_name=a.product_name, sku=a.sku, urgency=a.urgency,
                        current_stock=a.current_stock, threshold=a.threshold, threshold_type=a.threshold_type,
                        percent_of_threshold=a.percent_of_threshold, avg_daily_sales=a.avg_daily_sales,
                        estimated_stockout_date=a.estimated_stockout_date, supplier_name=a.supplier_name,
                        supplier_lead_time_days=a.supplier_lead_time_days) for a in alerts]
    counts = {urgency: sum(1 for row in rows if row.urgency == urgency) for urgency in Urgency.values}
    last_run = StockCheckRun.objects.order_by("-started_at").first()
    return LowStockPanel(rows=rows, counts=counts, last_check_at=last_run.started_at if last_run else None)


def webhook_delivery_list(*, merchant_id: int | None) -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.prefetch_related("attempt_log").order_by("-created_at")
    return deliveries if merchant_id is None else deliveries.filter(merchant_id=merchant_id)


def webhook_endpoint_get(*, merchant_id: int, active_only: bool = False) -> WebhookEndpoint | None:
    endpoints = WebhookEndpoint.objects.filter(merchant_id=merchant_id)
    return (endpoints.filter(active=True) if active_only else endpoints).first()
