"""The merchant portal's low-stock alerts page (/merchant/inventory/lowstockalert/): the merchant's
own products at or below threshold, most urgent first, with the ops panel's urgency badges
(static/css/urgency.css). Read-only: alerts are opened and resolved by the stock check alone."""
from django.contrib import admin
from django.db.models import F
from django.utils.html import format_html

from apps.core.merchant_portal import MerchantScopedAdmin, merchant_site

from .models import LowStockAlert


class AlertStatusFilter(admin.SimpleListFilter):
    """Active alerts unless asked otherwise: a resolved alert needs no action."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("resolved", "Resolved"), ("all", "All")]

    def value(self):
        return super().value() or "active"

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {"selected": self.value() == lookup, "display": title,
                   "query_string": changelist.get_query_string({self.parameter_name: lookup})}

    def queryset(self, request, queryset):
        return queryset if self.value() == "all" else queryset.filter(status=self.value())


@admin.display(description="urgency", ordering="urgency")
def urgency_badge(alert: LowStockAlert) -> str:
    return format_html('<span class="urgency urgency-{}">{}</span>', alert.urgency, alert.urgency)


@admin.display(description="% of threshold")
def percent_of_threshold(alert: LowStockAlert) -> str:
    return f"{alert.percent_of_threshold}%"


class MerchantLowStockAlertAdmin(MerchantScopedAdmin):
    list_display = (urgency_badge, "product_name", "sku", "current_stock", "threshold", percent_of_threshold,
                    "estimated_stockout_date", "supplier_name", "status")
    list_display_links = ("product_name",)
    list_filter = (AlertStatusFilter, "urgency")
    search_fields = ("sku", "product_name")
    ordering = (F("estimated_stockout_date").asc(nulls_last=True), "id")
    fields = ("id", "product_id", "product_name", "sku", "category_name", "current_stock", "threshold",
              "threshold_type", "avg_daily_sales", "estimated_stockout_date", "urgency", "supplier_name",
              "supplier_lead_time_days", "channels", "status", "last_alerted_at", "created_at", "resolved_at")
    readonly_fields = fields

    class Media:
        css = {"all": ["css/urgency.css"]}

    def has_change_permission(self, request, obj=None) -> bool:
        return False


merchant_site.register(LowStockAlert, MerchantLowStockAlertAdmin)
