"""Flag evaluations per second: our evaluator against the GrowthBook Python SDK, same rules, same run.

Two flags, expressed in both systems:
  canary — served only in us-east-1, to 25 % of units (`region = 'us-east-1' AND percentage < 25`;
           GrowthBook: condition {"region": "us-east-1"}, coverage 0.25, force true);
  ramp   — 50 % of all units (rollout_percentage 50; GrowthBook: coverage 0.5, force true).

Ours is measured through the public API (`flags.is_enabled`, which includes the cache freshness
check), with the flags created through the services inside a transaction that is rolled back.
GrowthBook is measured two ways: one instance whose attributes are swapped per unit, and a new
instance per unit (what a per-request server integration does).

    DATABASE_URL=... REDIS_URL=... .venv/bin/python benchmarks/flags.py [units]
"""
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vantage.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from growthbook import GrowthBook  # noqa: E402

from apps.experiments.public import flags  # noqa: E402
from apps.experiments.services.flags import flag_create  # noqa: E402
from apps.experiments.store import config_store  # noqa: E402

GB_FEATURES = {
    "canary": {"defaultValue": False, "rules": [
        {"condition": {"region": "us-east-1"}, "coverage": 0.25, "force": True, "hashAttribute": "id"}]},
    "ramp": {"defaultValue": False, "rules": [{"coverage": 0.5, "force": True, "hashAttribute": "id"}]},
}


class Rollback(Exception):
    pass


def contexts(units: int) -> list[dict]:
    return [{"user_id": str(n), "region": "us-east-1" if n % 2 else "eu-west-1"} for n in range(units)]


def measure(label: str, run, units: int) -> float:
    run(min(units, 2000))  # warm-up
    best = float("inf")
    result = None
    for _ in range(3):
        started = time.perf_counter()
        result = run(units)
        best = min(best, time.perf_counter() - started)
    rate = 2 * units / best  # two flags per unit
    print(f"{label:<44} {rate:>12,.0f} evaluations/s   canary on {result[0]:>6}  ramp on {result[1]:>6}")
    return rate


def ours(ctxs):
    def run(n):
        canary = ramp = 0
        for ctx in ctxs[:n]:
            canary += flags.is_enabled("bench_canary", ctx)
            ramp += flags.is_enabled("bench_ramp", ctx)
        return canary, ramp
    return run


def growthbook_shared(ctxs):
    gb = GrowthBook(features=GB_FEATURES)

    def run(n):
        canary = ramp = 0
        for ctx in ctxs[:n]:
            gb.set_attributes({"id": f"user:{ctx['user_id']}", "region": ctx["region"]})
            canary += gb.is_on("canary")
            ramp += gb.is_on("ramp")
        return canary, ramp
    return run


def growthbook_per_unit(ctxs):
    def run(n):
        canary = ramp = 0
        for ctx in ctxs[:n]:
            gb = GrowthBook(features=GB_FEATURES, attributes={"id": f"user:{ctx['user_id']}", "region": ctx["region"]})
            canary += gb.is_on("canary")
            ramp += gb.is_on("ramp")
        return canary, ramp
    return run


def main() -> None:
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    ctxs = contexts(units)
    print(f"{units:,} units × 2 flags; best of 3 runs; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs\n")
    try:
        with transaction.atomic():
            flag_create(key="bench_canary", actor="benchmark", enabled=True,
                        rules=[{"when": "region = 'us-east-1' AND percentage < 25"}])
            flag_create(key="bench_ramp", actor="benchmark", enabled=True, rollout_percentage=50)
            rate_ours = measure("vantage flags.is_enabled", ours(ctxs), units)
            raise Rollback
    except Rollback:
        config_store.invalidate()
    rate_shared = measure("growthbook (one instance, set_attributes)", growthbook_shared(ctxs), units)
    rate_new = measure("growthbook (new instance per unit)", growthbook_per_unit(ctxs), units)
    print(f"\nratio vantage / growthbook (shared instance): {rate_ours / rate_shared:.2f}×")
    print(f"ratio vantage / growthbook (instance per unit): {rate_ours / rate_new:.2f}×")


if __name__ == "__main__":
    main()
