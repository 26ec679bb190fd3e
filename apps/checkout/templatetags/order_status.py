"""`{% order_after_payment order %}`: the order page's status, timeline and "Cancel order" button
(shown while the order is paid and nothing shipped), so the confirmation page needs one line."""
from django import template
from django.template.loader import render_to_string

from ..models import Order
from ..selectors import order_timeline
from ..tracking import tracking_url

register = template.Library()


@register.simple_tag(takes_context=True)
def order_after_payment(context, order: Order) -> str:
    if order.status == Order.Status.PENDING:
        return ""
    cancellable = order.status == Order.Status.PAID and not order.fulfillments.exists()
    return render_to_string("checkout/_order_after_payment.html", {
        "order": order, "timeline": order_timeline(order=order), "cancellable": cancellable,
        "parcels": list(order.fulfillments.all())}, request=context.get("request"))


@register.filter
def parcel_tracking_url(parcel) -> str:
    """`{{ parcel|parcel_tracking_url }}`: the carrier's tracking page for a fulfilment, or ""."""
    return tracking_url(parcel.carrier, parcel.tracking_number)
