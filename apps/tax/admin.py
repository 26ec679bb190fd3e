"""Ops admin for tax: the rate table (the `table` provider's configuration, and where prices include tax for
every provider), the Stripe Tax transactions of paid orders and their reversals for refunds (read-only, with
"record again" actions)."""
from django.contrib import admin, messages

from .models import TaxRate, TaxReversal, TaxTransaction
from .services.reversals import tax_reversals_retry
from .services.transactions import tax_transactions_retry


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "state", "zip_prefix", "standard_rate", "reduced_rate", "shipping_taxable",
                    "prices_include_tax", "updated_at")
    list_filter = ("country", "shipping_taxable", "prices_include_tax")
    search_fields = ("name", "country", "state", "zip_prefix")
    fieldsets = (
        ("Jurisdiction", {"fields": ("name", "country", "state", "zip_prefix"),
                          "description": "For an address the most specific row wins: the longest matching ZIP "
                                         "prefix, then the state's row, then the country's. Addresses no row "
                                         "covers are not taxed."}),
        ("Rates (percent)", {"fields": ("standard_rate", "reduced_rate")}),
        ("Rules", {"fields": ("shipping_taxable", "prices_include_tax")}),
    )


@admin.register(TaxTransaction)
class TaxTransactionAdmin(admin.ModelAdmin):
    list_display = ("reference", "status", "stripe_transaction_id", "attempts", "last_attempt_at", "created_at",
                    "recorded_at")
    list_filter = ("status",)
    search_fields = ("reference", "calculation_id", "stripe_transaction_id")
    readonly_fields = ("reference", "calculation_id", "status", "stripe_transaction_id", "attempts", "last_attempt_at",
                       "last_error", "created_at", "recorded_at")
    actions = ["record_again"]

    def has_add_permission(self, request) -> bool:
        return False  # written by checkout when an order is paid

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Record again at Stripe (refused or pending ones)", permissions=["change"])
    def record_again(self, request, queryset):
        count = tax_transactions_retry(references=list(queryset.values_list("reference", flat=True)))
        self.message_user(request, f"{count} transaction(s) queued for Stripe Tax.", messages.SUCCESS)


@admin.register(TaxReversal)
class TaxReversalAdmin(admin.ModelAdmin):
    list_display = ("reference", "transaction_reference", "mode", "status", "stripe_reversal_id", "attempts",
                    "last_attempt_at", "created_at", "recorded_at")
    list_filter = ("status",)
    search_fields = ("reference", "transaction_reference", "stripe_reversal_id")
    readonly_fields = ("reference", "transaction_reference", "lines", "flat_amount", "sent_line_items", "status",
                       "stripe_reversal_id", "attempts", "last_attempt_at", "last_error", "created_at", "recorded_at")
    actions = ["reverse_again"]

    def has_add_permission(self, request) -> bool:
        return False  # written by checkout and returns when money goes back

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Reverse again at Stripe (refused or pending ones)", permissions=["change"])
    def reverse_again(self, request, queryset):
        count = tax_reversals_retry(references=list(queryset.values_list("reference", flat=True)))
        self.message_user(request, f"{count} reversal(s) queued for Stripe Tax.", messages.SUCCESS)
