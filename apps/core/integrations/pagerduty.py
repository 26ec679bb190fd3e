"""PagerDuty Events API v2: the project's one client (inventory pages on low stock, returns on
reconciliation findings).

One POST of a `trigger`, `acknowledge` or `resolve` event to PAGERDUTY_EVENTS_URL with the
PAGERDUTY_ROUTING_KEY; PagerDuty answers 202 `{"status": "success", "dedup_key": …}`. Repeating an
event is harmless: PagerDuty folds events with one `dedup_key` into one incident. This client makes
exactly one attempt and reports whether a retry is worth it (429, 5xx, no answer) — the callers
retry from their own outbox rows and Celery tasks, so a slow PagerDuty never holds a worker in
backoff sleeps. PagerDuty's own Python client (`pagerduty`, formerly `pdpyras`) was not used: it
retries and sleeps inside the call, targets a base URL rather than the full events URL, and would add
httpx beside the `requests` every other outbound call here uses.
"""
from dataclasses import dataclass
from typing import Literal

import requests
from django.conf import settings

SUMMARY_MAX_CHARS = 1024  # PagerDuty rejects longer summaries


class PagerDutyError(Exception):
    """PagerDuty did not accept an event (see `PagerDutyOutcome.raise_for_failure`)."""


@dataclass(frozen=True)
class PagerDutyOutcome:
    ok: bool
    retryable: bool
    error: str = ""

    def raise_for_failure(self) -> None:
        """For callers whose retry is an exception (a Celery task with autoretry_for)."""
        if not self.ok:
            raise PagerDutyError(self.error)


def pagerduty_enabled() -> bool:
    """PagerDuty is a channel only once PAGERDUTY_ROUTING_KEY is set."""
    return bool(settings.PAGERDUTY_ROUTING_KEY)


def pagerduty_event_body(*, action: Literal["trigger", "acknowledge", "resolve"], dedup_key: str,
                         payload: dict | None = None) -> dict:
    """The Events v2 body; a trigger carries `payload` (summary, source, severity, …), the others none."""
    body = {"routing_key": settings.PAGERDUTY_ROUTING_KEY, "event_action": action, "dedup_key": dedup_key}
    if action == "trigger":
        body["payload"] = {**(payload or {}), "summary": (payload or {}).get("summary", "")[:SUMMARY_MAX_CHARS]}
    return body


def pagerduty_event_send(*, action: Literal["trigger", "acknowledge", "resolve"], dedup_key: str,
                         payload: dict | None = None) -> PagerDutyOutcome:
    """Send one event (one attempt, OUTBOUND_HTTP_TIMEOUT_SECONDS); never raises for HTTP failures."""
    try:
        response = requests.post(settings.PAGERDUTY_EVENTS_URL,
                                 json=pagerduty_event_body(action=action, dedup_key=dedup_key, payload=payload),
                                 timeout=settings.OUTBOUND_HTTP_TIMEOUT_SECONDS)
    except requests.RequestException as failure:
        return PagerDutyOutcome(False, True, type(failure).__name__)
    if 200 <= response.status_code < 300:
        return PagerDutyOutcome(True, False)
    retryable = response.status_code == 429 or response.status_code >= 500
    return PagerDutyOutcome(False, retryable, f"HTTP {response.status_code}: {response.text[:200]}")
