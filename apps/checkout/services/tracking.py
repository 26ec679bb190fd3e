"""EasyPost Trackers of merchants' parcels: one per tracking number, created after commit by a
retrying task (the carrier's updates come back through `fulfillment_tracking_update`)."""
import logging

from django.db import transaction

from ..integrations.easypost import tracker_create, trackers_enabled
from ..models import Fulfillment

logger = logging.getLogger(__name__)


def fulfillment_tracker_queue(*, fulfillment: Fulfillment) -> None:
    """Queue the Tracker's creation after commit, when EasyPost is configured."""
    if not (trackers_enabled() and fulfillment.tracking_number):
        return

    def queue() -> None:
        from ..tasks import create_tracker

        try:
            create_tracker.apply_async(args=[fulfillment.id], retry=False)
        except Exception:  # noqa: BLE001 — delivery can still be marked by the merchant
            logger.warning("could not queue the tracker", extra={"fulfillment_id": fulfillment.id})

    transaction.on_commit(queue)


def fulfillment_tracker_create(*, fulfillment_id: str) -> str:
    fulfillment = Fulfillment.objects.get(id=fulfillment_id)
    return tracker_create(tracking_code=fulfillment.tracking_number, carrier=fulfillment.carrier)
