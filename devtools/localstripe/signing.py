"""Stripe webhook events and signatures, built exactly as Stripe builds them.

`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed by the endpoint secret>`.
"""
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request

API_VERSION = "2023-10-16"


def sign_payload(payload: str, secret: str, timestamp: int | None = None) -> str:
    """Return the `Stripe-Signature` header value for `payload`."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    signed = f"{timestamp}.{payload}".encode()
    signature = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


def build_event(event_type: str, obj: dict, *, event_id: str = "", created: int | None = None) -> dict:
    """A Stripe `event` object wrapping `obj` as `data.object`."""
    return {
        "id": event_id or "evt_" + secrets.token_hex(12),
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()) if created is None else created,
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": "req_" + secrets.token_hex(7), "idempotency_key": None},
        "type": event_type,
    }


def deliver(url: str, secret: str, event: dict, *, timestamp: int | None = None,
            timeout: float = 30.0) -> tuple[int, str]:
    """POST `event` to `url` signed with `secret`; returns (status, body) like Stripe's delivery log."""
    payload = json.dumps(event, indent=2)
    request = urllib.request.Request(  # noqa: S310 - the caller chooses a local http(s) endpoint
        url, data=payload.encode(), method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": sign_payload(payload, secret, timestamp),
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:  # endpoint down: Stripe records a failed delivery and moves on
        return 0, str(error)
