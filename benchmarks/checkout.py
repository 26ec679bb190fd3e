"""Guest checkout benchmark: `python benchmarks/checkout.py` (or `make bench`).

Measures, in one run against one real HTTP server (Django's threaded WSGI server, PostgreSQL,
Redis, the local Stripe-compatible server at zero latency):
- `POST /api/v2/checkout/guest` requests/s (each request a fresh cart, a full order and charge),
- `GET /api/v2/checkout/guest/session/{id}` p50/p99 latency and requests/s,
- a bare DRF endpoint (`GET` returning a constant, no database) under the same load, as the
  baseline: the ratios say what the checkout and the session read cost over the framework itself.

It builds a throwaway database (`<name>_bench` of DATABASE_URL) and drops it afterwards; rate
limits are per client IP, so every request carries its own X-Forwarded-For behind one trusted hop.
Options: --checkouts N (default 200), --reads N (default 2000), --concurrency N (default 16),
--runs N (default 3: each load run repeats, the best of each is reported), --port N (listen on N, N+1,
N+2 instead of free ports), --gunicorn (also measure the production server: `vantage/gunicorn.conf.py`
with GUNICORN_WORKERS workers, default 2, of GUNICORN_THREADS threads, default 8, in front of the same
database and local Stripe).

`--profile N` measures cost instead of load: N checkouts and N session reads one at a time, in this
process, through Django's test client (the whole middleware stack), printing per request the SQL
queries, Redis round trips and commands, Stripe calls, CPU time and the share of this process' CPU
spent in the local Stripe server (same machine, not our cost); then cProfile's top functions over
another N checkouts. `--middleware` adds the time each middleware adds to a bare GET.
"""
import argparse
import logging
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
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
# Production settings: DEBUG off (with it on, Django wraps every SQL statement to log it, a fifth of a
# checkout's CPU), so the secrets must be real; these are this run's own. Requests carry what the ingress
# adds (X-Forwarded-For, X-Forwarded-Proto: https), as production's TLS redirect expects.
os.environ["DJANGO_DEBUG"] = "false"
for secret_name in ("DJANGO_SECRET_KEY", "SERVICE_AUTH_TOKENS", "STRIPE_WEBHOOK_SECRET", "STRIPE_SECRET_KEY"):
    os.environ[secret_name] = ("sk_test_" if secret_name == "STRIPE_SECRET_KEY" else "") + secrets.token_urlsafe(32)

import warnings  # noqa: E402

import django  # noqa: E402

# With DEBUG off WhiteNoise serves collected files only and warns that none were collected; no request
# measured here asks for one.
warnings.filterwarnings("ignore", message="No directory at")

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

INGRESS = {"X-Forwarded-Proto": "https"}
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


def wsgi_application():
    """gunicorn's app factory (`checkout:wsgi_application()`): the project with the bare endpoint."""
    install_urlconf()
    return WSGIHandler()


def start_servers(port: int = 0) -> tuple[str, object, object]:
    from devtools.localstripe.server import make_server

    stripe_server = make_server(port + 1 if port else 0)
    threading.Thread(target=stripe_server.serve_forever, daemon=True).start()
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{stripe_server.server_address[1]}"
    web = Server(("127.0.0.1", port), QuietHandler, allow_reuse_address=True)
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
        headers = {"X-Forwarded-For": client_ip, "X-Forwarded-Proto": "https", **kwargs.get("headers", {})}
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int) -> tuple[str, subprocess.Popen]:
    """gunicorn with the production config against the bench database and this process' local Stripe."""
    database = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
                                         f"{database['NAME']}",
           "STRIPE_API_BASE": settings.STRIPE_API_BASE, "STRIPE_SECRET_KEY": settings.STRIPE_SECRET_KEY,
           "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "2"),
           # its own directory: the config empties it when the master starts
           "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="bench-prometheus-")}
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "vantage" / "gunicorn.conf.py"),
               "--chdir", str(ROOT / "benchmarks"), "--bind", f"127.0.0.1:{port}", "--worker-class", "gthread",
               "--threads", os.environ.get("GUNICORN_THREADS", "8"), "--backlog", "256",
               "checkout:wsgi_application()"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if requests.get(f"{base}/api/bench/bare", headers=INGRESS, timeout=10).status_code == 200:
                    return base, process
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise SystemExit("gunicorn did not answer within 30 s")
    except BaseException:
        process.terminate()
        raise


