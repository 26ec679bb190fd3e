"""`python -m proof [--mode quick|full] [overrides]` (what `make proof` runs).

Order of a run: fresh database and stack → Kafka tap → fuzz → load ramps up to its concurrent
sessions → the four faults one after another, each followed by steady load → load stops and every
unfinished session is read back → backlog drained → accounting → reports/proof-<UTC time>.md + .json.
"""
import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from . import accounting, faults
from .config import LOAD_PRODUCTS, MODES
from .fuzz import fuzz_run
from .kafka_tap import KafkaTap
from .report import report_write
from .supervisor import ROOT, VENV_BIN, Stack


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m proof", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=sorted(MODES), default="quick")
    for name, kind in (("users", int), ("spawn-rate", float), ("hold-seconds", int), ("renew-seconds", int),
                       ("complete-ratio", float), ("settle-seconds", int), ("redis-down-seconds", float),
                       ("kafka-down-seconds", int), ("stripe-down-seconds", int), ("fuzz-max-examples", int),
                       ("fuzz-max-seconds", int), ("web-workers", int)):
        parser.add_argument(f"--{name}", type=kind, default=None)
    parser.add_argument("--skip-fuzz", action="store_true")
    parser.add_argument("--skip-load", action="store_true", help="fuzz only")
    parser.add_argument("--out", default=str(ROOT / "reports"))
    parser.add_argument("--database", default="vantage_proof",
                        help="PostgreSQL database the run drops and recreates (a name of its own per checkout)")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    flags = ("mode", "skip_fuzz", "skip_load", "out", "database")
    overrides = {key: value for key, value in vars(args).items() if key not in flags}
    config = MODES[args.mode].with_overrides(**overrides)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%MZ")
    run_dir = Path(args.out) / f"proof-{stamp}"
    run_dir.mkdir(parents=True, exist_ok=True)
    stack = Stack(config, run_dir, database=args.database)
    results: dict = {"mode": config.mode, "config": config_dict(config), "started_at": stamp, "run_dir": str(run_dir)}
    tap = None
    try:
        log(f"fresh database {stack.database}, starting the stack (logs in {stack.logs})")
        stack.database_fresh()
        stack.start_all()
        os.environ.update(stack.env)
        import django

        django.setup()
        tap = KafkaTap(stack.kafka_bootstrap)
        tap.start()
        merchant_token = stack.merchant_token()
        if not args.skip_fuzz:
            log(f"fuzz: schemathesis, {config.fuzz_max_examples} examples per operation, ≤{config.fuzz_max_seconds}s")
            results["fuzz"] = fuzz_run(stack, merchant_token=merchant_token, max_examples=config.fuzz_max_examples,
                                       max_seconds=config.fuzz_max_seconds, out_dir=run_dir / "fuzz")
            log(f"fuzz: {results['fuzz']['failures']} failures over {results['fuzz']['operations']} operations")
        if not args.skip_load:
            results.update(load_and_faults(stack, tap, config, run_dir))
    finally:
        if tap is not None:
            tap.stop()
        stack.stop_all()
    results["finished_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    markdown, data = report_write(results, Path(args.out) / f"proof-{stamp}")
    log(f"report: {markdown} and {data}")
    return 0 if results.get("verdict", {}).get("pass", True) else 1


def load_and_faults(stack: Stack, tap: KafkaTap, config, run_dir: Path) -> dict:
    load_out, stop_file = run_dir / "load.json", run_dir / "load.stop"
    env = {**stack.env, "PROOF_HOLD_SECONDS": str(config.hold_seconds),
           "PROOF_RENEW_SECONDS": str(config.renew_seconds), "PROOF_COMPLETE_RATIO": str(config.complete_ratio),
           "PROOF_CHECKOUT_RETRY_SECONDS": str(config.stripe_down_seconds + 150),
           "PROOF_PRODUCTS": ",".join(LOAD_PRODUCTS)}
    stack.stock_fill(list(LOAD_PRODUCTS))
    # The accounting is of the load's money: PaymentIntents made before it (the fuzzer's, through the service
    # intents API with whatever metadata.order_id it generated) are not orders and are left out.
    before_load = {intent["id"] for intent in accounting.stripe_intents(stack.stripe_url)}
    ramp = config.users / config.spawn_rate
    upper_bound = ramp + 8 * config.settle_seconds + config.kafka_down_seconds + config.stripe_down_seconds + 900
    log(f"load: {config.users} concurrent guest sessions, ramp {ramp:.0f}s")
    with open(run_dir / "logs" / "load.log", "ab") as load_log:
        load = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "proof.load", "--host", stack.base_url, "--users", str(config.users),
             "--spawn-rate", str(config.spawn_rate), "--duration", str(upper_bound), "--out", str(load_out),
             "--stop-file", str(stop_file)], cwd=ROOT, env=env, stdout=load_log, stderr=subprocess.STDOUT)
        evictions: list[int] = []
        crashes: list[dict] = []
        windows = []
        time.sleep(ramp + config.settle_seconds)
        for inject in (
            lambda: faults.redis_restart(stack, config.redis_down_seconds, evictions),
            lambda: faults.kafka_stop(stack, tap, config.kafka_down_seconds),
            lambda: faults.stripe_outage(stack, config.stripe_down_seconds),
            lambda: faults.celery_worker_kill(stack),
        ):
            window = inject()
            log(f"fault {window.name}: restored after {window.restored - window.started:.1f}s")
            windows.append(window)
            time.sleep(config.settle_seconds)
            crashes.extend({**crash, "during": window.name} for crash in stack.revive_crashed())
        time.sleep(config.settle_seconds)
        stop_file.touch()
        log("load: stopping, reading back every unfinished session")
        load.wait(timeout=900)
    drained = faults.wait_outbox_drained(timeout=180)
    faults._tap_catch_up(tap, timeout=60)
    evictions.append(int(faults.redis_info_stats(stack).get("evicted_keys", 0)))
    import json

    load_result = json.loads(load_out.read_text())
    crashes.extend({**c, "during": w.name} for w in windows for c in w.notes.pop("crash_details", []))
    results = account(stack, tap, config, load_result, windows, evictions, drained, before_load)
    results["crashes"] = {"count": len(crashes), "details": crashes}
    return results


