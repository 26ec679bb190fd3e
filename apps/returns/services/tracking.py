"""Carrier tracking moves returns along: the first scan makes a return `in_transit`, delivery to
the returns warehouse makes it `received` (which refunds it). Updates for unknown labels, or that
would move a return backwards, are ignored — carriers resend and reorder tracking events."""
import logging

from django.db.models import Q

from apps.returns.models import ActorType, Return, ReturnStatus

from .lifecycle import Actor
from .returns import return_mark_in_transit, return_receive

logger = logging.getLogger(__name__)

IN_TRANSIT_STATUSES = ("in_transit", "out_for_delivery", "available_for_pickup")
CARRIER = Actor(ActorType.SERVICE, "carrier_tracking")


def return_tracking_update(*, shipment_id: str, tracking_code: str, carrier_status: str) -> Return | None:
    match = Q(label_shipment_id=shipment_id) if shipment_id else Q()
    if tracking_code:
        match |= Q(label_tracking_code=tracking_code)
    ret = Return.objects.filter(match).first() if match else None
    if ret is None:
        logger.info("tracking update for an unknown label", extra={"shipment_id": shipment_id})
        return None
    if carrier_status in IN_TRANSIT_STATUSES and ret.status == ReturnStatus.LABEL_CREATED:
        return return_mark_in_transit(return_id=ret.id, actor=CARRIER, note=f"carrier: {carrier_status}")
    if carrier_status == "delivered" and ret.status in (ReturnStatus.LABEL_CREATED, ReturnStatus.IN_TRANSIT):
        return return_receive(return_id=ret.id, actor=CARRIER, note="carrier: delivered to the returns warehouse")
    return ret
