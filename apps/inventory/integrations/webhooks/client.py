"""Sends one signed webhook request. No redirects are followed (a redirect could lead inside our
network past the URL check); any 2xx is success.

A failure says what happened, for the merchant's delivery log: `HTTP 500: <start of the response
body>` or `ConnectionError: <what the connection said>`, at most ERROR_MAX_CHARS characters."""
import time
from dataclasses import dataclass

import requests
from django.conf import settings

from .signing import SIGNATURE_HEADER, WEBHOOK_ID_HEADER, signature_header
from .url_safety import UnsafeWebhookUrl, webhook_url_check

ERROR_MAX_CHARS = 300  # WebhookAttempt.error's length
EXCERPT_BYTES = 512  # of a failed response's body: enough to recognise the receiver's error page or message


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
        with requests.post(url, data=body, headers=headers, allow_redirects=False, stream=True,
                           timeout=settings.OUTBOUND_HTTP_TIMEOUT_SECONDS) as response:
            ok = 200 <= response.status_code < 300
            excerpt = "" if ok else _excerpt(response)
    except requests.RequestException as failure:
        return SendOutcome(False, None, int((time.monotonic() - started) * 1000), _describe(failure))
    latency = int((time.monotonic() - started) * 1000)
    error = "" if ok else f"HTTP {response.status_code}" + (f": {excerpt}" if excerpt else "")
    return SendOutcome(ok, response.status_code, latency, error[:ERROR_MAX_CHARS])


def _excerpt(response: requests.Response) -> str:
    """The start of the body only (streamed), so a huge error page costs nothing; whitespace folded."""
    try:
        raw = response.raw.read(EXCERPT_BYTES, decode_content=True) or b""
    except Exception:  # noqa: BLE001 - an unreadable body leaves the status code alone to tell the story
        return ""
    return " ".join(raw.decode(response.encoding or "utf-8", errors="replace").split())


def _describe(failure: requests.RequestException) -> str:
    detail = " ".join(str(failure).split())
    return f"{type(failure).__name__}: {detail}"[:ERROR_MAX_CHARS] if detail else type(failure).__name__
