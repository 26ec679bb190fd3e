"""Guest checkout benchmark: `python benchmarks/checkout.py` (or `make bench`).

Measures, in one run against one real HTTP server (Django's threaded WSGI server, PostgreSQL,
Redis, the local Stripe-compatible server at zero latency):
- `POST /api/v2/checkout/guest` requests/s (each request a fresh cart, a full order and charge),
- `GET /api/v2/checkout/guest/session/{id}` p50/p99 latency and requests/s,
- a bare DRF endpoint (`GET` returning a constant, no database) under the same load, as the
  baseline: the ratios say what the checkout and the session read cost over the framework itself.

It builds a throwaway database (`<name>_bench` of DATABASE_URL) and drops it afterwards; rate
limits are per client IP, so every request carries its own X-Forwarded-For behind one trusted hop.
Options: --checkouts N (default 200), --reads N (default 2000), --concurrency N (default 16).
"""
import argparse
import logging
import os
import statistics
import sys
import threading
import time
import types
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vantage.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vantage")
os.environ["CELERY_BROKER_URL"] = "memory://"  # the outbox relay is not part of the measurement
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["TRUSTED_PROXY_COUNT"] = "1"

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

ADDRESS = {"line1": "742 Evergreen Terrace", "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"}


class BareApi(APIView):
    """The baseline: DRF with the project's middleware, no database, no Redis."""

    authentication_classes: list = []

    def get(self, request):
        return Response({"ok": True})


def install_urlconf() -> None:
    from vantage import urls as project_urls

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("api/bench/bare", BareApi.as_view()), *project_urls.urlpatterns]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Server(ThreadedWSGIServer):
    request_queue_size = 256


def start_servers() -> tuple[str, object, object]:
    from devtools.localstripe.server import make_server

    stripe_server = make_server(0)
    threading.Thread(target=stripe_server.serve_forever, daemon=True).start()
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{stripe_server.server_address[1]}"
    settings.STRIPE_SECRET_KEY = "sk_test_bench"
    web = Server(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    web.set_app(WSGIHandler())
    threading.Thread(target=web.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{web.server_address[1]}", web, stripe_server


def make_carts(count: int) -> list[str]:
    """The demo shop's shipping and tax rates, products with ample stock and `count` one-line carts, written
    straight to the bench database (so every checkout prices shipping and tax, as in production)."""
    import io

    from django.apps import apps

    for app_label in ("shipping", "tax"):
        apps.get_app_config(app_label).seed_demo(io.StringIO())

    from apps.checkout.services.carts import cart_create
    from apps.inventory.public import stock_set

    merchant, _ = apps.get_model("catalog", "Merchant").objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    category, _ = apps.get_model("catalog", "Category").objects.get_or_create(slug="bench", defaults={"name": "B"})
    product_model = apps.get_model("catalog", "Product")
    products = []
    for index in range(10):
        product, _ = product_model.objects.get_or_create(id=f"prod_bench_{index}", defaults={
            "sku": f"BENCH-{index}", "name": f"Bench product {index}", "price": "47.99", "merchant": merchant,
            "category": category})
        stock_set(product_id=product.id, quantity=1_000_000)
        products.append(product.id)
    return [cart_create(items=[(products[i % 10], 1)]).id for i in range(count)]


def run(label: str, calls: list, concurrency: int) -> dict:
    """Run the callables with `concurrency` threads; each returns (status, seconds)."""
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda call: call(), calls))
    elapsed = time.perf_counter() - started
    close_client_sessions()
    latencies = sorted(seconds for _, seconds in results)
    failures = [status for status, _ in results if status >= 400]
    return {
        "label": label, "requests": len(results), "failures": len(failures), "rps": len(results) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000,
    }


_local = threading.local()
_sessions: list[requests.Session] = []


def close_client_sessions() -> None:
    """Close the keep-alive connections, so the server's request threads end."""
    while _sessions:
        _sessions.pop().close()


def timed(method: str, url: str, **kwargs):
    def call():
        session = getattr(_local, "session", None)
        if session is None:
            session = _local.session = requests.Session()
            _sessions.append(session)
        client_ip = ".".join(str(octet) for octet in uuid.uuid4().bytes[:4])
        headers = {"X-Forwarded-For": client_ip, **kwargs.get("headers", {})}
        extra = {key: value for key, value in kwargs.items() if key != "headers"}
        started = time.perf_counter()
        response = session.request(method, url, headers=headers, timeout=60, **extra)
        return response.status_code, time.perf_counter() - started

    return call


def drop_database(original_name: str) -> None:
    """Drop the throwaway database, ending any server thread still connected to it."""
    bench_name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                       "AND pid <> pg_backend_pid()", [bench_name])
    connection.creation.destroy_test_db(original_name, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkouts", type=int, default=200)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    options = parser.parse_args()
    for noisy in ("stripe", "kombu", "celery", "apps"):
        logging.getLogger(noisy).setLevel(logging.ERROR)

    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        install_urlconf()
        base, web, stripe_server = start_servers()
        carts = make_carts(options.checkouts + 1)
        checkout_url = f"{base}/api/v2/checkout/guest"
        first = requests.post(checkout_url, json={"cart_id": carts.pop(), "email": "bench@example.com",
                                                  "shipping_address": ADDRESS, "payment_method_id": "pm_card_visa"},
                              timeout=60)
        assert first.status_code == 201, first.text
        session_id, token = first.json()["session_id"], first.headers["X-Guest-Session-Token"]

        bare = run("bare DRF GET", [timed("GET", f"{base}/api/bench/bare") for _ in range(options.reads)],
                   options.concurrency)
        reads = run("session GET", [timed("GET", f"{base}/api/v2/checkout/guest/session/{session_id}",
                                          headers={"Authorization": f"Bearer {token}"})
                                    for _ in range(options.reads)], options.concurrency)
        checkouts = run("guest checkout POST", [
            timed("POST", checkout_url, json={"cart_id": cart_id, "email": "bench@example.com",
                                              "shipping_address": ADDRESS, "payment_method_id": "pm_card_visa"})
            for cart_id in carts], options.concurrency)
        web.shutdown()
        web.server_close()
        stripe_server.shutdown()
    finally:
        drop_database(old_name)

    print(f"guest checkout benchmark — concurrency {options.concurrency}, local Stripe at zero latency")
    for result in (bare, reads, checkouts):
        print(f"  {result['label']:<20} {result['requests']:>6} req  {result['rps']:>8.1f} req/s  "
              f"p50 {result['p50_ms']:>7.2f} ms  p99 {result['p99_ms']:>7.2f} ms  failures {result['failures']}")
    print(f"  session GET vs bare: p50 ×{reads['p50_ms'] / bare['p50_ms']:.2f}, "
          f"p99 ×{reads['p99_ms'] / bare['p99_ms']:.2f}, throughput {reads['rps'] / bare['rps']:.2f}")
    print(f"  guest checkout vs bare: throughput {checkouts['rps'] / bare['rps']:.3f} "
          f"({checkouts['rps']:.1f} vs {bare['rps']:.1f} req/s)")
    if bare["failures"] or reads["failures"] or checkouts["failures"]:
        sys.exit("some requests failed; see the counts above")


if __name__ == "__main__":
    main()
