"""Demo inventory: stock and 30 days of sales for every demo product, the seeds' three products with
the seeds' figures, thresholds that put some products below, some in early warning and most fine,
and alerts from a first stock check. Idempotent: existing stock and thresholds are left alone."""
import random
from datetime import timedelta

from django.utils import timezone

from apps.catalog.public import product_info_list

from .models import DailySales, DigestRecipient, InventoryThreshold, StockLevel
from .rules import VELOCITY_WINDOW_DAYS, category_default_units
from .services import stock_set
from .services.stock_check import stock_check_run
from .services.thresholds import ThresholdSpecInput, threshold_create
from .services.velocity import sales_velocity_recalculate

# product id → (stock, units sold over 30 days, threshold spec), the figures of the alert samples:
# monitor 30.0/day and 150 % x 7 days = 315 units (stock 360: early warning); headphones 8.5/day,
# absolute 20, stock 12 (critical, stockout tomorrow); cable 45.2/day, relative 158 % x 7 days
# = ceil(499.9) = 500 units, stock 340 (warning, stockout in 7 days).
SEED_PRODUCTS = {
    "prod_monitor_32in": (360, 900, ThresholdSpecInput("relative", threshold_percentage=150, reorder_lead_days=7,
                                                       alert_channels=["kafka", "email_digest", "webhook"])),
    "prod_headphones_nc": (12, 255, ThresholdSpecInput("absolute", threshold_value=20,
                                                       alert_channels=["kafka", "pagerduty", "email_digest"])),
    "prod_cable_usbc": (340, 1356, ThresholdSpecInput("relative", threshold_percentage=158, reorder_lead_days=7,
                                                      alert_channels=["kafka", "email_digest"])),
}
DEMO_WEBHOOK = ("https://merchant.example.com/webhooks/inventory", "whsec_demo_change_me_0123456789")


def daily_units(total: int, days: int = VELOCITY_WINDOW_DAYS) -> list[int]:
    """Split `total` over `days` as evenly as possible, so total/days is exactly the intended average."""
    base, extra = divmod(total, days)
    return [base + (1 if index < extra else 0) for index in range(days)]


def _demo_plan(index: int, category_slug: str, rng: random.Random) -> tuple[int, int]:
    """Stock and 30-day sales of a generated product: every 5th below its default threshold, every
    5th+1 in the early-warning zone, the rest comfortably above."""
    default = category_default_units(category_slug)
    sold = rng.randrange(30, 600)
    if index % 5 == 0:
        return max(default // 2 - rng.randrange(0, 5), 1), sold
    if index % 5 == 1:
        return default + max(default // 10, 1), sold
    return default * 3 + rng.randrange(0, 200), sold


def seed(stdout) -> None:
    today = timezone.now().date()
    days = [today - timedelta(days=offset) for offset in range(VELOCITY_WINDOW_DAYS, 0, -1)]
    rng = random.Random(5005)
    products = [(p.product_id, p.category_slug, p.merchant_id) for p in product_info_list(active_only=False)]
    sales = []
    for index, (product_id, category_slug, _merchant_id) in enumerate(products):
        stock, sold, _spec = SEED_PRODUCTS.get(product_id, (*_demo_plan(index, category_slug, rng), None))
        sales += [DailySales(product_id=product_id, day=day, units=units)
                  for day, units in zip(days, daily_units(sold), strict=True)]
        if not StockLevel.objects.filter(product_id=product_id).exists():
            stock_set(product_id=product_id, quantity=stock, note="demo data")
    DailySales.objects.bulk_create(sales, update_conflicts=True, unique_fields=["product_id", "day"],
                                   update_fields=["units"])
    sales_velocity_recalculate(today=today)
    for product_id, (_stock, _sold, spec) in SEED_PRODUCTS.items():
        if any(pid == product_id for pid, *_ in products) and not InventoryThreshold.objects.filter(
                product_id=product_id).exists():
            webhook = DEMO_WEBHOOK if "webhook" in spec.alert_channels else (None, None)
            threshold_create(product_id=product_id, merchant_scope=None, spec=spec, webhook_url=webhook[0],
                             webhook_secret=webhook[1])
    for email, urgencies in (("merchandising@vantage.example", []), ("oncall@vantage.example", ["critical"])):
        DigestRecipient.objects.get_or_create(email=email, defaults={"urgencies": urgencies})
    summary = stock_check_run()
    stdout.write(f"inventory: stock and 30 days of sales for {len(products)} products; stock check: "
                 f"{summary.alerted + summary.suppressed} below threshold, {summary.early_warning} early warning")
