"""`/metrics` for one process or many (gunicorn workers).

Counters and histograms live in each process. Under gunicorn, `vantage/gunicorn.conf.py` sets
PROMETHEUS_MULTIPROC_DIR before any worker starts, so prometheus_client writes every worker's
values to files there and a scrape sums them (MultiProcessCollector): whichever worker answers,
the totals are the pod's. Without it (runserver, tests) the process' own registry is served.

Scrape-time collectors (outbox backlog, breaker state, stock below threshold, returns, active
guest sessions) read shared state — PostgreSQL or Redis — when scraped, so they are the same in
every process; apps register them with `scrape_collector_register` and both modes serve them.

With METRICS_AUTH_TOKEN set, a scrape must send `Authorization: Bearer <token>` (compared in constant
time); anything else is 401. Unset (local runs, tests) the endpoint is open.
"""
import hmac
import os

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

_scrape_collectors: dict[type, object] = {}


def scrape_collector_register(collector) -> None:
    """Register a collector that reads shared state at scrape time (once per collector class)."""
    if type(collector) in _scrape_collectors:
        return
    _scrape_collectors[type(collector)] = collector
    REGISTRY.register(collector)


def metrics_registry() -> CollectorRegistry:
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    for collector in _scrape_collectors.values():
        registry.register(collector)
    return registry


def scrape_authorized(request: HttpRequest) -> bool:
    expected = settings.METRICS_AUTH_TOKEN
    if not expected:
        return True
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected.encode())


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not scrape_authorized(request):
        response = HttpResponse("Send the scrape token: Authorization: Bearer <METRICS_AUTH_TOKEN>\n", status=401,
                                content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(metrics_registry()), content_type=CONTENT_TYPE_LATEST)
