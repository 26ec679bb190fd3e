"""The load process: `python -m proof.load --host URL --users N --spawn-rate R --duration S --out FILE`.

Runs `locustfile.GuestShopper` headless through locust's library API (gevent, so it lives in its own
process, apart from the orchestrator), records every request as (time, endpoint, status), and after
the users stop reads back every session that was not completed: a 404 for a session whose TTL has not
run out since its last successful activity is a lost session. Writes one JSON file for accounting.
"""
import argparse
import json
import os
import time

import gevent
from gevent.pool import Pool
from locust.env import Environment

from . import locustfile
from .locustfile import LEDGER, SESSION_TTL_SECONDS, GuestShopper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--spawn-rate", type=float, required=True)
    parser.add_argument("--duration", type=float, required=True, help="seconds from the first user to stop")
    parser.add_argument("--out", required=True)
    parser.add_argument("--stop-file", default="", help="stop early once this file exists")
    args = parser.parse_args()

    requests: list[tuple[float, str, int]] = []
    environment = Environment(user_classes=[GuestShopper], host=args.host)

    @environment.events.request.add_listener
    def record(request_type, name, response_time, response_length, response=None, exception=None, **_kw):
        requests.append((round(time.time(), 3), name, getattr(response, "status_code", 0) or 0))

    runner = environment.create_local_runner()
    started = time.time()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    held = []
    while time.time() - started < args.duration and not (args.stop_file and os.path.exists(args.stop_file)):
        gevent.sleep(5)
        open_now = sum(1 for s in LEDGER["sessions"].values() if s["state"] == "open")
        held.append((round(time.time(), 1), runner.user_count, open_now))
    runner.stop()
    runner.quit()
    stopped = time.time()
    verified = verify_sessions(environment)
    stats = {name: entry_summary(entry) for (name, _method), entry in environment.stats.entries.items()}
    result = {
        "started": started, "stopped": stopped, "users_target": args.users, "held": held,
        "requests": requests, "stats": stats, "total": entry_summary(environment.stats.total),
        "sessions": list(LEDGER["sessions"].values()), "orders": LEDGER["orders"],
        "checkout_gave_up": LEDGER["checkout_gave_up"], "verified": verified,
        "settings": {"hold_seconds": locustfile.HOLD_SECONDS, "renew_seconds": locustfile.RENEW_SECONDS,
                     "complete_ratio": locustfile.COMPLETE_RATIO},
    }
    with open(args.out, "w") as out:
        json.dump(result, out)


def entry_summary(entry) -> dict:
    return {"requests": entry.num_requests, "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5), "p99_ms": entry.get_response_time_percentile(0.99),
            "max_ms": entry.max_response_time}


def verify_sessions(environment) -> dict:
    """Read back every session not completed: readable (200) or legitimately expired by its TTL."""
    from locust.clients import HttpSession

    counts = {"readable": 0, "expired_by_ttl": 0, "lost": 0, "errors": 0}

    def check(session: dict) -> None:
        client = HttpSession(base_url=environment.host, request_event=environment.events.request, user=None)
        response = client.get(f"/api/v2/checkout/guest/session/{session['session_id']}", name="verify session",
                              headers={"Authorization": f"Bearer {session['token']}",
                                       "X-Forwarded-For": session["ip"]})
        if response.status_code == 200:
            counts["readable"] += 1
        elif response.status_code == 404 and time.time() - session["last_ok"] >= SESSION_TTL_SECONDS:
            counts["expired_by_ttl"] += 1
        elif response.status_code == 404:
            counts["lost"] += 1
            session["lost"] = True
        else:
            counts["errors"] += 1

    pool = Pool(50)
    for session in LEDGER["sessions"].values():
        if session["state"] != "completed":
            pool.spawn(check, session)
    pool.join(timeout=300)
    return counts


if __name__ == "__main__":
    main()
