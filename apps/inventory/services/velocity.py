"""Average daily sales = units sold in the last 30 full days / 30, recomputed nightly and on demand
(`manage.py recalculate_sales_velocity [--product ID]`). Relative thresholds follow the new velocity."""
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import DailySales, InventoryThreshold, StockLevel
from ..models.thresholds import ThresholdType
from ..rules import VELOCITY_WINDOW_DAYS
from .stock import stock_level_ensure
from .thresholds import DECIMAL_ONE, relative_units_expression, stock_thresholds_refresh


@transaction.atomic
def sales_velocity_recalculate(*, product_id: str | None = None, today: date | None = None) -> int:
    """Recompute velocity (all products, or one) and the thresholds that depend on it, in set-based
    UPDATEs; returns the number of products updated."""
    today = today or timezone.now().date()
    window_units = (DailySales.objects
                    .filter(product_id=OuterRef("product_id"), day__gte=today - timedelta(days=VELOCITY_WINDOW_DAYS),
                            day__lt=today)
                    .values("product_id").annotate(total=Sum("units")).values("total"))
    levels, thresholds = StockLevel.objects.all(), InventoryThreshold.objects.filter(
        threshold_type=ThresholdType.RELATIVE)
    if product_id is not None:
        stock_level_ensure(product_id=product_id)
        levels, thresholds = levels.filter(product_id=product_id), thresholds.filter(product_id=product_id)
    updated = levels.update(
        avg_daily_sales=ExpressionWrapper(
            DECIMAL_ONE * Coalesce(Subquery(window_units), 0) / Value(Decimal(VELOCITY_WINDOW_DAYS)),
            output_field=DecimalField(max_digits=16, decimal_places=4)),
        velocity_updated_at=timezone.now())
    average = Subquery(StockLevel.objects.filter(product_id=OuterRef("product_id")).values("avg_daily_sales")[:1])
    thresholds.update(computed_threshold_units=relative_units_expression(
        avg_daily_sales=average, percentage=F("threshold_percentage"), lead_days=F("reorder_lead_days")),
        updated_at=timezone.now())
    if product_id:
        stock_thresholds_refresh(product_ids=[product_id])
    else:
        stock_thresholds_refresh(relative_only=True)
    return updated
