"""`GET /healthz`: database, Redis and Kafka checked with short timeouts; 503 names what failed.

`?probe=` narrows the checks for Kubernetes (deploy/k8s):
- `live`: no dependency at all. It proves the process answers a Django request; a database, Redis or
  Kafka outage must not make the kubelet restart every healthy web pod at once.
- `ready`: database and Redis, which every shopper request needs. Kafka is left out: web only writes
  the outbox, the worker's relay talks to Kafka, so a Kafka outage delays events but not checkout.
Without `probe` every check runs (dashboards, uptime monitors, the deploy smoke test).
"""
import logging
import time

from django.db import connection
from django.http import HttpRequest, JsonResponse

from .redis import get_redis

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_redis() -> None:
    get_redis().ping()


def check_kafka() -> None:
    from apps.events.public import broker_reachable

    if not broker_reachable(timeout_seconds=2.0):
        raise ConnectionError("Kafka broker did not answer a metadata request within 2 s")


CHECKS = {"database": check_database, "redis": check_redis, "kafka": check_kafka}
PROBES = {"live": (), "ready": ("database", "redis")}


def healthz(request: HttpRequest) -> JsonResponse:
    probe = request.GET.get("probe")
    if probe is not None and probe not in PROBES:
        return JsonResponse({"status": "error", "message": f"probe must be one of {', '.join(PROBES)} "
                                                           "(or omitted for every check)."}, status=400)
    names = PROBES[probe] if probe is not None else tuple(CHECKS)
    results, failures = {}, {}
    for name in names:
        started = time.monotonic()
        try:
            CHECKS[name]()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 — any failure of a dependency is reported, not raised
            results[name] = "error"
            failures[name] = type(exc).__name__
            logger.warning("health check failed", extra={"check": name, "error": str(exc),
                                                         "elapsed_ms": round((time.monotonic() - started) * 1000)})
    body = {"status": "error" if failures else "ok", "checks": results}
    if failures:
        body["failed"] = failures
    response = JsonResponse(body, status=503 if failures else 200)
    response["Cache-Control"] = "no-store"
    return response
