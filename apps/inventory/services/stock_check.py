"""The stock check (every 5 minutes from beat, or `manage.py run_stock_check`).

One indexed query finds the products at or below 1.2 x their threshold (see `NEAR_THRESHOLD`), so
the work grows with the products near their threshold, not with the catalog. Of those, the early
warning zone is logged only; at or below threshold an alert is opened (or refreshed) and sent
through the threshold's channels at most once per product per 24 h. Active alerts whose stock
recovered above threshold are resolved (and their PagerDuty incident with them). Everything a
run writes — alerts, outbox events, webhook and PagerDuty rows — commits together.
"""
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from apps.catalog.public import ProductInfo, product_info_many
from apps.core.locks import advisory_lock
from apps.events.public import INVENTORY_ALERTS, publish

from ..models import CategoryThresholdRule, InventoryThreshold, LowStockAlert, StockCheckRun, StockLevel
from ..models.stock import NEAR_THRESHOLD
from ..models.thresholds import DEFAULT_CHANNELS, Channel
from ..rules import DEDUP_WINDOW, estimated_stockout_date, needs_page, stockout_days, urgency_for
from .pagerduty import pagerduty_event_create
from .thresholds import stock_thresholds_refresh
from .webhooks import webhook_delivery_create

logger = logging.getLogger("apps.inventory.stock_check")

CHECK_LOCK = "inventory:stock-check"  # advisory lock: one stock check at a time
ALERT_FIELDS = ["merchant_id", "sku", "product_name", "category_slug", "category_name", "supplier_name",
                "supplier_lead_time_days", "current_stock", "threshold", "threshold_type", "avg_daily_sales",
                "estimated_stockout_date", "urgency", "channels", "paged", "last_alerted_at"]


@dataclass
class CheckSummary:
    evaluated: int = 0
    alerted: int = 0
    suppressed: int = 0
    early_warning: int = 0
    resolved: int = 0
    paged: int = 0
    skipped: bool = False


@dataclass(frozen=True)
class _Rule:
    threshold_type: str
    channels: list


