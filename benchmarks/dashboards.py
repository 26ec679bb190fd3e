"""Dashboards over 1,000,000 analytics events: how long each /ops/ page and its JSON query take.

Inserts ~1,000,000 events (333,334 checkout journeys of 2–4 steps over 30 days, tagged with a
benchmark experiment, 60 % guests, three payment methods) with one INSERT … SELECT inside a
transaction, refreshes the planner statistics, times each selector and each server-rendered
page (best of 3), and rolls everything back.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python benchmarks/dashboards.py
"""
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vantage.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from apps.experiments.selectors.common import date_range_from  # noqa: E402
from apps.experiments.selectors.experiments import experiment_results  # noqa: E402
from apps.experiments.selectors.guest_checkout import guest_checkout_dashboard  # noqa: E402
from apps.experiments.selectors.payments import payment_method_dashboard  # noqa: E402
from apps.experiments.services.experiments import experiment_create, experiment_start  # noqa: E402

UNITS = 333_334
RANGE = {"start": "2020-01-01", "end": "2020-01-31", "granularity": "day"}

INSERT = """
INSERT INTO experiments_analyticsevent (occurred_at, event, unit_id, user_id, session_id, properties, context,
                                        experiments)
SELECT timestamptz '2020-01-01 00:00:00+00' + (u %% 30) * interval '1 day' + (u %% 80000) * interval '1 second'
         + step * interval '95 seconds',
       (ARRAY['checkout_started', 'shipping_completed', 'payment_completed', 'order_confirmed'])[step + 1],
       CASE WHEN u %% 5 < 3 THEN 'session:b' || u ELSE 'user:b' || u END, '', '',
       CASE WHEN step >= 2 THEN jsonb_build_object('payment_method', (ARRAY['card', 'apple_pay', 'paypal'])[u %% 3 + 1],
                                                   'amount', ((u %% 20000) / 100.0 + 5)::text)
            ELSE '{}'::jsonb END,
       jsonb_build_object('device', CASE WHEN u %% 2 = 0 THEN 'mobile' ELSE 'desktop' END),
       jsonb_build_object('EXP-BENCH-1', (ARRAY['control', 'control', 'variant_a', 'variant_b'])[u %% 4 + 1])
FROM generate_series(1, %s) AS u, generate_series(0, 3) AS step
WHERE step < 2 + (u * 7 %% 3)
"""


class Rollback(Exception):
    pass


def timed(label: str, run) -> None:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    print(f"{label:<52} {best * 1000:>9,.0f} ms")


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (figures are wall-clock on this machine)")
    try:
        with transaction.atomic():
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(INSERT, [UNITS])
                inserted = cursor.rowcount
                cursor.execute("ANALYZE experiments_analyticsevent")
            print(f"inserted {inserted:,} events in {time.perf_counter() - started:.1f} s\n")
            experiment = experiment_create(
                experiment_id="EXP-BENCH-1", key="bench_progress", name="benchmark",
                variants=[{"key": "control", "weight": 50}, {"key": "variant_a", "weight": 25},
                          {"key": "variant_b", "weight": 25}])
            experiment_start(experiment=experiment)
            date_range = date_range_from(RANGE)
            timed("payment methods selector (/api/v1/analytics/…)", lambda: payment_method_dashboard(
                date_range=date_range))
            timed("guest checkout selector", lambda: guest_checkout_dashboard(date_range=date_range))
            timed("experiment results selector", lambda: experiment_results(experiment=experiment))
            client = Client()
            client.force_login(get_user_model().objects.create_user(username="bench-ops", is_staff=True))
            query = "start=2020-01-01&end=2020-01-31"
            for path in (f"/ops/payment-methods/?{query}", f"/ops/payment-methods/?{query}&granularity=month",
                         f"/ops/payment-methods/?{query}&format=csv", f"/ops/guest-checkout/?{query}",
                         "/ops/experiments/EXP-BENCH-1/"):
                timed(f"GET {path}", lambda path=path: client.get(path, HTTP_HOST="localhost").content)
            raise Rollback
    except Rollback:
        print("\nrolled back: no benchmark rows remain")


if __name__ == "__main__":
    main()
