"""The proof's numbers. Pure functions over plain data (unit-tested in proof/tests), and the few
collectors that read that data from the run's database, the local Stripe server and the Kafka tap.

Definitions (the report repeats them):
- lost order: the client saw 201 for it, but the database has no such order or it is not paid;
- paid but absent: a succeeded PaymentIntent whose `metadata.order_id` is missing or unpaid in the database;
- duplicate charge: more than one succeeded PaymentIntent for one order (each extra one counts);
- lost event: an outbox row still undelivered after recovery, a delivered row the Kafka consumer never
  received, or a paid order of the load without its `order_confirmed` event on `analytics.events`;
- lost session: a session read as 404 although less than its TTL had passed since its last good activity.
"""
import json
import urllib.request
from collections import Counter, defaultdict

PAID_STATUSES = {"paid", "refunded", "partially_refunded"}


def is_failure(status: int) -> bool:
    return status == 0 or status >= 400


def duplicate_charges(intents: list[dict]) -> dict[str, int]:
    """order_id → number of succeeded intents, for orders charged more than once."""
    succeeded = Counter(i.get("metadata", {}).get("order_id", "") for i in intents if i.get("status") == "succeeded")
    return {order_id: n for order_id, n in succeeded.items() if order_id and n > 1}


def orders_lost(client_orders: set[str], db_status: dict[str, str]) -> dict[str, str]:
    """Orders the client saw 201 for → what the database says ("missing" or its non-paid status)."""
    return {order_id: db_status.get(order_id, "missing") for order_id in sorted(client_orders)
            if db_status.get(order_id) not in PAID_STATUSES}


def paid_but_absent(intents: list[dict], db_status: dict[str, str]) -> dict[str, str]:
    """Orders Stripe took money for that the database lacks or has not marked paid."""
    charged = {i["metadata"].get("order_id", "") for i in intents
               if i.get("status") == "succeeded" and i.get("metadata", {}).get("order_id")}
    return {order_id: db_status.get(order_id, "missing") for order_id in sorted(charged)
            if db_status.get(order_id) not in PAID_STATUSES}


def events_lost(*, undelivered: list[str], delivered: list[str], consumed: set[str],
                paid_orders: set[str], confirmed_orders: set[str]) -> dict:
    never_consumed = sorted(set(delivered) - consumed)
    orders_without_event = sorted(paid_orders - confirmed_orders)
    return {"undelivered_outbox_rows": len(undelivered), "delivered_not_consumed": len(never_consumed),
            "paid_orders_without_order_confirmed": len(orders_without_event),
            "total": len(undelivered) + len(never_consumed) + len(orders_without_event),
            "examples": {"undelivered": undelivered[:5], "not_consumed": never_consumed[:5],
                         "orders_without_event": orders_without_event[:5]}}


def sessions_summary(sessions: list[dict]) -> dict:
    states = Counter(s["state"] for s in sessions)
    return {"created": len(sessions), "lost": sum(1 for s in sessions if s.get("lost")), **dict(states)}


def max_held(held: list[tuple[float, int, int]]) -> dict:
    """held = [(time, users running, sessions open)] samples from the load process."""
    if not held:
        return {"max_open_sessions": 0, "max_users": 0}
    return {"max_open_sessions": max(h[2] for h in held), "max_users": max(h[1] for h in held),
            "median_open_sessions": sorted(h[2] for h in held)[len(held) // 2]}


def failures_by_window(requests: list[tuple[float, str, int]], windows: list[dict], tail: float) -> dict[str, dict]:
    """For each fault window {"name", "started", "restored"}: failed requests by status and endpoint from
    its start to `tail` seconds after restore (or to the next fault's start, if sooner), and the client's
    time to recover: from restore to the last failed request of that span (0 when none came after)."""
    ordered = sorted(windows, key=lambda w: w["started"])
    result = {}
    for index, window in enumerate(ordered):
        end = window["restored"] + tail
        if index + 1 < len(ordered):
            end = min(end, ordered[index + 1]["started"])
        span = [r for r in requests if window["started"] <= r[0] < end]
        failed = [r for r in span if is_failure(r[2])]
        by_status = Counter(str(r[2]) for r in failed)
        by_endpoint: dict[str, Counter] = defaultdict(Counter)
        for _at, name, status in failed:
            by_endpoint[name][str(status)] += 1
        last_failure = max((r[0] for r in failed), default=0.0)
        result[window["name"]] = {
            "requests": len(span), "failed": len(failed), "by_status": dict(sorted(by_status.items())),
            "by_endpoint": {name: dict(c) for name, c in sorted(by_endpoint.items())},
            "client_recovery_seconds": round(max(0.0, last_failure - window["restored"]), 1),
        }
    return result


def status_counts(requests: list[tuple[float, str, int]]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter] = defaultdict(Counter)
    for _at, name, status in requests:
        table[name][str(status)] += 1
    return {name: dict(sorted(c.items())) for name, c in sorted(table.items())}


def error_rate(requests: list[tuple[float, str, int]]) -> float:
    return round(sum(1 for r in requests if is_failure(r[2])) / len(requests), 5) if requests else 0.0


# --- collectors (the run's own services) ------------------------------------------------------------
def stripe_intents(stripe_url: str) -> list[dict]:
    with urllib.request.urlopen(stripe_url + "/_control/intents", timeout=30) as response:  # noqa: S310
        return json.loads(response.read())["intents"]


def db_order_status(order_ids: set[str]) -> dict[str, str]:
    """Read-only look at the checkout app's orders (the harness is outside the apps' boundaries)."""
    from apps.checkout.models import Order

    ids = sorted(order_ids)
    found = {}
    for start in range(0, len(ids), 1000):
        found.update(Order.objects.filter(id__in=ids[start:start + 1000]).values_list("id", "status"))
    return found


def outbox_event_ids() -> tuple[list[str], list[str]]:
    """(undelivered, delivered) outbox event ids."""
    from apps.events.models import OutboxEvent

    rows = OutboxEvent.objects.values_list("event_id", "delivered_at")
    undelivered = [str(eid) for eid, at in rows if at is None]
    delivered = [str(eid) for eid, at in rows if at is not None]
    return undelivered, delivered
