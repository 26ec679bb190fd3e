"""Merchant portal (/merchant/): the Orders page.

The list holds the orders with the merchant's products, those still to ship first and the oldest
first; an order's page shows only the merchant's lines and parcels, "Mark shipped" (carrier and
tracking number: every unit of the merchant's lines still to ship goes in one parcel), "Mark
delivered" per parcel for carriers without tracking, and the order's timeline. Everything goes
through the same services as the merchant API.
"""
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from apps.core.errors import ApplicationError, ValidationFailed
from apps.core.merchant_portal import MerchantScopedAdmin, merchant_id_for_user, merchant_site

from .models import Order
from .selectors import MERCHANT_ORDER_STATUSES, merchant_order_list, merchant_orders_view, order_timeline
from .services.fulfillment import FulfillmentLineInput, fulfillment_create, fulfillment_mark_delivered


class MerchantOrderStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(status, {"paid": "to ship"}.get(status, status)) for status in MERCHANT_ORDER_STATUSES]

    def queryset(self, request, queryset):
        return queryset.filter(merchant_status=self.value()) if self.value() else queryset


class MerchantOrderAdmin(MerchantScopedAdmin):
    list_display = ("id", "to_do", "paid_at", "items", "ship_to")
    list_filter = (MerchantOrderStatusFilter,)
    search_fields = ("id",)
    list_display_links = ("id",)

    def get_queryset(self, request):
        # "to ship" (paid) first, then shipped, then delivered; oldest paid first within each
        orders = merchant_order_list(merchant_id=merchant_id_for_user(request.user))
        return orders.order_by("merchant_status", "paid_at", "id").prefetch_related("lines")

    def get_ordering(self, request):
        return ()

    @admin.display(description="status")
    def to_do(self, order: Order) -> str:
        return {"paid": "to ship"}.get(order.merchant_status, order.merchant_status)

    @admin.display(description="items")
    def items(self, order: Order) -> int:
        return order.ordered_units

    @admin.display(description="ship to")
    def ship_to(self, order: Order) -> str:
        return f"{order.shipping_city}, {order.shipping_state} {order.shipping_zip}"

    def has_change_permission(self, request, obj=None) -> bool:
        return True

    def change_view(self, request, object_id, form_url="", extra_context=None):
        merchant_id = merchant_id_for_user(request.user)
        order = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        if order is None or merchant_id is None:
            raise PermissionDenied
        if request.method == "POST":
            self._act(request, order, merchant_id)
            return redirect(request.path)
        (view,) = merchant_orders_view(orders=[order], merchant_id=merchant_id)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": f"Order {order.id}",
                   "view": view, "timeline": order_timeline(order=order, merchant_id=merchant_id),
                   "to_ship": [line for line in view.lines if line.quantity_fulfilled < line.line.quantity]}
        return TemplateResponse(request, "checkout/merchant/order_detail.html", context)

    def _act(self, request, order: Order, merchant_id: int) -> None:
        try:
            if request.POST.get("action") == "ship":
                (view,) = merchant_orders_view(orders=[order], merchant_id=merchant_id)
                lines = [FulfillmentLineInput(line.line.pk, line.line.quantity - line.quantity_fulfilled)
                         for line in view.lines if line.quantity_fulfilled < line.line.quantity]
                carrier = request.POST.get("carrier", "").strip()[:50]
                if not carrier or not lines:
                    messages.error(request, "Enter the carrier (and there must be units left to ship).")
                    return
                parcel = fulfillment_create(order_id=order.id, merchant_id=merchant_id, lines=lines, carrier=carrier,
                                            tracking_number=request.POST.get("tracking_number", "").strip()[:100])
                messages.success(request, f"Marked shipped: parcel {parcel.id}.")
            elif request.POST.get("action") == "delivered":
                fulfillment_mark_delivered(order_id=order.id, fulfillment_id=request.POST.get("fulfillment_id", ""),
                                           merchant_id=merchant_id)
                messages.success(request, "Marked delivered.")
        except ValidationFailed as refused:
            messages.error(request, "; ".join(error.message for error in refused.errors))
        except ApplicationError as refused:
            messages.error(request, refused.message)


merchant_site.register(Order, MerchantOrderAdmin)