def measure(base: str, carts: list[str], options) -> dict:
    """The three load runs against `base`, `options.runs` times; the best run of each (highest req/s)."""
    checkout_url = f"{base}/api/v2/checkout/guest"
    first = requests.post(checkout_url, headers=INGRESS, json={"cart_id": carts.pop(), "email": "bench@example.com",
                                              "shipping_address": ADDRESS, "payment_method_id": "pm_card_visa"},
                          timeout=60)
    assert first.status_code == 201, first.text
    session_id, token = first.json()["session_id"], first.headers["X-Guest-Session-Token"]
    best: dict = {}
    for run_index in range(options.runs):
        batch = carts[run_index * options.checkouts:(run_index + 1) * options.checkouts]
        results = (
            run("bare DRF GET", [timed("GET", f"{base}/api/bench/bare") for _ in range(options.reads)],
                options.concurrency),
            run("session GET", [timed("GET", f"{base}/api/v2/checkout/guest/session/{session_id}",
                                      headers={"Authorization": f"Bearer {token}"})
                                for _ in range(options.reads)], options.concurrency),
            run("guest checkout POST", [
                timed("POST", checkout_url, json={"cart_id": cart_id, "email": "bench@example.com",
                                                  "shipping_address": ADDRESS, "payment_method_id": "pm_card_visa"})
                for cart_id in batch], options.concurrency),
        )
        for result in results:
            if result["label"] not in best or result["rps"] > best[result["label"]]["rps"]:
                best[result["label"]] = result
    return best


def report(title: str, best: dict) -> bool:
    bare, reads, checkouts = best["bare DRF GET"], best["session GET"], best["guest checkout POST"]
    print(title)
    for result in (bare, reads, checkouts):
        print(f"  {result['label']:<20} {result['requests']:>6} req  {result['rps']:>8.1f} req/s  "
              f"p50 {result['p50_ms']:>7.2f} ms  p99 {result['p99_ms']:>7.2f} ms  failures {result['failures']}")
    print(f"  session GET vs bare: p50 ×{reads['p50_ms'] / bare['p50_ms']:.2f}, "
          f"p99 ×{reads['p99_ms'] / bare['p99_ms']:.2f}, throughput {reads['rps'] / bare['rps']:.2f}")
    print(f"  guest checkout vs bare: throughput {checkouts['rps'] / bare['rps']:.3f} "
          f"({checkouts['rps']:.1f} vs {bare['rps']:.1f} req/s)")
    return not (bare["failures"] or reads["failures"] or checkouts["failures"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkouts", type=int, default=200)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--gunicorn", action="store_true")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="count and profile N checkouts")
    parser.add_argument("--verbose", action="store_true", help="with --profile: list one request's SQL and Redis")
    parser.add_argument("--middleware", action="store_true", help="with --profile: each middleware's cost")
    options = parser.parse_args()
    if options.profile and options.profile < 4:
        parser.error("--profile needs at least 4 checkouts (counted ones, then timed ones)")
    for noisy in ("stripe", "kombu", "celery", "apps"):
        logging.getLogger(noisy).setLevel(logging.ERROR)

    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    gunicorn = None
    try:
        install_urlconf()
        base, web, stripe_server = start_servers(options.port)
        if options.profile:
            from checkout_profile import middleware_costs, profile

            profile(carts=make_carts(2 * options.profile + 1), stripe_server=stripe_server, verbose=options.verbose)
            if options.middleware:
                middleware_costs()
            web.shutdown()
            stripe_server.shutdown()
            return
        per_server = options.runs * options.checkouts + 1
        carts = make_carts(per_server * (2 if options.gunicorn else 1))
        threaded = measure(base, carts[:per_server], options)
        web.shutdown()
        web.server_close()
        served = None
        if options.gunicorn:
            gunicorn_base, gunicorn = start_gunicorn(options.port + 2 if options.port else free_port())
            served = measure(gunicorn_base, carts[per_server:], options)
        stripe_server.shutdown()
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        drop_database(old_name)

    title = f"concurrency {options.concurrency}, local Stripe at zero latency, best of {options.runs} runs"
    ok = report(f"guest checkout benchmark, Django's threaded server — {title}", threaded)
    if served is not None:
        workers, threads = os.environ.get("GUNICORN_WORKERS", "2"), os.environ.get("GUNICORN_THREADS", "8")
        gunicorn_title = f"guest checkout benchmark, gunicorn {workers} workers × {threads} threads — {title}"
        ok = report(gunicorn_title, served) and ok
    if not ok:
        sys.exit("some requests failed; see the counts above")


if __name__ == "__main__":
    main()
