"""Ops admin for payments: read-mostly views of what Stripe and the webhooks reported."""
from django.contrib import admin

from .models import Dispute, Payment, ProcessedStripeEvent, Refund, ShippingAddress, StripeCustomer


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    readonly_fields = ("refund_id", "amount", "reason", "status", "created_at")


class DisputeInline(admin.TabularInline):
    model = Dispute
    extra = 0
    can_delete = False
    readonly_fields = ("dispute_id", "status", "reason", "amount", "currency", "evidence_due_by", "alerted_at",
                       "closed_at", "created_at")
    fields = readonly_fields


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Status is Stripe's to change (charges, refunds, webhooks); the admin only shows it."""

    list_display = ("order_id", "intent_id", "status", "amount", "currency", "payment_method_label",
                    "checkout_type", "created_at")
    list_filter = ("status", "payment_method_type", "checkout_type")
    search_fields = ("order_id", "intent_id", "confirmation_token", "cart_id", "charge_id")
    readonly_fields = [field.name for field in Payment._meta.fields]
    inlines = [RefundInline, DisputeInline]


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    """Chargebacks from Stripe's `charge.dispute.*` webhooks; answered in the Stripe dashboard."""

    list_display = ("dispute_id", "payment", "status", "reason", "amount", "currency", "evidence_due_by",
                    "alerted_at", "closed_at", "created_at")
    list_filter = ("status", "reason")
    search_fields = ("dispute_id", "charge_id", "payment__order_id", "payment__intent_id")
    readonly_fields = [field.name for field in Dispute._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ProcessedStripeEvent)
class ProcessedStripeEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "event_type", "processed_at")
    list_filter = ("event_type",)
    search_fields = ("event_id",)


@admin.register(StripeCustomer)
class StripeCustomerAdmin(admin.ModelAdmin):
    list_display = ("user", "stripe_customer_id", "default_payment_method_id", "created_at")
    search_fields = ("user__username", "user__email", "stripe_customer_id")


@admin.register(ShippingAddress)
class ShippingAddressAdmin(admin.ModelAdmin):
    list_display = ("user", "line1", "city", "state", "zip", "country", "is_default")
    search_fields = ("user__username", "line1", "city", "zip")
