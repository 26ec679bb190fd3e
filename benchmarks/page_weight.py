"""Checkout page weight: `python benchmarks/page_weight.py` (or `make bench`).

Renders the real checkout template (no database needed: a sample cart is passed in), collects every
stylesheet and script the page loads from /static/, gzips each file (level 9, as WhiteNoise serves
it) and reports the total against the budget of issue 8: CSS + JS <= 60 KB gzipped. Exits 1 when the
page is over budget. `--json` prints one machine-readable line instead of the table.
"""
import argparse
import gzip
import json
import os
import re
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vantage.settings")

BUDGET_BYTES = 60 * 1024
ASSET_RE = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="(/static/[^"]+)"')


def render_checkout_page() -> str:
    from django.template.loader import render_to_string

    line = SimpleNamespace(product_id="prod_monitor_32in", name='32" 4K Pro Monitor', quantity=1,
                           unit_price=Decimal("449.00"), line_total=Decimal("449.00"),
                           image_path="img/products/electronics.svg")
    cart = SimpleNamespace(cart_id="cart_8a2f1bc9e3d7", lines=[line], subtotal=Decimal("449.00"), currency="USD")
    # what the page shows before the address is known (apps/checkout/amounts_shown.py, amounts_before_address)
    amounts = SimpleNamespace(currency="USD", items=cart.subtotal, shipping=None, tax=None, total=cart.subtotal,
                              prices_include_tax=False, shipping_method="")
    return render_to_string("checkout/checkout.html", {
        "cart": cart, "amounts": amounts, "email": "", "address": {"country": "US"}, "saved_cards": [],
        "estimated_delivery": datetime(2025, 9, 14, tzinfo=UTC), "steps": ("Cart", "Shipping", "Payment", "Review"),
        "countries": [("US", "United States")], "progress_dots": True,
        "checkout_config": {"sessionId": "guest:sess:sample", "applePay": True}, "csrf_token": "benchmark",
    })


def asset_sizes(html: str) -> list[dict]:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    rows = []
    for url in dict.fromkeys(ASSET_RE.findall(html)):
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        if path is None:
            raise SystemExit(f"{url} is linked from the checkout page but no static file matches it")
        raw = Path(path).read_bytes()
        rows.append({"asset": url, "bytes": len(raw), "gzip_bytes": len(gzip.compress(raw, compresslevel=9))})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()

    import django

    django.setup()
    rows = asset_sizes(render_checkout_page())
    total = sum(row["gzip_bytes"] for row in rows)
    report = {"page": "/checkout/", "assets": rows, "total_gzip_bytes": total, "budget_bytes": BUDGET_BYTES,
              "within_budget": total <= BUDGET_BYTES}
    if args.json:
        print(json.dumps(report))
    else:
        print("Checkout page CSS + JS (gzip -9)")
        for row in rows:
            print(f"  {row['asset']:<32} {row['bytes']:>7} B  -> {row['gzip_bytes']:>6} B gzipped")
        print(f"  {'total':<32} {'':>9}     {total:>6} B = {total / 1024:.1f} KB of {BUDGET_BYTES // 1024} KB "
              f"({100 * total / BUDGET_BYTES:.0f} %) {'OK' if report['within_budget'] else 'OVER BUDGET'}")
    return 0 if report["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
