"""The checkout benchmark's `--profile` and `--middleware` modes (see benchmarks/checkout.py).

Requests go through Django's test client in this thread, so the SQL capture and cProfile see the
whole request; the local Stripe server runs on its own threads, its CPU time measured per request.
"""
import cProfile
import io
import os
import pstats
import statistics
import threading
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from apps.core.testing import RedisCounter

ADDRESS = {"line1": "742 Evergreen Terrace", "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"}


class StripeMeter:
    """Counts the local Stripe server's requests and the CPU its threads spend on them."""

    def __init__(self, stripe_server):
        self.calls = 0
        self.cpu_seconds = 0.0
        self._lock = threading.Lock()
        meter, handler = self, stripe_server.RequestHandlerClass

        class MeteredHandler(handler):
            def handle_one_request(self):
                started = time.thread_time()
                super().handle_one_request()
                spent = time.thread_time() - started
                with meter._lock:
                    meter.cpu_seconds += spent
                    meter.calls += 1 if self.raw_requestline else 0

        stripe_server.RequestHandlerClass = MeteredHandler

    def reset(self) -> None:
        self.calls, self.cpu_seconds = 0, 0.0


def _client_ip(index: int) -> str:
    return f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"


def checkout_post(client: Client, cart_id: str, index: int):
    return client.post("/api/v2/checkout/guest", {
        "cart_id": cart_id, "email": "bench@example.com", "shipping_address": ADDRESS,
        "payment_method_id": "pm_card_visa"}, content_type="application/json",
        HTTP_X_FORWARDED_FOR=_client_ip(index))


def session_get(client: Client, session_id: str, token: str, index: int):
    return client.get(f"/api/v2/checkout/guest/session/{session_id}", HTTP_AUTHORIZATION=f"Bearer {token}",
                      HTTP_X_FORWARDED_FOR=_client_ip(index))


COUNTED = 10  # requests whose SQL and Redis commands are captured (the counts are the same for every one)


