"""The order page's "Cancel order" (POST): the same proof as viewing the page, then the same
service as `POST /api/v1/orders/{id}/cancel`; the outcome is shown as a message on the page."""
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.core.errors import ApplicationError

from ..services.cancellation import order_cancel
from .checkout import _confirmed_order


@require_POST
def order_cancel_view(request: HttpRequest, token: str) -> HttpResponse:
    order = _confirmed_order(request, token)
    try:
        order_cancel(order_id=order.id, actor="shopper")
    except ApplicationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"Order {order.id} is cancelled. The refund of ${order.total} is on its way.")
    return redirect("checkout:confirmation", token=token)
