"""EasyPost Trackers for merchants' parcels, through the official `easypost` SDK.

When EASYPOST_API_KEY is set, every fulfilment with a tracking number gets a Tracker; EasyPost
then posts `tracker.updated` webhooks to /webhooks/easypost (signature checked there), and a
`delivered` one marks the parcel delivered. `EASYPOST_API_BASE` points the SDK at any
EasyPost-compatible server (tests use the local one).
"""
import easypost
from django.conf import settings


class TrackerError(Exception):
    pass


def trackers_enabled() -> bool:
    return bool(settings.EASYPOST_API_KEY)


def tracker_create(*, tracking_code: str, carrier: str) -> str:
    """Create (or, for a code EasyPost already tracks, find) the Tracker; returns its id."""
    client = easypost.EasyPostClient(settings.EASYPOST_API_KEY, api_base=settings.EASYPOST_API_BASE,
                                     timeout=max(int(settings.OUTBOUND_HTTP_TIMEOUT_SECONDS), 1))
    try:
        return client.tracker.create(tracking_code=tracking_code, carrier=carrier).id
    except easypost.errors.EasyPostError as exc:
        raise TrackerError(f"EasyPost could not track {tracking_code}: {exc}") from exc
