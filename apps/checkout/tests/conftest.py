"""Fixtures of the checkout tests: products with stock, carts, a client per shopper IP, the demo shop's
shipping rates in every test that uses the database, Stripe Tax on the local Stripe server, and Celery tasks
run at once."""
import threading
from decimal import Decimal

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

from apps.catalog.testing import ProductFactory
from apps.checkout.testing import CartFactory, CartItemFactory
from apps.inventory.public import stock_on_hand, stock_set
from vantage.celery import app


@pytest.fixture(autouse=True)
def _shop_ships(request):
    """A shop without shipping rates ships nowhere (every order: UNDELIVERABLE_ADDRESS), so every checkout
    test that touches the database starts with the demo shop's rates (US Standard and Express, an
    international zone), as `make run` does. No tax rates: untaxed unless a test adds some."""
    uses_database = request.node.get_closest_marker("django_db") or {
        "db", "transactional_db", "live_server"} & set(request.fixturenames)
    if uses_database:
        request.getfixturevalue("shipping_rates")


@pytest.fixture
def make_product(db):
    """`make_product(price="47.99", stock=5, id=...)` → a catalog product with counted stock."""

    def make(price="10.00", stock=100, **fields):
        product = ProductFactory(price=Decimal(price), **fields)
        stock_set(product_id=product.id, quantity=stock)
        return product

    return make


@pytest.fixture
def make_cart(db):
    """`make_cart([(product, qty), ...], id=...)` → a cart row with items (ids may be the seed's)."""

    def make(lines=(), **fields):
        cart = CartFactory(**fields)
        for product, quantity in lines:
            CartItemFactory(cart=cart, product_id=product.id, quantity=quantity)
        return cart

    return make


@pytest.fixture
def on_hand():
    return lambda product: stock_on_hand(product_ids=[product.id])[product.id]


@pytest.fixture
def behind_proxy(settings):
    """Trust one proxy hop, so each test request's X-Forwarded-For is its client IP (per-IP limits)."""
    settings.TRUSTED_PROXY_COUNT = 1


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _WideServer(ThreadedWSGIServer):
    """Django's threaded dev server with a listen backlog that takes 50 simultaneous connects
    (the stock backlog of 5–10 resets them, which is not what a load balancer would do)."""

    request_queue_size = 128


@pytest.fixture
def wide_live_server(transactional_db):
    """A live HTTP server (thread per request, DB connections closed after each) on a free port."""
    server = _WideServer(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=True)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def stripe_tax(settings, local_stripe):
    """Orders priced by Stripe Tax on the local Stripe server (TAX_PROVIDER=stripe)."""
    settings.TAX_PROVIDER = "stripe"
    return local_stripe


@pytest.fixture
def tasks_run():
    """Celery tasks queued after commit run at once (the tests have no worker)."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
