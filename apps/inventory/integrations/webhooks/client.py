"""Sends one signed webhook request. No redirects are followed (a redirect could lead inside our
network past the URL check); any 2xx is success.

The request goes to the address the URL check vetted, not to whatever the host resolves to a moment
later: the URL is rewritten to that IP, the original host is sent as `Host` and as the TLS SNI name,
and the certificate is verified against the original host. No proxy from the environment is used
(a proxy would resolve the name again).

A failure says what happened, for the merchant's delivery log: `HTTP 500: <start of the response
body>` or `ConnectionError: <what the connection said>`, at most ERROR_MAX_CHARS characters.
"""
import ipaddress
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

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


class PinnedHostAdapter(HTTPAdapter):
    """Connects to the IP in the URL while presenting and verifying `hostname` in TLS."""

    def __init__(self, hostname: str, **kwargs):
        self.hostname = hostname
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs.update(server_hostname=self.hostname, assert_hostname=self.hostname)
        super().init_poolmanager(*args, **kwargs)


def pinned_post(url: str, *, address: str, data: bytes, headers: dict) -> tuple[int, str]:
    """POST `url` to the already vetted `address`, as if DNS had answered it (and only it). Returns the
    status code and, for a failure, the start of the response body."""
    parts = urlsplit(url)
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    literal = f"[{ip}]" if ip.version == 6 else str(ip)
    pinned = parts._replace(netloc=f"{literal}:{parts.port}" if parts.port else literal).geturl()
    with requests.Session() as session:
        session.trust_env = False
        session.mount("https://", PinnedHostAdapter(parts.hostname))
        with session.post(pinned, data=data, headers={**headers, "Host": parts.netloc}, allow_redirects=False,
                          stream=True, timeout=settings.OUTBOUND_HTTP_TIMEOUT_SECONDS) as response:
            ok = 200 <= response.status_code < 300
            return response.status_code, "" if ok else _excerpt(response)


def webhook_send(*, url: str, secret: str, webhook_id: str, body: bytes, now: float | None = None) -> SendOutcome:
    started = time.monotonic()
    try:
        addresses = webhook_url_check(url, require_resolvable=True)
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
        status_code, excerpt = pinned_post(url, address=addresses[0], data=body, headers=headers)
    except requests.RequestException as failure:
        return SendOutcome(False, None, int((time.monotonic() - started) * 1000), _describe(failure))
    latency = int((time.monotonic() - started) * 1000)
    ok = 200 <= status_code < 300
    error = "" if ok else f"HTTP {status_code}" + (f": {excerpt}" if excerpt else "")
    return SendOutcome(ok, status_code, latency, error[:ERROR_MAX_CHARS])


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
