"""Payment-method dashboard: volume, cart → confirmation funnel, average order
value and error rate per method, over a date range bucketed by day, week or month.

Payment failures are broken down by `properties.error_code` (Grafana's gateway-error panel).

Events read: the checkout funnel (`checkout_started`, `shipping_completed`, `payment_completed`,
`order_confirmed`) and `payment_failed`; payment events carry `properties.payment_method`
(`card`, `apple_pay`, `paypal`), orders carry `properties.amount`. A unit is attributed to the method
of its confirmed order, else of its payment events (the alphabetically last when it tried several:
no per-unit sort, so a million events stay one hash aggregate). The `guest` row is every guest
unit (bucketed by session, not by user) whatever it paid with; `all` is every unit.
"""
from django.db import connection, transaction

from apps.core.money import to_money

from .common import DASHBOARD_WORK_MEM, DateRange

FUNNEL = ("checkout_started", "shipping_completed", "payment_completed", "order_confirmed")
METHODS = ("card", "apple_pay", "paypal")
ROWS = (*METHODS, "guest", "all")

# Both queries group by (method, guest) only; the `guest` and `all` rows are sums of those groups,
# added up in Python, so no event or unit is scanned twice.
_UNITS_SQL = """
WITH units AS (
    SELECT coalesce(max(properties->>'payment_method') FILTER (WHERE event = 'order_confirmed'),
                    max(properties->>'payment_method')) AS method,
           unit_id LIKE 'session:%%' AS guest,
           bool_or(event = 'checkout_started') AS s0, bool_or(event = 'shipping_completed') AS s1,
           bool_or(event = 'payment_completed') AS s2, bool_or(event = 'order_confirmed') AS s3
    FROM experiments_analyticsevent
    WHERE occurred_at >= %s AND occurred_at < %s AND unit_id <> ''
      AND event IN ('checkout_started', 'shipping_completed', 'payment_completed', 'order_confirmed',
                    'payment_failed')
    GROUP BY unit_id
)
SELECT coalesce(method, 'unattributed'), guest, count(*) FILTER (WHERE s0), count(*) FILTER (WHERE s1),
       count(*) FILTER (WHERE s2), count(*) FILTER (WHERE s3)
FROM units
GROUP BY 1, 2
"""

_METRICS_SQL = """
SELECT coalesce(method, 'unattributed'), guest,
       count(*) FILTER (WHERE event = 'order_confirmed') AS orders,
       count(amount) FILTER (WHERE event = 'order_confirmed') AS priced_orders,
       coalesce(sum(amount) FILTER (WHERE event = 'order_confirmed'), 0) AS revenue,
       count(*) FILTER (WHERE event = 'payment_completed') AS payments_ok,
       count(*) FILTER (WHERE event = 'payment_failed') AS payments_failed
FROM (
    SELECT event, unit_id LIKE 'session:%%' AS guest, properties->>'payment_method' AS method,
           CASE WHEN properties->>'amount' ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (properties->>'amount')::numeric END
             AS amount
    FROM experiments_analyticsevent
    WHERE occurred_at >= %s AND occurred_at < %s
      AND event IN ('order_confirmed', 'payment_completed', 'payment_failed')
) e
GROUP BY 1, 2
"""

_ERROR_CODES_SQL = """
SELECT coalesce(properties->>'payment_method', 'unattributed'), coalesce(properties->>'error_code', 'unknown'),
       count(*)
FROM experiments_analyticsevent
WHERE occurred_at >= %s AND occurred_at < %s AND event = 'payment_failed'
GROUP BY 1, 2
ORDER BY 1, 3 DESC
"""

_SERIES_SQL = """
SELECT date_trunc(%s, occurred_at AT TIME ZONE 'UTC')::date AS bucket,
       coalesce(properties->>'payment_method', 'unattributed') AS method,
       count(*) AS orders,
       coalesce(sum(CASE WHEN properties->>'amount' ~ '^-?[0-9]+(\\.[0-9]+)?$'
                         THEN (properties->>'amount')::numeric END), 0) AS revenue
FROM experiments_analyticsevent
WHERE occurred_at >= %s AND occurred_at < %s AND event = 'order_confirmed'
GROUP BY 1, 2
ORDER BY 1, 2
"""


