"""Writes of thresholds: one product's threshold, bulk category updates, and keeping each stock
row's effective `threshold_units` current (product override > category rule > category default)."""
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Ceil, Coalesce

from apps.catalog.public import category_has_products, category_product_merchants, product_info
from apps.core.errors import FieldError, ValidationFailed

from ..errors import ProductNotFound, ThresholdExists
from ..models import CategoryThresholdRule, InventoryThreshold, StockLevel, WebhookEndpoint
from ..models.thresholds import DEFAULT_CHANNELS, Channel, ThresholdType
from ..rules import (
    CATEGORY_DEFAULT_UNITS,
    DEFAULT_REORDER_LEAD_DAYS,
    FALLBACK_DEFAULT_UNITS,
    threshold_units_compute,
)
from .stock import stock_level_ensure
from .webhooks import webhook_endpoint_save

# The SQL literal 1.0 is exact numeric: multiplying by it first keeps the arithmetic out of integer division.
DECIMAL_ONE = RawSQL("1.0", [], output_field=DecimalField(max_digits=2, decimal_places=1))


def relative_units_expression(*, avg_daily_sales, percentage, lead_days):
    """ceil(pct/100 x avg daily sales x lead days) as SQL. The leading decimal one keeps every step decimal
    (exact numeric, so a whole-number average never falls into integer division)."""
    exact = ExpressionWrapper(DECIMAL_ONE * avg_daily_sales * percentage * lead_days / Value(Decimal(100)),
                              output_field=DecimalField(max_digits=20, decimal_places=6))
    return Cast(Ceil(exact), IntegerField())


def _effective_units_expression():
    """Own threshold row > category rule (the merchant's, then the all-merchants one) > category default."""
    own = InventoryThreshold.objects.filter(product_id=OuterRef("product_id")).values("computed_threshold_units")[:1]
    rule_units = Case(
        When(threshold_type=ThresholdType.ABSOLUTE, then=F("threshold_value")),
        default=relative_units_expression(avg_daily_sales=OuterRef("avg_daily_sales"),
                                          percentage=F("threshold_percentage"), lead_days=F("reorder_lead_days")),
        output_field=IntegerField())
    rule = (CategoryThresholdRule.objects
            .filter(Q(merchant_id=OuterRef("merchant_id")) | Q(merchant_id__isnull=True),
                    category_slug=OuterRef("category_slug"))
            .order_by(F("merchant_id").asc(nulls_last=True)).annotate(units=rule_units).values("units")[:1])
    default = Case(*[When(category_slug=slug, then=Value(units)) for slug, units in CATEGORY_DEFAULT_UNITS.items()],
                   default=Value(FALLBACK_DEFAULT_UNITS), output_field=IntegerField())
    return Coalesce(Subquery(own), Subquery(rule), default, output_field=IntegerField())


def stock_thresholds_refresh(*, product_ids: list[str] | None = None, category_slug: str | None = None,
                             unresolved_only: bool = False, relative_only: bool = False) -> int:
    """Recompute `threshold_units` of the selected stock rows in one UPDATE; returns rows touched."""
    levels = StockLevel.objects.all()
    if product_ids is not None:
        levels = levels.filter(product_id__in=list(product_ids))
    if category_slug is not None:
        levels = levels.filter(category_slug=category_slug)
    if unresolved_only:
        levels = levels.filter(threshold_units__isnull=True)
    if relative_only:
        levels = levels.filter(
            Exists(InventoryThreshold.objects.filter(product_id=OuterRef("product_id"),
                                                     threshold_type=ThresholdType.RELATIVE))
            | Exists(CategoryThresholdRule.objects.filter(category_slug=OuterRef("category_slug"),
                                                          threshold_type=ThresholdType.RELATIVE)))
    return levels.update(threshold_units=_effective_units_expression())


@dataclass(frozen=True)
class ThresholdSpecInput:
    threshold_type: str
    threshold_value: int | None = None
    threshold_percentage: int | None = None
    reorder_lead_days: int | None = None
    alert_channels: list[str] | None = None


def threshold_spec_errors(spec: ThresholdSpecInput) -> list[FieldError]:
    """What is missing for the spec's type (range and choice checks are the serializers' and forms' job)."""
    errors = []
    if spec.threshold_type == ThresholdType.ABSOLUTE and spec.threshold_value is None:
        errors.append(FieldError("threshold_value", "REQUIRED", "An absolute threshold needs threshold_value "
                                 "(alert when stock is at or below this many units).", "integer >= 0"))
    if spec.threshold_type == ThresholdType.RELATIVE and spec.threshold_percentage is None:
        errors.append(FieldError("threshold_percentage", "REQUIRED", "A relative threshold needs "
                                 "threshold_percentage (% of avg daily sales x reorder lead days).",
                                 "integer between 1 and 1000"))
    return errors


