"""Benchmark of the low-stock system at catalog scale (issue 5).

Loads N products (default 1,000,000) with COPY into a throw-away PostgreSQL database, then times:
  1. one stock check (cold: opens alerts and writes their events; and warm: the steady 5-minute run),
     with a fixed 1,000 products near their threshold (500 below, 500 early warning);
  2. the bulk threshold apply over one category holding N/10 products (100,000 at full size);
  3. the alerts list (page 1, sorted by stockout ETA, with its total) over N/100 active alerts (10,000).
Each is run again at N/10 products and reported with the ratio large/small. The check must stay nearly
flat (its query reads only the near-threshold partial index); bulk and list may grow with what they touch.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vantage .venv/bin/python benchmarks/stock_check.py
    BENCH_PRODUCTS=200000 ...   # a quicker run

Exit status 1 when the warm check grows more than CHECK_RATIO_LIMIT times between the two sizes.
"""
import io
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vantage.settings")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # the check logs every near product; keep the terminal readable

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from apps.inventory.services.stock_check import stock_check_run  # noqa: E402
from apps.inventory.services.thresholds import ThresholdSpecInput, thresholds_bulk_apply  # noqa: E402

LARGE = int(os.environ.get("BENCH_PRODUCTS", "1000000"))
NEAR = 1000
CHECK_RATIO_LIMIT = float(os.environ.get("BENCH_CHECK_RATIO_LIMIT", "3"))
CATEGORIES = ["electronics", "general-merchandise", "consumables"]
TABLES = ["inventory_lowstockalert", "inventory_thresholds", "inventory_categorythresholdrule",
          "inventory_stockcheckrun", "inventory_stocklevel", "events_outboxevent", "catalog_product"]


def copy_rows(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if value is None else str(value) for value in row) + "\n")
    buffer.seek(0)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)


def reference_rows() -> tuple[int, dict[str, int], int]:
    merchant = apps.get_model("catalog", "Merchant").objects.get_or_create(slug="bench", defaults={"name": "B"})[0]
    category_model = apps.get_model("catalog", "Category")
    categories = {slug: category_model.objects.get_or_create(slug=slug, defaults={"name": slug})[0].id
                  for slug in CATEGORIES}
    supplier = apps.get_model("catalog", "Supplier").objects.get_or_create(name="Bench Supply")[0]
    return merchant.id, categories, supplier.id


def load_catalog(size: int) -> None:
    """`size` products; every 10th is electronics (the bulk target), the first NEAR are near threshold."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)}")
    merchant_id, categories, supplier_id = reference_rows()

    def slug(i: int) -> str:
        return "electronics" if i % 10 == 0 else CATEGORIES[1 + i % 2]

    columns = ["id", "sku", "name", "description", "price", "currency", "category_id", "merchant_id", "supplier_id",
               "active", "created_at"]
    # COPY writes the columns it names only, and Django's defaults live in Python: the model's other defaulted
    # columns (weight, tax category, … as they are added) get their defaults here, so the load keeps working.
    fields = apps.get_model("catalog", "Product")._meta.concrete_fields
    defaults = {field.column: field.get_default() for field in fields
                if field.has_default() and field.column not in columns}
    copy_rows("catalog_product", [*columns, *defaults],
              ((f"prod_b{i:07d}", f"B-{i:07d}", f"Bench product {i}", "", "10.00", "USD", categories[slug(i)],
                merchant_id, supplier_id, "t", "2025-01-01 00:00:00+00", *defaults.values()) for i in range(size)))

    def stock(i: int) -> int:
        if i < NEAR // 2:
            return 10  # below a threshold of 50
        return 55 if i < NEAR else 10_000  # early warning (50 < 55 <= 60), or far above

    copy_rows("inventory_stocklevel", ["product_id", "on_hand", "merchant_id", "category_slug", "avg_daily_sales",
                                       "threshold_units", "updated_at"],
              ((f"prod_b{i:07d}", stock(i), merchant_id, slug(i), "4.0000", 50, "2025-01-01 00:00:00+00")
               for i in range(size)))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_product; ANALYZE inventory_stocklevel")


def load_alerts(count: int) -> None:
    today = date(2025, 10, 15)
    copy_rows("inventory_lowstockalert", [
        "id", "product_id", "merchant_id", "sku", "product_name", "category_slug", "category_name", "supplier_name",
        "current_stock", "threshold", "threshold_type", "avg_daily_sales", "estimated_stockout_date", "urgency",
        "channels", "status", "paged", "last_alerted_at", "created_at"],
        ((f"alt_bench{i:07d}", f"prod_x{i:07d}", 1, f"X-{i}", f"Alert product {i}", "electronics", "Electronics",
          "Bench Supply", i % 20, 20, "absolute", "2.0000", today + timedelta(days=i % 30),
          "critical" if i % 30 < 3 else "warning" if i % 30 <= 7 else "informational", '["kafka"]', "active", "f",
          "2025-10-15 06:00:00+00", "2025-10-15 06:00:00+00") for i in range(count)))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE inventory_lowstockalert")


def timed(function, repeat: int = 1) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure(size: int, client: APIClient) -> dict[str, float]:
    print(f"loading {size:,} products with COPY ...", flush=True)
    started = time.perf_counter()
    load_catalog(size)
    print(f"  loaded in {time.perf_counter() - started:.1f} s", flush=True)
    results = {"stock check, cold (opens 500 alerts)": timed(stock_check_run)}
    results["stock check, warm (steady 5-minute run)"] = timed(stock_check_run, repeat=5)
    spec = ThresholdSpecInput("absolute", threshold_value=25, alert_channels=["kafka"])
    results["bulk apply to a category of N/10 products"] = timed(lambda: thresholds_bulk_apply(
        category_slug="electronics", merchant_scope=None, spec=spec, override_existing=True))
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE inventory_lowstockalert")
    load_alerts(size // 100)

    def list_alerts():
        response = client.get("/api/v1/inventory/alerts?status=active&sort=stockout_eta")
        assert response.status_code == 200 and response.json()["total"] == size // 100

    list_alerts()
    results["alerts list over N/100 active alerts"] = timed(list_alerts, repeat=5)
    return results


def main() -> int:
    settings.DATABASES["default"]["TEST"]["NAME"] = settings.DATABASES["default"]["NAME"] + "_bench_inventory"
    from django.test.utils import setup_test_environment

    setup_test_environment()
    original_name = settings.DATABASES["default"]["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        staff = apps.get_model("auth", "User").objects.create_user("bench", is_staff=True)
        client = APIClient()
        client.force_authenticate(staff)
        small, large = measure(LARGE // 10, client), measure(LARGE, client)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
    print(f"\n{'operation (N = products)':<48}{'N=' + format(LARGE // 10, ','):>12}{'N=' + format(LARGE, ','):>12}"
          "   ratio")
    ratios = {}
    for (name, small_seconds), large_seconds in zip(small.items(), large.values(), strict=True):
        ratios[name] = large_seconds / small_seconds
        print(f"{name:<48}{small_seconds * 1000:>10.1f}ms{large_seconds * 1000:>10.1f}ms   {ratios[name]:.2f}x")
    warm = ratios["stock check, warm (steady 5-minute run)"]
    if warm > CHECK_RATIO_LIMIT:
        print(f"FAIL: the stock check grew {warm:.2f}x with 10x the catalog (limit {CHECK_RATIO_LIMIT}x)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
