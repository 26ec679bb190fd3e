"""Fixtures of the inventory tests: the seeds' catalog, the seed's clock, and a local HTTP receiver
standing in for merchant webhook endpoints (merchant API clients: apps.catalog.testing; PagerDuty's
stand-in is the shared `local_pagerduty` fixture of devtools/pagerduty_server.py)."""
import json
import threading
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.catalog.testing import CategoryFactory, ProductFactory, SupplierFactory
from apps.inventory.services import stock_set
from apps.inventory.services.stock_check import stock_check_run
from apps.inventory.services.thresholds import ThresholdSpecInput, threshold_create
from apps.inventory.services.velocity import sales_velocity_recalculate
from apps.inventory.testing import sales_history

SEED_TODAY = date(2025, 10, 15)
SEED_NOW = datetime(2025, 10, 15, 6, 0, tzinfo=UTC)  # the seed's last_alerted_at


@pytest.fixture(autouse=True)
def _webhooks_may_reach_the_local_receiver(settings):
    """The root conftest sets WEBHOOKS_ALLOW_PRIVATE_NETWORKS in the environment, but pytest-django has
    already read the settings by then; set it here so test receivers on 127.0.0.1 are allowed."""
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True


@pytest.fixture
def seed_catalog(merchant):
    """PR #4788's three products, with the seed's stock and sales figures (velocity as of 2025-10-15)."""
    electronics = CategoryFactory(slug="electronics", name="Electronics")
    northwind = SupplierFactory(name="Northwind Electronics", typical_lead_time_days=7)
    cables = SupplierFactory(name="Cable & Co", typical_lead_time_days=4)
    products = {
        "monitor": ProductFactory(id="prod_monitor_32in", sku="MON-32-4K-PRO", name='32" 4K Pro Monitor',
                                  category=electronics, merchant=merchant, supplier=northwind),
        "headphones": ProductFactory(id="prod_headphones_nc", sku="HP-NC-700-BLK",
                                     name="Noise Cancelling Headphones 700", category=electronics,
                                     merchant=merchant, supplier=northwind),
        "cable": ProductFactory(id="prod_cable_usbc", sku="CBL-USBC-2M", name="USB-C Cable 2 Meter",
                                category=electronics, merchant=merchant, supplier=cables),
    }
    for key, stock, sold in (("monitor", 360, 900), ("headphones", 12, 255), ("cable", 340, 1356)):
        sales_history(products[key].id, total_units=sold, today=SEED_TODAY)
        stock_set(product_id=products[key].id, quantity=stock)
    sales_velocity_recalculate(today=SEED_TODAY)
    return products


class Receiver:
    """A local HTTP server that records requests and answers with the next scripted status."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self.default_status = 200
        self.body = b'{"ok": true}'
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "raw": raw,
                                          "json": json.loads(raw or b"null")})
                status = receiver.statuses.pop(0) if receiver.statuses else receiver.default_status
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(receiver.body)))
                self.end_headers()
                self.wfile.write(receiver.body)

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def alerts(seed_catalog):
    """The seed's headphones (critical) and cable (warning) below threshold after a check at SEED_NOW."""
    threshold_create(product_id="prod_headphones_nc", merchant_scope=None,
                     spec=ThresholdSpecInput("absolute", threshold_value=20))
    threshold_create(product_id="prod_cable_usbc", merchant_scope=None,
                     spec=ThresholdSpecInput("relative", threshold_percentage=158, reorder_lead_days=7))
    stock_check_run(now=SEED_NOW)