def alert_event_payload(alert: LowStockAlert, *, now: datetime) -> dict:
    """The `inventory.alerts` event (the outbox adds `event_id`); merchant webhooks send the same body."""
    return {
        "product_id": alert.product_id,
        "sku": alert.sku,
        "current_stock": alert.current_stock,
        "threshold": alert.threshold,
        "threshold_type": alert.threshold_type,
        "avg_daily_sales": float(round(alert.avg_daily_sales, 2)),
        "estimated_stockout_date": alert.estimated_stockout_date.isoformat() if alert.estimated_stockout_date
        else None,
        "timestamp": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _rules_for(levels: list[StockLevel]) -> dict[str, _Rule]:
    """Type and channels of each product's effective threshold (own row > category rule > default)."""
    ids = [level.product_id for level in levels]
    own = {t.product_id: _Rule(t.threshold_type, t.alert_channels)
           for t in InventoryThreshold.objects.filter(product_id__in=ids)}
    category_rules = {(r.category_slug, r.merchant_id): _Rule(r.threshold_type, r.alert_channels)
                      for r in CategoryThresholdRule.objects.filter(
                          category_slug__in={level.category_slug for level in levels})}
    default = _Rule("absolute", list(DEFAULT_CHANNELS))
    return {level.product_id: own.get(level.product_id)
            or category_rules.get((level.category_slug, level.merchant_id))
            or category_rules.get((level.category_slug, None)) or default for level in levels}


def _state(alert: LowStockAlert) -> tuple:
    return tuple(getattr(alert, name) for name in ALERT_FIELDS)


def _log(outcome: str, level: StockLevel, facts: ProductInfo | None, **extra) -> None:
    sku = facts.sku if facts else ""
    logger.info("stock check %s: %s (%s) stock %s, threshold %s", outcome, sku, level.product_id, level.on_hand,
                level.threshold_units, extra={"sku": sku, "product_id": level.product_id, "outcome": outcome,
                                              "on_hand": level.on_hand, "threshold": level.threshold_units, **extra})


def _snapshot(alert: LowStockAlert, level: StockLevel, facts: ProductInfo, rule: _Rule, *, now: datetime) -> None:
    today = now.date()
    days = stockout_days(current_stock=level.on_hand, avg_daily_sales=level.avg_daily_sales)
    alert.merchant_id, alert.sku, alert.product_name = facts.merchant_id, facts.sku, facts.name
    alert.category_slug, alert.category_name = facts.category_slug, facts.category_name
    alert.supplier_name, alert.supplier_lead_time_days = facts.supplier_name, facts.supplier_lead_time_days
    alert.current_stock, alert.threshold = level.on_hand, level.threshold_units
    alert.threshold_type = rule.threshold_type
    alert.avg_daily_sales = level.avg_daily_sales
    alert.estimated_stockout_date = estimated_stockout_date(today=today, current_stock=level.on_hand,
                                                            avg_daily_sales=level.avg_daily_sales)
    alert.urgency = urgency_for(days_to_stockout=days)
    alert.channels = list(rule.channels)


def _notify(alert: LowStockAlert, *, now: datetime) -> None:
    """Send through the alert's immediate channels (the digest reads active alerts at 09:00 UTC)."""
    payload = alert_event_payload(alert, now=now)
    event_id = None
    if Channel.KAFKA in alert.channels:
        event_id = publish(INVENTORY_ALERTS, alert.product_id, payload)
    if Channel.WEBHOOK in alert.channels and alert.merchant_id is not None:
        webhook_delivery_create(merchant_id=alert.merchant_id, payload=payload, event_id=event_id, alert_id=alert.id)


def _resolve(alert: LowStockAlert, *, now: datetime, current_stock: int | None) -> None:
    alert.status, alert.resolved_at = LowStockAlert.Status.RESOLVED, now
    if current_stock is not None:
        alert.current_stock = current_stock
    if alert.paged:
        pagerduty_event_create(alert=alert, action="resolve")
        alert.paged = False
    alert.save(update_fields=["status", "resolved_at", "current_stock", "paged"])
    logger.info("stock check resolved: %s (%s) stock %s", alert.sku, alert.product_id, alert.current_stock,
                extra={"sku": alert.sku, "product_id": alert.product_id, "outcome": "resolved",
                       "on_hand": alert.current_stock, "alert_id": alert.id})


@transaction.atomic
def stock_check_run(*, now: datetime | None = None) -> CheckSummary:
    """Evaluate every product near its threshold; returns what happened (also kept as a StockCheckRun)."""
    now = now or timezone.now()
    summary = CheckSummary()
    if not advisory_lock(CHECK_LOCK, blocking=False):
        logger.info("stock check skipped: another run holds the lock")
        return CheckSummary(skipped=True)
    stock_thresholds_refresh(unresolved_only=True)
    near = list(StockLevel.objects.filter(NEAR_THRESHOLD))
    active = {alert.product_id: alert for alert in LowStockAlert.objects.filter(status=LowStockAlert.Status.ACTIVE)}
    facts = product_info_many(product_ids=[level.product_id for level in near])
    rules = _rules_for(near)
    to_create, to_update, alerted_ids = [], [], []
    for level in near:
        summary.evaluated += 1
        product = facts.get(level.product_id)
        if product is None or not product.active:
            _log("skipped_inactive", level, product)
            continue
        if level.on_hand > level.threshold_units:
            summary.early_warning += 1
            _log("early_warning", level, product)
            if level.product_id in active:
                _resolve(active.pop(level.product_id), now=now, current_stock=level.on_hand)
                summary.resolved += 1
            continue
        alert = active.pop(level.product_id, None)
        is_new = alert is None
        alert = alert or LowStockAlert(product_id=level.product_id, created_at=now)
        before = _state(alert)
        _snapshot(alert, level, product, rules[level.product_id], now=now)
        due = level.last_alerted_at is None or now - level.last_alerted_at >= DEDUP_WINDOW
        if due:
            _notify(alert, now=now)
            alert.last_alerted_at = now
            alerted_ids.append(level.product_id)
            summary.alerted += 1
        else:
            alert.last_alerted_at = level.last_alerted_at
            summary.suppressed += 1
        if (Channel.PAGERDUTY in alert.channels and not alert.paged
                and needs_page(on_hand=level.on_hand, threshold=level.threshold_units)
                and pagerduty_event_create(alert=alert, action="trigger") is not None):
            alert.paged = True
            summary.paged += 1
        _log("alerted" if due else "suppressed_within_24h", level, product, urgency=alert.urgency,
             estimated_stockout_date=str(alert.estimated_stockout_date), paged=alert.paged)
        if is_new:
            to_create.append(alert)
        elif _state(alert) != before:  # most runs change nothing: no write at all
            to_update.append(alert)
    LowStockAlert.objects.bulk_create(to_create, batch_size=1000)
    LowStockAlert.objects.bulk_update(to_update, ALERT_FIELDS, batch_size=1000)
    if alerted_ids:
        StockLevel.objects.filter(product_id__in=alerted_ids).update(last_alerted_at=now)
        InventoryThreshold.objects.filter(product_id__in=alerted_ids).update(last_alerted_at=now)
    recovered_stock = dict(StockLevel.objects.filter(product_id__in=list(active)).values_list("product_id", "on_hand"))
    for product_id, alert in active.items():  # above 1.2 x threshold (or gone): recovered
        _resolve(alert, now=now, current_stock=recovered_stock.get(product_id))
        summary.resolved += 1
    StockCheckRun.objects.create(started_at=now, finished_at=timezone.now(), **{
        key: value for key, value in asdict(summary).items() if key != "skipped"})
    logger.info("stock check finished", extra={"summary": asdict(summary)})
    return summary
