"""EasyPost `tracker.updated` webhooks: signature check (the SDK's HMAC validation with
EASYPOST_WEBHOOK_SECRET) and the few fields the returns app needs."""
from dataclasses import dataclass

from django.conf import settings
from easypost.errors import SignatureVerificationError
from easypost.util import validate_webhook


class InvalidWebhook(Exception):
    pass


@dataclass(frozen=True)
class TrackerUpdate:
    event_id: str
    shipment_id: str
    tracking_code: str
    status: str  # EasyPost tracker status: pre_transit, in_transit, out_for_delivery, delivered, ...


def tracker_update_parse(body: bytes, headers) -> TrackerUpdate | None:
    """The tracker update in a verified webhook; None for other event types. Raises InvalidWebhook."""
    if not settings.EASYPOST_WEBHOOK_SECRET:
        raise InvalidWebhook("EASYPOST_WEBHOOK_SECRET is not configured")
    try:
        event = validate_webhook(body, headers, settings.EASYPOST_WEBHOOK_SECRET)
    except (SignatureVerificationError, ValueError) as exc:
        raise InvalidWebhook(str(exc)) from exc
    result = event.get("result") or {}
    if event.get("description") not in ("tracker.updated", "tracker.created") or result.get("object") != "Tracker":
        return None
    return TrackerUpdate(event_id=str(event.get("id", "")), shipment_id=result.get("shipment_id") or "",
                         tracking_code=result.get("tracking_code") or "", status=result.get("status") or "")
