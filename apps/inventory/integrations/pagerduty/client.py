"""PagerDuty Events API v2: POST a trigger or resolve event to PAGERDUTY_EVENTS_URL.

PagerDuty answers 202 with `{"status": "success", "dedup_key": ...}`; 429 and 5xx are worth a retry,
other 4xx mean the event itself is wrong.
"""
from dataclasses import dataclass

import requests
from django.conf import settings


@dataclass(frozen=True)
class PagerDutyOutcome:
    ok: bool
    retryable: bool
    error: str = ""


def pagerduty_enabled() -> bool:
    return bool(settings.PAGERDUTY_ROUTING_KEY)


def event_body(*, action: str, dedup_key: str, payload: dict) -> dict:
    body = {"routing_key": settings.PAGERDUTY_ROUTING_KEY, "event_action": action, "dedup_key": dedup_key}
    if action == "trigger":
        body["payload"] = payload
    return body


def event_send(*, action: str, dedup_key: str, payload: dict) -> PagerDutyOutcome:
    try:
        response = requests.post(settings.PAGERDUTY_EVENTS_URL,
                                 json=event_body(action=action, dedup_key=dedup_key, payload=payload),
                                 timeout=settings.OUTBOUND_HTTP_TIMEOUT_SECONDS)
    except requests.RequestException as failure:
        return PagerDutyOutcome(False, True, type(failure).__name__)
    if response.status_code == 202 or 200 <= response.status_code < 300:
        return PagerDutyOutcome(True, False)
    retryable = response.status_code == 429 or response.status_code >= 500
    return PagerDutyOutcome(False, retryable, f"HTTP {response.status_code}: {response.text[:200]}")
