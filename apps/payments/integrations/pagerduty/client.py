"""Sends one PagerDuty Events API v2 `trigger` (PAGERDUTY_EVENTS_URL, PAGERDUTY_ROUTING_KEY), the same call
the returns app makes (the PagerDuty clients are being consolidated into one; keep this signature).

`dedup_key` makes repeats harmless: PagerDuty folds triggers with the same key into one incident.
"""
import requests
from django.conf import settings


def pagerduty_trigger(*, summary: str, dedup_key: str, details: dict, severity: str = "error") -> bool:
    """False when no routing key is configured (the channel is off); raises on HTTP failure."""
    if not settings.PAGERDUTY_ROUTING_KEY:
        return False
    body = {
        "routing_key": settings.PAGERDUTY_ROUTING_KEY,
        "event_action": "trigger",
        "dedup_key": dedup_key,
        "payload": {"summary": summary[:1024], "source": "vantage-payments", "severity": severity,
                    "component": "payments-disputes", "custom_details": details},
    }
    response = requests.post(settings.PAGERDUTY_EVENTS_URL, json=body, timeout=settings.OUTBOUND_HTTP_TIMEOUT_SECONDS)
    response.raise_for_status()
    return True
