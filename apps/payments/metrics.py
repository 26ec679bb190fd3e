"""Payments' Prometheus metrics under the seed's names (Grafana panel 3, the gateway latency alert)."""
from prometheus_client import Counter, Histogram

PAYMENT_INTENT_ERRORS = Counter(
    "payment_intent_errors", "Failed Stripe attempts by checkout type and error code (502, 503, 504, timeout, …)",
    ["checkout_type", "error_code"],
)
PAYMENT_GATEWAY_DURATION = Histogram(
    "payment_gateway_duration_seconds", "Time of one whole gateway call (all attempts and backoff)", ["flow"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 12, 16, 20, 30),
)