def _ratio(numerator, denominator) -> float | None:
    return numerator / denominator if denominator else None


def payment_method_dashboard(*, date_range: DateRange) -> dict:
    """Everything the payment-method dashboard shows, as plain JSON-ready data."""
    window = [date_range.start_at, date_range.end_before]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(DASHBOARD_WORK_MEM)
        cursor.execute(_UNITS_SQL, window)
        funnel_rows = cursor.fetchall()
        cursor.execute(_METRICS_SQL, window)
        metric_rows = cursor.fetchall()
        cursor.execute(_SERIES_SQL, [date_range.granularity, *window])
        series_rows = cursor.fetchall()
        cursor.execute(_ERROR_CODES_SQL, window)
        error_codes: dict[str, dict[str, int]] = {}
        for method, code, count in cursor.fetchall():
            error_codes.setdefault(method, {})[code] = count
    funnels: dict[str, list] = {}
    for method, guest, *counts in funnel_rows:
        for name in (method, "all", "guest" if guest else None):
            if name:
                funnels[name] = [a + b for a, b in zip(funnels.get(name, [0, 0, 0, 0]), counts, strict=True)]
    metrics: dict[str, list] = {}
    for method, guest, *values in metric_rows:
        for name in (method, "all", "guest" if guest else None):
            if name:
                metrics[name] = [a + b for a, b in zip(metrics.get(name, [0, 0, 0, 0, 0]), values, strict=True)]
    names = list(ROWS) + sorted((set(funnels) | set(metrics)) - set(ROWS))
    methods = []
    for name in names:
        funnel = funnels.get(name, [0, 0, 0, 0])
        orders, priced_orders, revenue, payments_ok, payments_failed = metrics.get(name, (0, 0, 0, 0, 0))
        methods.append({
            "method": name,
            "orders": orders,
            "revenue": to_money(revenue),
            "average_order_value": to_money(revenue / priced_orders) if priced_orders else None,
            "payments_completed": payments_ok,
            "payments_failed": payments_failed,
            "error_rate": _ratio(payments_failed, payments_ok + payments_failed),
            "errors_by_code": error_codes.get(name, {}) if name not in ("all", "guest") else None,
            "funnel": [{"step": step, "units": units, "rate_from_start": _ratio(units, funnel[0])}
                       for step, units in zip(FUNNEL, funnel, strict=True)],
            "conversion_rate": _ratio(funnel[3], funnel[0]),
        })
    series: dict[str, dict] = {}
    for bucket, method, orders, revenue in series_rows:
        point = series.setdefault(bucket.isoformat(), {"bucket": bucket.isoformat(), "orders": {}, "revenue": {}})
        point["orders"][method] = orders
        point["revenue"][method] = to_money(revenue)
    return {"range": date_range.as_dict(), "methods": methods, "series": list(series.values())}


CSV_COLUMNS = ("method", "orders", "revenue", "average_order_value", "payments_completed", "payments_failed",
               "error_rate", "conversion_rate", *(f"funnel_{step}" for step in FUNNEL))


def payment_method_csv_rows(dashboard: dict) -> list[list]:
    """The per-method table and the time series as CSV rows (header first)."""
    rows: list[list] = [list(CSV_COLUMNS)]
    for method in dashboard["methods"]:
        rows.append([method[c] for c in CSV_COLUMNS[:8]] + [step["units"] for step in method["funnel"]])
    rows.append([])
    rows.append(["bucket", "method", "orders", "revenue"])
    for point in dashboard["series"]:
        for method, orders in sorted(point["orders"].items()):
            rows.append([point["bucket"], method, orders, point["revenue"][method]])
    return rows
