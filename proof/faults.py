"""The four injected failures, each run while the load holds its sessions. Each returns a `FaultWindow`:
when the fault began, when the broken piece was back, and when the system had visibly recovered
(accounting adds the client's view of recovery from the request log).
"""
import json
import signal
import time
import urllib.request
from dataclasses import dataclass, field

from .kafka_tap import KafkaTap
from .supervisor import Stack


@dataclass
class FaultWindow:
    name: str
    description: str
    started: float
    restored: float = 0.0
    recovered: float = 0.0          # backlog drained / first success after restore (system side)
    notes: dict = field(default_factory=dict)


def outbox_pending() -> int:
    from apps.events.models import OutboxEvent

    return OutboxEvent.objects.filter(delivered_at__isnull=True).count()


def wait_outbox_drained(timeout: float) -> float:
    """Seconds until no outbox row is undelivered (or the timeout; the caller reads the count again)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if outbox_pending() == 0:
            return time.time()
        time.sleep(1)
    return 0.0


def redis_info_stats(stack: Stack) -> dict:
    import redis

    return redis.Redis.from_url(stack.redis_url, socket_timeout=2).info("stats")


def redis_restart(stack: Stack, down_seconds: float, evictions: list[int]) -> FaultWindow:
    window = FaultWindow("redis_restart", f"own redis-server SIGKILLed, started again after {down_seconds:g} s "
                         "(AOF appendfsync always)", started=time.time())
    evictions.append(int(redis_info_stats(stack).get("evicted_keys", 0)))  # INFO counters restart at zero
    stack.stop("redis", sig=signal.SIGKILL)
    time.sleep(down_seconds)
    stack.start_redis()
    window.restored = time.time()
    time.sleep(5)  # give the clients time to reconnect (or to die trying)
    crashed = stack.revive_crashed()
    window.notes["crashed_and_restarted"] = [c["name"] for c in crashed]
    window.notes["crash_details"] = crashed
    window.recovered = wait_outbox_drained(timeout=120)
    return window


def kafka_stop(stack: Stack, tap: KafkaTap, down_seconds: float) -> FaultWindow:
    window = FaultWindow("kafka_stop", f"own tansu broker stopped for {down_seconds:g} s", started=time.time())
    caught_up = _tap_catch_up(tap, timeout=20)
    window.notes["tap_caught_up_before_stop"] = caught_up
    window.started = time.time()
    stack.stop("kafka")
    time.sleep(down_seconds)
    window.notes["outbox_pending_at_restore"] = outbox_pending()
    stack.start_kafka()
    stack.manage("ensure_topics")
    tap.broker_restarted()
    window.restored = time.time()
    window.recovered = wait_outbox_drained(timeout=180)
    return window


def _tap_catch_up(tap: KafkaTap, timeout: float) -> bool:
    """The bundled broker keeps messages in memory only: let the tap read what is delivered so far,
    so that stopping it measures the outage and not the broker's lack of disk storage."""
    from apps.events.models import OutboxEvent

    deadline = time.time() + timeout
    while time.time() < deadline:
        delivered = set(map(str, OutboxEvent.objects.filter(delivered_at__isnull=False)
                            .values_list("event_id", flat=True)))
        if delivered <= tap.seen():
            return True
        time.sleep(0.5)
    return False


def stripe_outage(stack: Stack, down_seconds: float) -> FaultWindow:
    window = FaultWindow("stripe_502", f"local Stripe answers 502 to every API call for {down_seconds:g} s",
                         started=time.time())
    _post(stack.stripe_url + "/_control/fail", {"mode": "502", "seconds": down_seconds})
    time.sleep(down_seconds)
    window.restored = time.time()
    window.recovered = time.time()
    return window


def celery_worker_kill(stack: Stack, busy_timeout: float = 30) -> FaultWindow:
    """SIGKILL the worker's whole process group while it runs a task (the outbox relay runs after
    every commit, so under load it nearly always is), then start a new worker."""
    window = FaultWindow("celery_worker_sigkill", "Celery worker (parent and pool) SIGKILLed mid-task, restarted",
                         started=time.time())
    window.notes["task_active_at_kill"] = _wait_worker_busy(stack, busy_timeout)
    window.notes["outbox_pending_at_kill"] = outbox_pending()
    window.started = time.time()
    stack.stop("worker", sig=signal.SIGKILL)
    time.sleep(2)
    stack.start_worker()
    window.restored = time.time()
    window.recovered = wait_outbox_drained(timeout=180)
    return window


def _wait_worker_busy(stack: Stack, timeout: float) -> bool:
    from vantage.celery import app

    deadline = time.time() + timeout
    while time.time() < deadline:
        active = app.control.inspect(timeout=0.5).active() or {}
        if any(active.values()):
            return True
    return False


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the run's own local server
        return json.loads(response.read())
