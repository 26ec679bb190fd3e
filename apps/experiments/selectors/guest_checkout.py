"""Guest checkout monitoring (the Grafana rollout panels, from our own events): conversion rate
over time and by region, completion time p50 / p90 / p99, and how `guest_checkout_v2` is served to
the visitors.

Guests are the units bucketed by session (`session:<id>`); a unit converts when it reaches
`order_confirmed` after its first `checkout_started`.
"""
import json

from django.db import connection, transaction

from ..evaluation import flag_value
from ..store import config_store
from .common import DASHBOARD_WORK_MEM, DateRange

FLAG_KEY = "guest_checkout_v2"
# The flag's distribution is estimated from at most this many visitors (±0.7 % at 95 % for any share).
FLAG_SAMPLE_LIMIT = 20_000

_SERIES_SQL = """
WITH units AS (
    SELECT unit_id,
           min(occurred_at) FILTER (WHERE event = 'checkout_started') AS started,
           min(occurred_at) FILTER (WHERE event = 'order_confirmed') AS confirmed,
           min(context->>'region') FILTER (WHERE event = 'checkout_started') AS region
    FROM experiments_analyticsevent
    WHERE occurred_at >= %s AND occurred_at < %s AND unit_id LIKE 'session:%%'
      AND event IN ('checkout_started', 'order_confirmed')
    GROUP BY unit_id
)
SELECT GROUPING(bucket), GROUPING(region), bucket, coalesce(region, 'unknown'),
       count(*) AS started,
       count(*) FILTER (WHERE confirmed >= started) AS converted,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM confirmed - started))
         FILTER (WHERE confirmed >= started),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM confirmed - started))
         FILTER (WHERE confirmed >= started),
       percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM confirmed - started))
         FILTER (WHERE confirmed >= started)
FROM (SELECT *, date_trunc(%s, started AT TIME ZONE 'UTC')::date AS bucket FROM units WHERE started IS NOT NULL) u
GROUP BY GROUPING SETS ((bucket), (region), ())
ORDER BY bucket NULLS LAST, 4
"""

_VISITORS_SQL = """
SELECT DISTINCT ON (unit_id) context
FROM experiments_analyticsevent
WHERE occurred_at >= %s AND occurred_at < %s AND event = 'checkout_started' AND unit_id <> ''
ORDER BY unit_id, occurred_at
LIMIT %s
"""


def _seconds(value) -> float | None:
    return round(float(value), 3) if value is not None else None


def guest_checkout_dashboard(*, date_range: DateRange) -> dict:
    window = [date_range.start_at, date_range.end_before]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(DASHBOARD_WORK_MEM)
        cursor.execute(_SERIES_SQL, [*window, date_range.granularity])
        rows = cursor.fetchall()
        cursor.execute(_VISITORS_SQL, [*window, FLAG_SAMPLE_LIMIT])
        # Django's raw cursors hand jsonb back as text.
        contexts = [json.loads(row[0]) if isinstance(row[0], str) else row[0] for row in cursor.fetchall()]
    series, regions, total = [], [], None
    for all_buckets, all_regions, bucket, region, started, converted, p50, p90, p99 in rows:
        point = {"started": started, "converted": converted,
                 "conversion_rate": converted / started if started else None,
                 "completion_seconds": {"p50": _seconds(p50), "p90": _seconds(p90), "p99": _seconds(p99)}}
        if all_buckets and all_regions:
            total = {"bucket": None, **point}
        elif all_regions:
            series.append({"bucket": bucket.isoformat(), **point})
        else:
            regions.append({"region": region, **point})
    snapshot = config_store.snapshot()
    distribution: dict[str, int] = {}
    for context in contexts:
        value = flag_value(snapshot, FLAG_KEY, context)
        distribution[str(value).lower()] = distribution.get(str(value).lower(), 0) + 1
    return {
        "range": date_range.as_dict(),
        "total": total or {"bucket": None, "started": 0, "converted": 0, "conversion_rate": None,
                           "completion_seconds": {"p50": None, "p90": None, "p99": None}},
        "series": series,
        "regions": regions,
        "flag_distribution": {"flag": FLAG_KEY, "visitors": len(contexts),
                              "sampled": len(contexts) == FLAG_SAMPLE_LIMIT, "values": distribution},
    }
