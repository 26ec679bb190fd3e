"""The numbers of the low-stock rules (DESIGN.md "Rules read from the seeds' numbers"), as pure
functions so services, selectors, SQL-writing code and tests all compute the same thing."""
import math
from datetime import date, timedelta
from decimal import Decimal

from .models.alerts import Urgency

VELOCITY_WINDOW_DAYS = 30
DEDUP_WINDOW = timedelta(hours=24)
# Absolute units per category when neither the product nor its category has a rule.
CATEGORY_DEFAULT_UNITS = {"general-merchandise": 50, "electronics": 20, "consumables": 100}
FALLBACK_DEFAULT_UNITS = CATEGORY_DEFAULT_UNITS["general-merchandise"]
DEFAULT_REORDER_LEAD_DAYS = 7
PERCENTAGE_RANGE = (1, 1000)
LEAD_DAYS_RANGE = (1, 365)


def category_default_units(category_slug: str) -> int:
    return CATEGORY_DEFAULT_UNITS.get(category_slug, FALLBACK_DEFAULT_UNITS)


def threshold_units_compute(*, threshold_type: str, threshold_value: int | None = None,
                            threshold_percentage: int | None = None, reorder_lead_days: int | None = None,
                            avg_daily_sales: Decimal = Decimal(0)) -> int:
    """Absolute: the value. Relative: ceil(pct/100 x avg daily sales x lead days) (150% x 30 x 7 = 315)."""
    if threshold_type == "absolute":
        return int(threshold_value or 0)
    exact = Decimal(threshold_percentage or 0) / 100 * Decimal(avg_daily_sales) * (reorder_lead_days or 0)
    return math.ceil(exact)


def stockout_days(*, current_stock: int, avg_daily_sales: Decimal) -> int | None:
    """Whole days until stock runs out at the current velocity; None when nothing sells."""
    if avg_daily_sales <= 0:
        return None
    return math.floor(Decimal(current_stock) / Decimal(avg_daily_sales))


def estimated_stockout_date(*, today: date, current_stock: int, avg_daily_sales: Decimal) -> date | None:
    days = stockout_days(current_stock=current_stock, avg_daily_sales=avg_daily_sales)
    return None if days is None else today + timedelta(days=days)


def urgency_for(*, days_to_stockout: int | None) -> str:
    """< 3 days critical (red), 3-7 warning (yellow), > 7 or no sales informational (green)."""
    if days_to_stockout is None or days_to_stockout > 7:
        return Urgency.INFORMATIONAL
    return Urgency.CRITICAL if days_to_stockout < 3 else Urgency.WARNING


def needs_page(*, on_hand: int, threshold: int) -> bool:
    """PagerDuty fires when stock is below 50 % of the threshold."""
    return on_hand * 2 < threshold
