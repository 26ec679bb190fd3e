"""Buying, storing and voiding return labels.

The provider call happens outside any database transaction (a slow carrier must not hold row
locks); a Redis lock per return keeps two callers (the request and reconciliation) from buying
two labels. If the process dies between buying and recording, the label becomes an orphan at
the provider — exactly what reconciliation's orphan detection voids. The shopper's "label ready"
email is queued in the transaction that records the label.
"""
import logging
from contextlib import ExitStack

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.checkout.public import RETURN_LABEL_READY, order_get, shopper_email_queue
from apps.core.locks import LockUnavailable, redis_lock
from apps.core.tracing import get_tracer
from apps.returns.errors import LabelProviderError
from apps.returns.labels.base import LabelAddress, LabelRequest, get_label_provider, warehouse_address
from apps.returns.labels.storage import label_file_save, label_link_path
from apps.returns.models import Return, ReturnStatus

from .lifecycle import Actor, return_lock, return_transition

logger = logging.getLogger(__name__)
tracer = get_tracer(__name__)

LABEL_LOCK_SECONDS = 120
LABEL_RETRY_DELAY_SECONDS = 60
NEEDS_LABEL = (ReturnStatus.REQUESTED, ReturnStatus.LABEL_FAILED)


def _label_request(ret: Return) -> LabelRequest:
    order = order_get(order_id=ret.order_id)
    if order is None:
        raise LabelProviderError(f"Order {ret.order_id} of return {ret.id} no longer exists.")
    address = order.shipping_address
    shopper = LabelAddress(name=order.email, line1=address["line1"],
                           line2=address.get("line2", ""), city=address["city"], state=address["state"],
                           zip=address["zip"], country=address["country"], email=order.email)
    contents = [f"{item.quantity} × {item.name}" for item in ret.items.all()]
    return LabelRequest(reference=ret.id, from_address=shopper, to_address=warehouse_address(), contents=contents)


def return_label_create(*, return_id: str, actor: Actor) -> Return:
    """Buy and attach a label to a return that needs one; a no-op for any other return.

    Raises `LabelProviderError` when the provider fails (the attempt is counted on the return)."""
    with ExitStack() as held:
        try:
            held.enter_context(redis_lock(f"returns:label-lock:{return_id}", ttl=LABEL_LOCK_SECONDS))
        except LockUnavailable:
            return Return.objects.get(pk=return_id)
        ret = Return.objects.prefetch_related("items").get(pk=return_id)
        if ret.status not in NEEDS_LABEL or ret.label_file:
            return ret
        provider = get_label_provider()
        try:
            with tracer.start_as_current_span("returns.label.buy", attributes={
                    "return_id": ret.id, "label_provider": provider.name, "attempt": ret.label_attempts + 1}):
                purchased = provider.buy(_label_request(ret))
                stored_as = label_file_save(return_id=ret.id, shipment_id=purchased.shipment_id, pdf=purchased.pdf)
        except (LabelProviderError, OSError) as exc:  # OSError: the label storage failed
            Return.objects.filter(pk=ret.id).update(label_attempts=ret.label_attempts + 1, label_error=str(exc)[:2000],
                                                    updated_at=timezone.now())
            if isinstance(exc, LabelProviderError):
                raise
            raise LabelProviderError(f"The label could not be stored: {exc}") from exc
        with transaction.atomic():
            ret = return_lock(return_id)
            if ret.status not in NEEDS_LABEL:
                cancelled_meanwhile = True
            else:
                cancelled_meanwhile = False
                ret.label_provider, ret.label_shipment_id = purchased.provider, purchased.shipment_id
                ret.label_tracking_code, ret.label_carrier = purchased.tracking_code, purchased.carrier
                ret.label_file, ret.label_error = stored_as, ""
                ret.label_attempts += 1
                return_transition(ret=ret, to_status=ReturnStatus.LABEL_CREATED, actor=actor,
                                  note=f"{purchased.carrier} label {purchased.tracking_code}",
                                  update_fields=("label_provider", "label_shipment_id", "label_tracking_code",
                                                 "label_carrier", "label_file", "label_error", "label_attempts"))
                _label_ready_email(ret)
        if cancelled_meanwhile:
            provider.void(purchased.shipment_id)
        return ret


def _label_ready_email(ret: Return) -> None:
    """Tell the shopper where to get the label (not for the smoke test's test orders)."""
    if ret.is_test:
        return
    shopper_email_queue(to=ret.email, template=RETURN_LABEL_READY, order_id=ret.order_id, context={
        "return_id": ret.id, "carrier": ret.label_carrier, "tracking_code": ret.label_tracking_code,
        "refund_estimate": str(ret.refund_estimate),
        "items": [f"{item.quantity} × {item.name}" for item in ret.items.all()],
        "label_url": settings.SHOP_BASE_URL + label_link_path(ret.id),
        "label_link_days": settings.RETURN_LABEL_URL_TTL_SECONDS // 86400,
        "return_url": settings.SHOP_BASE_URL + reverse("returns:detail", kwargs={"return_id": ret.id}),
    })


def label_void(*, ret: Return) -> bool:
    """Void a cancelled return's label at its provider; failures are left to orphan detection."""
    try:
        get_label_provider(ret.label_provider or None).void(ret.label_shipment_id)
    except LabelProviderError:
        logger.warning("label void failed; orphan detection will retry", extra={"return_id": ret.id})
        return False
    return True


def label_retry_queue(*, return_id: str) -> None:
    """Retry the label soon in a worker; if the task broker is down, reconciliation still will."""
    from kombu.exceptions import OperationalError

    from apps.returns.tasks import label_retry

    try:
        label_retry.apply_async(args=[return_id], countdown=LABEL_RETRY_DELAY_SECONDS)
    except OperationalError:
        logger.warning("could not queue the label retry; reconciliation will retry", extra={"return_id": return_id})
