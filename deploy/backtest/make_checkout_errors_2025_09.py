"""Rebuild checkout_errors_2025-09.csv: one week of per-minute guest checkout traffic reconstructing the
situation of CHKOUT-1963 (seed 000), for `python manage.py backtest_alerts`.

What the seed says happened: transient Stripe 502s that the retries absorb paged the on-call about four
times a week under the 1-minute window; one of the pages was a genuine Stripe outage lasting 7 minutes.
The numbers below are a reconstruction (the seed gives no per-minute data): a diurnal traffic curve,
rare isolated 5xx minutes, three short 502 bursts (2, 3 and 2 minutes, the last straddling a minute
boundary at 20:00) and the 7-minute outage, the only minutes marked `incident=1` (from the incident log).
Deterministic: `python deploy/backtest/make_checkout_errors_2025_09.py > deploy/backtest/checkout_errors_2025-09.csv`.
"""
import csv
import math
import random
import sys
from datetime import UTC, datetime, timedelta

START = datetime(2025, 9, 22, tzinfo=UTC)  # Monday; one week
MINUTES = 7 * 24 * 60
# (start, minutes, share of requests failing, real incident)
EVENTS = [
    (datetime(2025, 9, 22, 14, 7, tzinfo=UTC), 2, 0.12, False),   # Stripe LB 502s, retried away
    (datetime(2025, 9, 24, 10, 31, tzinfo=UTC), 3, 0.08, False),  # same, a little longer
    (datetime(2025, 9, 25, 19, 59, tzinfo=UTC), 2, 0.20, False),  # seconds-long, across 20:00
    (datetime(2025, 9, 27, 16, 12, tzinfo=UTC), 7, 0.85, True),   # the genuine Stripe outage
]


def main() -> None:
    rng = random.Random(1963)
    planned = {}
    for start, length, share, incident in EVENTS:
        for offset in range(length):
            planned[start + timedelta(minutes=offset)] = (share, incident)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["minute", "requests", "errors", "incident"])
    previous_bad = False
    for index in range(MINUTES):
        at = START + timedelta(minutes=index)
        hour = at.hour + at.minute / 60
        requests = max(2, round(32 + 26 * math.sin((hour - 9) / 24 * 2 * math.pi) + rng.gauss(0, 4)))
        share, incident = planned.get(at, (0.0, False))
        stray = not previous_bad and rng.random() < 0.004  # a stray 5xx now and then, never two in a row
        errors = max(1, round(requests * share)) if share else int(stray)
        previous_bad = errors / requests > 0.01
        writer.writerow([at.strftime("%Y-%m-%dT%H:%M:%SZ"), requests, errors, int(incident)])


if __name__ == "__main__":
    main()