def postgres_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend so far (from /proc: local servers only)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(label: str, calls, stripe: StripeMeter, expected_status: int) -> dict:
    """Run the calls one at a time. The first COUNTED under query and Redis capture give the counts per
    call; the rest, uncaptured (capturing logs every statement, which costs as much as a fifth of a
    checkout), give wall time and CPU per call: this process', the local Stripe server's share of it,
    and PostgreSQL's for this connection."""
    queries, redis_trips, redis_commands = [], [], []
    counted = min(COUNTED, len(calls) // 2)
    for call in calls[:counted]:
        with CaptureQueriesContext(connection) as captured, RedisCounter() as redis:
            response = call()
        assert response.status_code == expected_status, (label, response.status_code, response.content[:300])
        queries.append(len(captured.captured_queries))
        redis_trips.append(redis.round_trips)
        redis_commands.append(len(redis.commands))
    timed_calls = calls[counted:]
    stripe.reset()
    postgres_started = postgres_cpu_seconds()
    wall_started, cpu_started = time.perf_counter(), time.process_time()
    for call in timed_calls:
        response = call()
        assert response.status_code == expected_status, (label, response.status_code, response.content[:300])
    wall, cpu = time.perf_counter() - wall_started, time.process_time() - cpu_started
    postgres_ended = postgres_cpu_seconds()
    count = len(timed_calls)
    postgres_ms = (postgres_ended - postgres_started) / count * 1000 if postgres_started is not None else None
    return {"label": label, "n": count, "sql": statistics.mean(queries), "redis_trips": statistics.mean(redis_trips),
            "redis_commands": statistics.mean(redis_commands), "stripe_calls": stripe.calls / count,
            "wall_ms": wall / count * 1000, "cpu_ms": cpu / count * 1000, "postgres_ms": postgres_ms,
            "stripe_cpu_share": stripe.cpu_seconds / cpu if cpu else 0.0, "last_redis": redis.commands,
            "last_sql": [query["sql"][:110] for query in captured.captured_queries]}


def profile(*, carts: list[str], stripe_server, verbose: bool) -> None:
    """Counts per checkout and per session read, then cProfile over the second half of the carts."""
    stripe = StripeMeter(stripe_server)
    client = Client(HTTP_X_FORWARDED_PROTO="https")  # as behind the ingress (production redirects plain HTTP)
    half = len(carts) // 2
    warm = checkout_post(client, carts.pop(), 0)
    assert warm.status_code == 201, warm.content
    session_id, token = warm.json()["session_id"], warm["X-Guest-Session-Token"]
    checkouts = measure("guest checkout POST", [
        (lambda cart_id=cart_id, index=index: checkout_post(client, cart_id, index))
        for index, cart_id in enumerate(carts[:half], start=1)], stripe, 201)
    reads = measure("guest session GET", [
        (lambda index=index: session_get(client, session_id, token, index)) for index in range(half)], stripe, 200)
    bare = measure("bare DRF GET", [
        (lambda index=index: client.get("/api/bench/bare", HTTP_X_FORWARDED_FOR=_client_ip(index)))
        for index in range(half)], stripe, 200)
    print(f"per request, one at a time in one process (n={half}: counts over the first "
          f"{min(COUNTED, half // 2)}, times over the rest); Redis round trips count a pipeline once")
    print(f"  {'request':<20} {'SQL':>5} {'Redis trips':>11} {'Redis cmds':>10} {'Stripe':>6} "
          f"{'wall ms':>8} {'CPU ms':>7} {'Stripe CPU':>10} {'PostgreSQL CPU ms':>17}")
    for row in (checkouts, reads, bare):
        postgres = f"{row['postgres_ms']:>17.2f}" if row["postgres_ms"] is not None else f"{'n/a':>17}"
        print(f"  {row['label']:<20} {row['sql']:>5.1f} {row['redis_trips']:>11.1f} {row['redis_commands']:>10.1f} "
              f"{row['stripe_calls']:>6.1f} {row['wall_ms']:>8.2f} {row['cpu_ms']:>7.2f} "
              f"{row['stripe_cpu_share']:>9.0%} {postgres}")
    if verbose:
        for row in (checkouts, reads):
            print(f"\n{row['label']}: the last request's SQL")
            print("\n".join(f"  {sql}" for sql in row["last_sql"]))
            print(f"{row['label']}: the last request's Redis commands: {' '.join(row['last_redis'])}")

    profiler = cProfile.Profile()
    rest = carts[half:]
    profiler.enable()
    for index, cart_id in enumerate(rest, start=half + 1):
        checkout_post(client, cart_id, index)
    profiler.disable()
    for order, count in (("cumulative", 45), ("tottime", 30)):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(count)
        print(f"\ncProfile over {len(rest)} checkouts ({order}; this thread, Stripe's server not included)")
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


def middleware_costs(*, requests: int = 400) -> None:
    """What each middleware adds to a bare GET: the stack up to it minus the stack before it (stacks
    grow in settings order, so a middleware always has those it depends on), best of three each."""
    def per_request(middleware: list[str]) -> float:
        with override_settings(MIDDLEWARE=middleware):
            client = Client(HTTP_X_FORWARDED_PROTO="https")
            client.get("/api/bench/bare")
            started = time.process_time()
            for index in range(requests):
                client.get("/api/bench/bare", HTTP_X_FORWARDED_FOR=_client_ip(index))
            return (time.process_time() - started) / requests * 1_000_000

    full_stack = list(settings.MIDDLEWARE)
    costs = [min(per_request(full_stack[:count]) for _ in range(3)) for count in range(len(full_stack) + 1)]
    print(f"\nbare DRF GET (test client): {costs[0]:.0f} µs CPU per request without middleware, "
          f"{costs[-1]:.0f} µs with all; each middleware adds:")
    for index, name in enumerate(full_stack, start=1):
        print(f"  {costs[index] - costs[index - 1]:>7.0f} µs  {name}")
