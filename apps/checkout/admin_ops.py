"""Ops admin (/admin/): orders and carts, read-only, plus the shopper emails sent.

Orders are found by order id, email, confirmation token, payment intent or tracking number and
filtered by status, date, payment method and test orders. The order page lists its lines, parcels and
emails, its payments with their refunds (read through `apps.payments.public`), its returns and a
timeline. Money and every field are read-only;
changes go through the services: refund (full or partial, with a reason, logged in the admin
history and announced on `orders.events`), cancel, resend the confirmation email. Only staff with
the orders' permissions see them (view to look, change to act).
"""
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from apps.core.errors import ApplicationError
from apps.payments.public import payments_for_order
from apps.returns.public import return_summaries

from .models import Cart, CartItem, EmailDelivery, Fulfillment, Order, OrderLine
from .selectors import order_timeline
from .services.cancellation import order_cancel
from .services.emails import ACCOUNT_TEMPLATES, ORDER_CONFIRMATION, order_email_queue
from .services.refunds import STRIPE_REASONS, order_refund


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = readonly_fields = ("product_id", "sku", "name", "quantity", "unit_price", "line_total", "tax_amount",
                                "tax_rate")


class FulfillmentInline(ReadOnlyInline):
    model = Fulfillment
    fields = readonly_fields = ("id", "merchant_id", "carrier", "tracking_number", "created_at", "delivered_at")


class EmailDeliveryInline(ReadOnlyInline):
    model = EmailDelivery
    fields = readonly_fields = ("template", "to", "status", "attempts", "provider_message_id", "created_at",
                                "sent_at")


class RefundForm(forms.Form):
    amount = forms.DecimalField(min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    reason = forms.ChoiceField(choices=[(reason, reason.replace("_", " ")) for reason in STRIPE_REASONS])
    note = forms.CharField(max_length=300, help_text="Why (kept in the order's history and the event)")


class PaymentMethodTypeFilter(admin.AllValuesFieldListFilter):
    """Django would list the orders that have no payment method yet (pending) as a link without text."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "display": choice["display"] or "None yet"}


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("id", "email", "status", "total", "currency", "payment_method_type", "is_test", "created_at")
    list_filter = ("status", ("created_at", admin.DateFieldListFilter),
                   ("payment_method_type", PaymentMethodTypeFilter), "is_test")
    search_fields = ("id", "email", "confirmation_token", "payment_intent_id", "fulfillments__tracking_number")
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, FulfillmentInline, EmailDeliveryInline]
    actions = ["cancel_and_refund", "resend_confirmation"]

    def get_readonly_fields(self, request, obj=None):
        return [*(field.name for field in Order._meta.fields), "payments", "returns", "timeline", "refund_link"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="payments")
    def payments(self, order: Order) -> str:
        """The payments app's records of the order's payment and refunds (read through its public API)."""
        return render_to_string("checkout/admin/_payments.html", {"payments": payments_for_order(order_id=order.id)})

    @admin.display(description="returns")
    def returns(self, order: Order) -> str:
        rows = return_summaries(order_id=order.id)
        if not rows:
            return "none"
        return format_html_join("", '<p><a href="{}">{}</a> {} · estimate {} · refunded {}</p>', (
            (reverse("admin:returns_return_change", args=[quote(row.return_id)]), row.return_id, row.status,
             row.refund_estimate, row.refunded_amount) for row in rows))

    @admin.display(description="timeline")
    def timeline(self, order: Order) -> str:
        return format_html("<ol>{}</ol>", format_html_join(
            "", "<li>{} — {}</li>", ((entry.at.strftime("%Y-%m-%d %H:%M"), entry.text)
                                     for entry in order_timeline(order=order))))

    @admin.display(description="refund")
    def refund_link(self, order: Order) -> str:
        # admin URLs carry quoted keys: "_22" in an id would otherwise be read back as '"'
        url = reverse("admin:checkout_order_refund", args=[quote(order.pk)])
        return format_html('<a class="button" href="{}">Refund (full or partial)…</a>', url)

    def get_urls(self):
        return [path("<path:object_id>/refund/", self.admin_site.admin_view(self.refund_view),
                     name="checkout_order_refund"), *super().get_urls()]

    def refund_view(self, request, object_id):
        order = get_object_or_404(Order, pk=unquote(object_id))
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        form = RefundForm(request.POST or None, initial={"amount": order.total, "reason": STRIPE_REASONS[0]})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                result = order_refund(order_id=order.id, amount=data["amount"], reason=data["reason"],
                                      note=data["note"], actor=f"ops:{request.user.get_username()}")
            except ApplicationError as refused:
                form.add_error(None, refused.message)
            else:
                self.log_change(request, order, f"Refunded {result.amount} ({data['reason']}): {data['note']} "
                                                f"[{result.refund_id}]")
                self.message_user(request, f"Refunded {result.amount} {order.currency} ({result.refund_id}).")
                return redirect("admin:checkout_order_change", quote(order.pk))
        context = {**self.admin_site.each_context(request), "opts": Order._meta, "order": order, "form": form,
                   "title": f"Refund order {order.id}"}
        return TemplateResponse(request, "checkout/admin/order_refund.html", context)

    @admin.action(description="Cancel and refund in full (nothing shipped yet)", permissions=["change"])
    def cancel_and_refund(self, request, queryset):
        for order in queryset:
            try:
                order_cancel(order_id=order.id, actor=f"ops:{request.user.get_username()}")
            except ApplicationError as refused:
                self.message_user(request, f"{order.id}: {refused.message}", messages.ERROR)
            else:
                self.log_change(request, order, "Cancelled and refunded in full")
                self.message_user(request, f"{order.id} cancelled and refunded.")

    @admin.action(description="Resend the confirmation email", permissions=["change"])
    def resend_confirmation(self, request, queryset):
        for order in queryset:
            order_email_queue(order=order, template=ORDER_CONFIRMATION)
            self.log_change(request, order, "Confirmation email resent")
        self.message_user(request, f"Confirmation email queued for {queryset.count()} order(s).")


class CartItemInline(ReadOnlyInline):
    model = CartItem
    fields = readonly_fields = ("product_id", "quantity", "added_at")


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ("id", "status", "currency", "version", "expires_at", "created_at")
    list_filter = ("status",)
    search_fields = ("id",)
    inlines = [CartItemInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Cart._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = ("template", "to", "order", "status", "attempts", "provider_message_id", "created_at", "sent_at")
    list_filter = ("template", "status")
    search_fields = ("to", "order__id", "provider_message_id")
    actions = ["send_again"]

    def get_fields(self, request, obj=None):
        return [*(field.name for field in EmailDelivery._meta.fields if field.name != "context"), "details"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="context")
    def details(self, delivery: EmailDelivery) -> str:
        if delivery.template in ACCOUNT_TEMPLATES:
            return "withheld: account emails carry sign-in links"
        return str(delivery.context)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Send again (failed or stuck emails)", permissions=["change"])
    def send_again(self, request, queryset):
        from .tasks import send_email

        for delivery in queryset.exclude(status=EmailDelivery.Status.SENT):
            send_email.apply_async(args=[delivery.pk], retry=False)
        self.message_user(request, "Queued.")
