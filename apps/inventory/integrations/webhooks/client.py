"""Sends one signed webhook request. No redirects are followed (a redirect could lead inside our
network past the URL check); any 2xx is success."""
import time
from dataclasses import dataclass

import requests
from django.conf import settings

from .signing import SIGNATURE_HEADER, WEBHOOK_ID_HEADER, signature_header
from .url_safety import UnsafeWebhookUrl, webhook_url_check


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    status_code: int | None
    latency_ms: int
    error: str = ""


def webhook_send(*, url: str, secret: str, webhook_id: str, body: bytes, now: float | None = None) -> SendOutcome:
    started = time.monotonic()
    try:
        webhook_url_check(url, require_resolvable=True)
    except UnsafeWebhookUrl as refused:
        return SendOutcome(False, None, 0, f"refused: {refused}")
    timestamp = int(now if now is not None else time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Vantage-Webhooks/1.0",
        WEBHOOK_ID_HEADER: webhook_id,
        SIGNATURE_HEADER: signature_header(secret=secret, timestamp=timestamp, body=body),
    }
    try:
        response = requests.post(url, data=body, headers=headers, allow_redirects=False,
                                 timeout=settings.OUTBOUND_HTTP_TIMEOUT_SECONDS)
    except requests.RequestException as failure:
        return SendOutcome(False, None, int((time.monotonic() - started) * 1000), type(failure).__name__)
    latency = int((time.monotonic() - started) * 1000)
    ok = 200 <= response.status_code < 300
    return SendOutcome(ok, response.status_code, latency, "" if ok else f"HTTP {response.status_code}")
