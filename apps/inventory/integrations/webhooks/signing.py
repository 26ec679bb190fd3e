"""The webhook signature: `X-Vantage-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.

Stripe's scheme: the timestamp is signed with the body, so a receiver can refuse replays older
than a few minutes. Receivers verify with the snippet in README.md ("Inventory low-stock alerts").
"""
import hashlib
import hmac

SIGNATURE_HEADER = "X-Vantage-Signature"
WEBHOOK_ID_HEADER = "Webhook-Id"


def signature_compute(*, secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature_compute(secret=secret, timestamp=timestamp, body=body)}"