def _channels(spec: ThresholdSpecInput) -> list[str]:
    return list(dict.fromkeys(spec.alert_channels)) if spec.alert_channels else list(DEFAULT_CHANNELS)


def _webhook_errors(*, channels: list[str], merchant_id: int, webhook_url: str | None) -> list[FieldError]:
    if Channel.WEBHOOK in channels and not webhook_url and not WebhookEndpoint.objects.filter(
            merchant_id=merchant_id, active=True).exists():
        return [FieldError("webhook_url", "REQUIRED", "The webhook channel needs a webhook_url (and webhook_secret),"
                           " or a webhook endpoint set up in the merchant portal.", "https URL")]
    return []


def _apply_spec(threshold: InventoryThreshold, spec: ThresholdSpecInput, *, lead_days_fallback: int) -> None:
    threshold.threshold_type = spec.threshold_type
    relative = spec.threshold_type == ThresholdType.RELATIVE
    threshold.threshold_value = None if relative else spec.threshold_value
    threshold.threshold_percentage = spec.threshold_percentage if relative else None
    threshold.reorder_lead_days = (spec.reorder_lead_days or lead_days_fallback) if relative else None
    threshold.alert_channels = _channels(spec)
    avg = StockLevel.objects.values_list("avg_daily_sales", flat=True).get(product_id=threshold.product_id)
    threshold.computed_threshold_units = threshold_units_compute(
        threshold_type=threshold.threshold_type, threshold_value=threshold.threshold_value,
        threshold_percentage=threshold.threshold_percentage, reorder_lead_days=threshold.reorder_lead_days,
        avg_daily_sales=avg)


def threshold_create_errors(*, product_id: str, spec: ThresholdSpecInput, sku: str | None = None,
                            webhook_url: str | None = None) -> list[FieldError]:
    """Everything wrong with a new threshold's input, all at once (the API and the portal form)."""
    facts = product_info(product_id=product_id)
    errors = threshold_spec_errors(spec)
    if facts is None:
        errors.insert(0, FieldError("product_id", "NOT_FOUND", f"No product '{product_id}' exists. "
                                    "Use the id of one of your products.", "existing product id"))
    elif sku and sku != facts.sku:
        errors.append(FieldError("sku", "SKU_MISMATCH", f"Product {product_id} has SKU {facts.sku}, not {sku}. "
                                 "Send the product's SKU or leave sku out.", "must match the product"))
    if facts is not None:
        errors += _webhook_errors(channels=_channels(spec), merchant_id=facts.merchant_id, webhook_url=webhook_url)
    return errors


@transaction.atomic
def threshold_create(*, product_id: str, merchant_scope: int | None, spec: ThresholdSpecInput, sku: str | None = None,
                     webhook_url: str | None = None, webhook_secret: str | None = None) -> InventoryThreshold:
    """Give one product its own threshold. Every problem with the input is reported at once; another
    merchant's product is a 404; a product that already has one is a 409 (change it with PATCH)."""
    facts = product_info(product_id=product_id)
    if facts is not None and merchant_scope is not None and facts.merchant_id != merchant_scope:
        raise ProductNotFound()
    errors = threshold_create_errors(product_id=product_id, spec=spec, sku=sku, webhook_url=webhook_url)
    if errors:
        raise ValidationFailed(errors)
    existing = InventoryThreshold.objects.select_for_update().filter(product_id=product_id).first()
    if existing is not None:
        raise ThresholdExists(extra={"threshold_id": existing.id})
    if webhook_url:
        webhook_endpoint_save(merchant_id=facts.merchant_id, url=webhook_url, secret=webhook_secret)
    stock_level_ensure(product_id=product_id)
    threshold = InventoryThreshold(product_id=product_id)
    threshold.sku, threshold.merchant_id, threshold.category_slug = facts.sku, facts.merchant_id, facts.category_slug
    _apply_spec(threshold, spec, lead_days_fallback=facts.supplier_lead_time_days or DEFAULT_REORDER_LEAD_DAYS)
    threshold.save()
    stock_thresholds_refresh(product_ids=[product_id])
    return threshold


