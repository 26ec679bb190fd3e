"""The one representation of a return, shared by the API and the pages."""
from django.conf import settings

from .labels.storage import label_link_path
from .models import Return


def return_as_dict(ret: Return, *, request) -> dict:
    label_url = request.build_absolute_uri(label_link_path(ret.id)) if ret.label_file else None
    return {
        "return_id": ret.id,
        "order_id": ret.order_id,
        "status": ret.status,
        "label_url": label_url,
        "label_url_expires_in_seconds": settings.RETURN_LABEL_URL_TTL_SECONDS if label_url else None,
        "carrier": ret.label_carrier or None,
        "tracking_code": ret.label_tracking_code or None,
        "items": [{"order_line_id": item.order_line_id, "product_id": item.product_id, "name": item.name,
                   "quantity": item.quantity, "reason": item.reason, "note": item.note,
                   "unit_price": item.unit_price, "refund_amount": item.refund_amount}
                  for item in ret.items.all()],
        "refund_estimate": ret.refund_estimate,
        "refunded_amount": ret.refunded_amount,
        "currency": ret.currency,
        "created_at": ret.created_at,
        "updated_at": ret.updated_at,
        "history": [{"from_status": t.from_status or None, "to_status": t.to_status, "actor_type": t.actor_type,
                     "note": t.note, "at": t.created_at} for t in ret.transitions.all()],
    }
