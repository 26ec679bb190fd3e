"""Demo analytics: 60 days of checkout journeys across payment methods, and a 1/50-scale replay of
EXP-2025-163 (per-variant completion rates from the seed), so every /ops/ page has something to show.

Rows are inserted directly (bulk) and marked `context.demo = true`; they are not published to
Kafka. Idempotent: nothing is added when demo rows already exist.
"""
import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from .models import AnalyticsEvent

FUNNEL = ("checkout_started", "shipping_completed", "payment_completed", "order_confirmed")
METHODS = (("card", 0.55, 0.012), ("apple_pay", 0.25, 0.006), ("paypal", 0.20, 0.02))
EXPERIMENT_ID = "EXP-2025-163"
# Seed Document 3: sessions and completion rate per variant; scaled down 50×.
EXPERIMENT_ARMS = (("control", 142_380, 0.673), ("variant_a", 71_204, 0.658), ("variant_b", 71_891, 0.701))
SCALE = 50


def _journey(rng: random.Random, rows: list, unit: dict, start, steps: int, extra: dict | None = None,
             experiments: dict | None = None) -> str:
    unit_id = f"user:{unit['user_id']}" if "user_id" in unit else f"session:{unit['session_id']}"
    context = {**unit, "demo": True}
    at = start
    for event in FUNNEL[:steps]:
        rows.append(AnalyticsEvent(
            occurred_at=at, event=event, unit_id=unit_id, user_id=str(unit.get("user_id", "")),
            session_id=str(unit.get("session_id", "")), properties=dict(extra or {}) if event != FUNNEL[0] else {},
            context=context, experiments=experiments or {}))
        at += timedelta(seconds=rng.randint(30, 240))
    return unit_id


def _payment_journeys(rng: random.Random, rows: list, now) -> None:
    for n in range(4000):
        start = now - timedelta(days=rng.randint(0, 59), minutes=rng.randint(0, 1439))
        method = rng.choices([m[0] for m in METHODS], weights=[m[1] for m in METHODS])[0]
        error_rate = next(m[2] for m in METHODS if m[0] == method)
        unit = {"session_id": f"demo-{n}"} if rng.random() < 0.6 else {"user_id": f"demo-{n}"}
        unit["device"] = rng.choice(["mobile", "desktop"])
        steps = rng.choices([1, 2, 3, 4], weights=[15, 12, 5, 68])[0]
        amount = str(Decimal(rng.randint(999, 25000)) / 100)
        unit_id = _journey(rng, rows, unit, start, steps, {"payment_method": method, "amount": amount})
        if steps >= 3 and rng.random() < error_rate * 3:
            rows.append(AnalyticsEvent(occurred_at=start + timedelta(seconds=5), event="payment_failed",
                                       unit_id=unit_id, properties={"payment_method": method},
                                       context={"demo": True}))


def _experiment_journeys(rng: random.Random, rows: list, now) -> None:
    for variant, sessions, rate in EXPERIMENT_ARMS:
        for n in range(sessions // SCALE):
            unit = {"session_id": f"exp163-{variant}-{n}", "device": rng.choice(["mobile", "desktop"])}
            start = now - timedelta(days=rng.randint(40, 58), minutes=rng.randint(0, 1439))
            steps = 4 if rng.random() < rate else rng.choice([2, 3])
            _journey(rng, rows, unit, start, steps, experiments={EXPERIMENT_ID: variant})


def seed(stdout) -> None:
    if AnalyticsEvent.objects.filter(context__demo=True).exists():
        stdout.write("experiments: demo analytics already present")
        return
    rng = random.Random(163)
    now = timezone.now()
    rows: list[AnalyticsEvent] = []
    _payment_journeys(rng, rows, now)
    _experiment_journeys(rng, rows, now)
    AnalyticsEvent.objects.bulk_create(rows, batch_size=5000)
    stdout.write(f"experiments: {len(rows)} demo analytics events")