@transaction.atomic
def threshold_update(*, threshold: InventoryThreshold, changes: dict, webhook_url: str | None = None,
                     webhook_secret: str | None = None) -> InventoryThreshold:
    """Change some fields of a threshold (PATCH); the result is validated as a whole."""
    merged = {field: getattr(threshold, field) for field in ThresholdSpecInput.__dataclass_fields__}
    merged.update({key: value for key, value in changes.items() if key in merged})
    spec = ThresholdSpecInput(**merged)
    errors = threshold_spec_errors(spec) + _webhook_errors(channels=_channels(spec), merchant_id=threshold.merchant_id,
                                                  webhook_url=webhook_url)
    if errors:
        raise ValidationFailed(errors)
    if webhook_url:
        webhook_endpoint_save(merchant_id=threshold.merchant_id, url=webhook_url, secret=webhook_secret)
    _apply_spec(threshold, spec, lead_days_fallback=threshold.reorder_lead_days or DEFAULT_REORDER_LEAD_DAYS)
    threshold.save()
    stock_thresholds_refresh(product_ids=[threshold.product_id])
    return threshold


@transaction.atomic
def threshold_delete(*, threshold: InventoryThreshold) -> None:
    """Remove a product's threshold; the product falls back to its category rule or default."""
    product_id = threshold.product_id
    threshold.delete()
    stock_thresholds_refresh(product_ids=[product_id])


# Product ids per `IN (…)` query: PostgreSQL takes at most 65,535 parameters in one statement, and a
# category holds 100,000 products at catalog scale (benchmarks/stock_check.py).
IN_QUERY_CHUNK = 10_000


def _stocked(product_ids: list[str]) -> set[str]:
    """Which of the products have a stock row."""
    stocked: set[str] = set()
    for start in range(0, len(product_ids), IN_QUERY_CHUNK):
        chunk = product_ids[start:start + IN_QUERY_CHUNK]
        stocked.update(StockLevel.objects.filter(product_id__in=chunk).values_list("product_id", flat=True))
    return stocked


@dataclass(frozen=True)
class BulkResult:
    applied: int
    skipped: int


@transaction.atomic
def thresholds_bulk_apply(*, category_slug: str, merchant_scope: int | None, spec: ThresholdSpecInput,
                          override_existing: bool = False) -> BulkResult:
    """Give a category (the caller's products in it, or everyone's for ops) one threshold, in a few
    set-based statements. Products with their own threshold keep it (and are counted as skipped) unless
    override_existing, which removes their own thresholds."""
    errors = threshold_spec_errors(spec)
    if spec.threshold_type == ThresholdType.RELATIVE and spec.reorder_lead_days is None:
        errors.append(FieldError("reorder_lead_days", "REQUIRED", "A relative bulk threshold needs "
                                 "reorder_lead_days.", "integer between 1 and 365"))
    if not category_has_products(category_slug=category_slug) and category_slug not in CATEGORY_DEFAULT_UNITS:
        errors.insert(0, FieldError("category", "NOT_FOUND", f"No category '{category_slug}' exists. Use one of: "
                                    + ", ".join(CATEGORY_DEFAULT_UNITS), "category slug"))
    channels = _channels(spec)
    if Channel.WEBHOOK in channels and merchant_scope is not None:
        errors += _webhook_errors(channels=channels, merchant_id=merchant_scope, webhook_url=None)
    if errors:
        raise ValidationFailed(errors)
    relative = spec.threshold_type == ThresholdType.RELATIVE
    values = {"threshold_type": spec.threshold_type, "threshold_value": None if relative else spec.threshold_value,
              "threshold_percentage": spec.threshold_percentage if relative else None,
              "reorder_lead_days": spec.reorder_lead_days if relative else None, "alert_channels": channels}
    # products the inventory has never seen get their stock row first
    merchants = category_product_merchants(category_slug=category_slug, merchant_id=merchant_scope)
    seen = _stocked(list(merchants))
    StockLevel.objects.bulk_create([StockLevel(product_id=pid, merchant_id=mid, category_slug=category_slug)
                                    for pid, mid in merchants.items() if pid not in seen],
                                   ignore_conflicts=True, batch_size=5000)
    in_scope = {"category_slug": category_slug}
    if merchant_scope is not None:
        in_scope["merchant_id"] = merchant_scope
    own = InventoryThreshold.objects.filter(**in_scope)
    if override_existing:
        own.delete()  # the category's threshold replaces the products' own ones
        if merchant_scope is None:
            CategoryThresholdRule.objects.filter(category_slug=category_slug, merchant_id__isnull=False).delete()
    skipped = own.count()
    # The rule is the category's threshold: no per-product rows are written, so applying it costs one
    # UPDATE of the category's stock rows, and products added to the category later follow it too.
    CategoryThresholdRule.objects.update_or_create(category_slug=category_slug, merchant_id=merchant_scope,
                                                   defaults=values)
    applied = StockLevel.objects.filter(**in_scope).count() - skipped
    stock_thresholds_refresh(category_slug=category_slug)
    return BulkResult(applied=applied, skipped=skipped)