def account(stack: Stack, tap: KafkaTap, config, load: dict, windows, evictions: list[int], drained: float,
            before_load: set[str]) -> dict:
    requests = [tuple(r) for r in load["requests"]]
    client_orders = set(load["orders"])
    intents = [intent for intent in accounting.stripe_intents(stack.stripe_url) if intent["id"] not in before_load]
    charged = {i["metadata"].get("order_id", "") for i in intents if i["status"] == "succeeded"}
    db_status = accounting.db_order_status(client_orders | charged)
    undelivered, delivered = accounting.outbox_event_ids()
    consumed = tap.seen()
    with tap.lock:
        confirmed = {e["order_id"] for e in tap.events.values() if e["event"] == "order_confirmed"}
    paid = {o for o in client_orders if db_status.get(o) in accounting.PAID_STATUSES}
    window_dicts = [{"name": w.name, "description": w.description, "started": w.started, "restored": w.restored,
                     "recovered": w.recovered, "notes": w.notes} for w in windows]
    lost_orders = accounting.orders_lost(client_orders, db_status)
    absent = accounting.paid_but_absent(intents, db_status)
    duplicates = accounting.duplicate_charges(intents)
    events = accounting.events_lost(undelivered=undelivered, delivered=delivered, consumed=consumed,
                                    paid_orders=paid, confirmed_orders=confirmed)
    sessions = accounting.sessions_summary(load["sessions"])
    gave_up = load["checkout_gave_up"]
    return {
        "load": {"users_target": load["users_target"], "seconds": round(load["stopped"] - load["started"]),
                 **accounting.max_held([tuple(h) for h in load["held"]]), "requests": len(requests),
                 "error_rate": accounting.error_rate(requests), "stats": load["stats"], "total": load["total"],
                 "status_counts": accounting.status_counts(requests), "settings": load["settings"]},
        "sessions": {**sessions, "verified_at_end": load["verified"]},
        "orders": {"client_201": len(client_orders), "paid_in_db": len(paid), "lost": len(lost_orders),
                   "lost_examples": dict(list(lost_orders.items())[:10]), "paid_at_stripe_but_absent": len(absent),
                   "absent_examples": dict(list(absent.items())[:10]),
                   "checkouts_given_up_after_retrying": len(gave_up),
                   "given_up_by_status": dict(accounting.status_counts([(0, "x", g["status"]) for g in gave_up])
                                              .get("x", {})),
                   "given_up_by_error": dict(Counter(g.get("error", "") for g in gave_up))},
        "stripe": {"intents": len(intents), "succeeded": sum(1 for i in intents if i["status"] == "succeeded"),
                   "duplicate_charges": sum(n - 1 for n in duplicates.values()),
                   "duplicate_examples": dict(list(duplicates.items())[:10])},
        "events": {**events, "outbox_rows": len(undelivered) + len(delivered), "consumed_distinct": len(consumed),
                   "drained_at_end": bool(drained)},
        "redis": {"evicted_keys": sum(evictions), "samples": evictions},
        "faults": window_dicts,
        "fault_impact": accounting.failures_by_window(requests, window_dicts, tail=config.settle_seconds),
    }


def config_dict(config) -> dict:
    from dataclasses import asdict

    return asdict(config)


def log(message: str) -> None:
    print(f"[proof {datetime.now(UTC).strftime('%H:%M:%S')}] {message}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
