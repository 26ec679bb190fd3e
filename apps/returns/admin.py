"""Ops admin for returns: returns with items and history, actions that move them along, and the
reconciliation findings list (what the job found, what it did, what still needs a human)."""
from django.contrib import admin, messages

from apps.core.errors import ApplicationError
from apps.core.merchant_portal import MerchantScopedAdmin, merchant_site

from .models import ReconciliationFinding, Return, ReturnItem, ReturnTransition
from .services.labels import return_label_create
from .services.lifecycle import Actor
from .services.refunds import return_refund
from .services.returns import return_cancel, return_mark_in_transit, return_mark_received


class ReturnItemInline(admin.TabularInline):
    model = ReturnItem
    extra = 0
    can_delete = False
    readonly_fields = ("order_line_id", "product_id", "merchant_id", "name", "quantity", "unit_price", "refund_amount",
                       "reason", "note")


class ReturnTransitionInline(admin.TabularInline):
    model = ReturnTransition
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "from_status", "to_status", "actor_type", "actor_id", "note")


def _ops(request) -> Actor:
    return Actor("ops", request.user.get_username())


def _run(modeladmin, request, queryset, action, done: str) -> None:
    ok = 0
    for ret in queryset:
        try:
            action(ret, request)
            ok += 1
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{ret.id}: {exc.message}", messages.ERROR)
    modeladmin.message_user(request, f"{ok} return(s) {done}.")


@admin.register(Return)
class ReturnAdmin(admin.ModelAdmin):
    list_display = ("id", "order_id", "status", "is_test", "refund_estimate", "refunded_amount", "label_carrier",
                    "created_at")
    list_filter = ("status", "is_test", "label_provider")
    search_fields = ("id", "order_id", "email", "label_tracking_code", "label_shipment_id", "refund_id")
    readonly_fields = [field.name for field in Return._meta.fields]
    inlines = [ReturnItemInline, ReturnTransitionInline]
    actions = ["retry_label", "mark_in_transit", "mark_received_and_refund", "retry_refund", "cancel"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Retry the shipping label")
    def retry_label(self, request, queryset):
        _run(self, request, queryset, lambda r, q: return_label_create(return_id=r.id, actor=_ops(q)), "retried")

    @admin.action(description="Mark in transit")
    def mark_in_transit(self, request, queryset):
        _run(self, request, queryset, lambda r, q: return_mark_in_transit(return_id=r.id, actor=_ops(q)),
             "marked in transit")

    @admin.action(description="Mark received and refund")
    def mark_received_and_refund(self, request, queryset):
        def action(ret, req):
            return_mark_received(return_id=ret.id, actor=_ops(req))
            return_refund(return_id=ret.id, actor=_ops(req))
        _run(self, request, queryset, action, "received and refunded")

    @admin.action(description="Retry the refund of received returns")
    def retry_refund(self, request, queryset):
        _run(self, request, queryset, lambda r, q: return_refund(return_id=r.id, actor=_ops(q)), "refund retried")

    @admin.action(description="Cancel (voids the label)")
    def cancel(self, request, queryset):
        _run(self, request, queryset, lambda r, q: return_cancel(return_id=r.id, actor=_ops(q),
                                                                 note="cancelled by ops"), "cancelled")


@admin.register(ReconciliationFinding)
class ReconciliationFindingAdmin(admin.ModelAdmin):
    list_display = ("kind", "subject", "status", "action", "alerted_at", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("subject",)
    readonly_fields = ("kind", "subject", "action", "details", "alerted_at", "created_at", "updated_at")
    fields = ("kind", "subject", "status", "action", "details", "alerted_at", "created_at", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False


class MerchantReturnItemAdmin(MerchantScopedAdmin):
    """Merchant portal: the returned units of the merchant's own products (read-only)."""

    merchant_field = "merchant"
    list_display = ("ret", "return_status", "product_id", "name", "quantity", "reason", "refund_amount",
                    "created_at")
    list_filter = ("reason", "ret__status")
    search_fields = ("ret__id", "product_id", "name")
    readonly_fields = ("ret", "order_line_id", "product_id", "name", "quantity", "unit_price", "refund_amount",
                       "reason", "note")
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("ret").exclude(ret__is_test=True)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="status", ordering="ret__status")
    def return_status(self, item: ReturnItem) -> str:
        return item.ret.get_status_display()

    @admin.display(description="requested", ordering="ret__created_at")
    def created_at(self, item: ReturnItem):
        return item.ret.created_at


merchant_site.register(ReturnItem, MerchantReturnItemAdmin)
