"""Flag evaluations per second: our evaluator against the GrowthBook Python SDK, same rules, same run.

Two flags, expressed in both systems:
  canary — served only in us-east-1, to 25 % of units (`region = 'us-east-1' AND percentage < 25`;
           GrowthBook: condition {"region": "us-east-1"}, coverage 0.25, force true);
  ramp   — 50 % of all units (rollout_percentage 50; GrowthBook: coverage 0.5, force true).

Ours is measured through the public API (`flags.is_enabled`, which includes the cache freshness
check), with the flags created through the services inside a transaction that is rolled back.
GrowthBook is measured two ways: one instance whose attributes are swapped per unit, and a new
instance per unit (what a per-request server integration does).

Fair by construction: both sides get the same units with the same attributes, built before any
timing (no per-call formatting on either side), the same number of calls, a warm-up, and the three
timed runs of each side interleaved so a change in machine load hits every side alike. Each side
must answer the same counts on every run (both are deterministic). The freshness check (one clock
read per call; one Redis GET per FLAGS_CACHE_CHECK_MS) is also timed on its own.

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

from django.conf import settings  # noqa: E402
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
RUNS = 3
OURS, GB_SHARED, GB_PER_UNIT = ("vantage flags.is_enabled", "growthbook (one instance, set_attributes)",
                                "growthbook (new instance per unit)")


class Rollback(Exception):
    pass


def contexts(units: int) -> list[tuple[dict, dict]]:
    """(our context, GrowthBook attributes) per unit: the same unit id and region on both sides."""
    units_ = []
    for n in range(units):
        region = "us-east-1" if n % 2 else "eu-west-1"
        units_.append(({"user_id": str(n), "region": region}, {"id": f"user:{n}", "region": region}))
    return units_


def ours(units):
    ctxs = [ctx for ctx, _ in units]
    is_enabled = flags.is_enabled

    def run():
        canary = ramp = 0
        for ctx in ctxs:
            canary += is_enabled("bench_canary", ctx)
            ramp += is_enabled("bench_ramp", ctx)
        return canary, ramp
    return run


def growthbook_shared(units):
    gb = GrowthBook(features=GB_FEATURES)
    attributes = [attrs for _, attrs in units]

    def run():
        canary = ramp = 0
        for attrs in attributes:
            gb.set_attributes(attrs)
            canary += gb.is_on("canary")
            ramp += gb.is_on("ramp")
        return canary, ramp
    return run


def growthbook_per_unit(units):
    attributes = [attrs for _, attrs in units]

    def run():
        canary = ramp = 0
        for attrs in attributes:
            gb = GrowthBook(features=GB_FEATURES, attributes=attrs)
            canary += gb.is_on("canary")
            ramp += gb.is_on("ramp")
        return canary, ramp
    return run


def best_rates(sides: dict, evaluations: int) -> dict[str, float]:
    """Warm every side, then RUNS interleaved timed runs; evaluations/s of each side's best run."""
    results = {label: run() for label, run in sides.items()}  # warm-up (and the expected answer)
    best = dict.fromkeys(sides, float("inf"))
    for _ in range(RUNS):
        for label, run in sides.items():
            started = time.perf_counter()
            result = run()
            best[label] = min(best[label], time.perf_counter() - started)
            if result != results[label]:
                raise SystemExit(f"{label} is not deterministic: {result} then {results[label]}")
    for label in sides:
        canary, ramp = results[label]
        print(f"{label:<44} {evaluations / best[label]:>12,.0f} evaluations/s   canary on {canary:>6}  "
              f"ramp on {ramp:>6}")
    return {label: evaluations / best[label] for label in sides}


def freshness_check_cost(calls: int) -> tuple[float, float]:
    """(ns per call while the snapshot is fresh, µs per check that reads the Redis version)."""
    snapshot = config_store.snapshot
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        for _ in range(calls):
            snapshot()
        best = min(best, time.perf_counter() - started)
    checks = 200
    started = time.perf_counter()
    for _ in range(checks):
        config_store.recheck()
        snapshot()
    return best / calls * 1e9, (time.perf_counter() - started) / checks * 1e6


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    units = contexts(count)
    evaluations = 2 * count  # two flags per unit
    print(f"{count:,} units × 2 flags; best of {RUNS} interleaved runs; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs\n")
    sides = {GB_SHARED: growthbook_shared(units), GB_PER_UNIT: growthbook_per_unit(units)}
    try:
        with transaction.atomic():
            flag_create(key="bench_canary", actor="benchmark", enabled=True,
                        rules=[{"when": "region = 'us-east-1' AND percentage < 25"}])
            flag_create(key="bench_ramp", actor="benchmark", enabled=True, rollout_percentage=50)
            rates = best_rates({OURS: ours(units), **sides}, evaluations)
            fresh_ns, check_us = freshness_check_cost(evaluations)
            raise Rollback
    except Rollback:
        config_store.invalidate()
    per_evaluation_ns = 1e9 / rates[OURS]
    print(f"\nfreshness check while fresh: {fresh_ns:,.0f} ns per call ({fresh_ns / per_evaluation_ns:.0%} of one "
          f"is_enabled); a check that reads Redis: {check_us:,.0f} µs, at most once per "
          f"FLAGS_CACHE_CHECK_MS ({settings.FLAGS_CACHE_CHECK_MS} ms) per process")
    print(f"ratio vantage / growthbook (shared instance): {rates[OURS] / rates[GB_SHARED]:.2f}×")
    print(f"ratio vantage / growthbook (instance per unit): {rates[OURS] / rates[GB_PER_UNIT]:.2f}×")


if __name__ == "__main__":
    main()
