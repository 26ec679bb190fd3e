"""Ops admin (/admin/) and merchant-portal (/merchant/) registrations for inventory.

Merchants see only their own thresholds, webhook endpoint and delivery log; the webhook secret is
write-only in both sites (a password input that is never filled back in). Alert channels are
checkboxes; in the portal, ticking "webhook" shows the endpoint's URL (and secret) right there.
Every delivery shows the last attempt's error, and its body wrapped in full. Deliveries (webhook, PagerDuty,
digest) are view-only in every site they appear in (an audit trail: see DeliveryAuditTrailMixin).
The portal's low-stock alerts page is in admin_portal_alerts.py.
"""
import json

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from apps.catalog.public import product_info_list
from apps.core.merchant_portal import MerchantScopedAdmin, merchant_id_for_user, merchant_site

from . import admin_portal_alerts  # noqa: F401 — registers the portal's low-stock alerts page
from .integrations.webhooks.url_safety import UnsafeWebhookUrl, webhook_url_check
from .models import (
    CategoryThresholdRule,
    DigestDelivery,
    DigestRecipient,
    InventoryThreshold,
    LowStockAlert,
    PagerDutyEvent,
    StockCheckRun,
    StockLevel,
    StockMovement,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from .models.thresholds import Channel
from .services.thresholds import (
    ThresholdSpecInput,
    stock_thresholds_refresh,
    threshold_create,
    threshold_create_errors,
    threshold_spec_errors,
    threshold_update,
)
from .services.webhooks import webhook_endpoint_save, webhook_test_send, webhook_url_errors


class WebhookEndpointForm(forms.ModelForm):
    """The secret can be set or replaced, never read back; leaving it blank keeps the current one."""

    url = forms.URLField(label="URL", max_length=500, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=False), required=False,
                             help_text="Write-only. Leave blank to keep the current secret.", min_length=16)

    class Meta:
        model = WebhookEndpoint
        fields = ("url", "secret", "active")

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            webhook_url_check(url, require_resolvable=False)
        except UnsafeWebhookUrl as problem:
            raise forms.ValidationError(str(problem)) from problem
        return url

    def clean_secret(self):
        secret = self.cleaned_data.get("secret")
        if not secret and not (self.instance.pk and self.instance.secret):
            raise forms.ValidationError("A new endpoint needs a secret of at least 16 characters.")
        return secret or self.instance.secret


@admin.action(description="Send test webhook")
def send_test_webhook(modeladmin, request, queryset):
    for endpoint in queryset.filter(active=True):
        delivery = webhook_test_send(endpoint=endpoint)
        modeladmin.message_user(request, f"Test webhook {delivery.event_id} queued for {endpoint.url}.",
                                messages.SUCCESS)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "status_code", "latency_ms", "error", "created_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.display(description="Last error")
def delivery_last_error(delivery: WebhookDelivery) -> str:
    return delivery.attempt_log.order_by("-number").values_list("error", flat=True).first() or "—"


@admin.display(description="Body")
def delivery_body(delivery: WebhookDelivery) -> str:
    try:
        text = json.dumps(json.loads(delivery.body), indent=2)
    except ValueError:
        text = delivery.body
    return format_html('<pre class="payload">{}</pre>', text)  # wrapped by static/css/admin.css


DELIVERY_DISPLAY = ("event_id", "event_type", "status", "attempts", "last_status_code", delivery_last_error,
                    "next_attempt_at", "created_at")


@admin.register(StockLevel)
class StockLevelAdmin(admin.ModelAdmin):
    list_display = ("product_id", "on_hand", "threshold_units", "avg_daily_sales", "category_slug", "last_alerted_at")
    search_fields = ("product_id",)
    list_filter = ("category_slug",)
    readonly_fields = ("on_hand", "threshold_units", "avg_daily_sales", "velocity_updated_at", "last_alerted_at")


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    list_display = ("product_id", "delta", "balance_after", "reason", "reference", "created_at")
    search_fields = ("product_id", "reference")
    list_filter = ("reason",)


class ThresholdForm(forms.ModelForm):
    """Refuses a spec the service would refuse, so the admin shows field errors instead of failing."""

    alert_channels = forms.MultipleChoiceField(choices=Channel.choices, widget=forms.CheckboxSelectMultiple,
                                               required=False, help_text="None ticked: the default channels.")

    class Meta:
        model = InventoryThreshold
        fields = ("threshold_type", "threshold_value", "threshold_percentage", "reorder_lead_days", "alert_channels")

    def clean(self):
        cleaned = super().clean()
        spec = ThresholdSpecInput(**{field: cleaned.get(field) for field in ThresholdSpecInput.__dataclass_fields__})
        for error in threshold_spec_errors(spec):
            self.add_error(error.field, error.message)
        channels = cleaned.get("alert_channels") or []
        if not isinstance(channels, list) or not set(channels) <= set(Channel.values):
            self.add_error("alert_channels", f"A list of channels among: {', '.join(Channel.values)}.")
        return cleaned


class ThresholdThroughServiceMixin:
    """Edits go through `threshold_update`, so units are recomputed and the stock row follows."""

    form = ThresholdForm

    def has_add_permission(self, request) -> bool:
        return False  # created through the API, where the product and channels are validated

    def save_model(self, request, obj, form, change):
        changes = {field: form.cleaned_data.get(field) for field in ThresholdSpecInput.__dataclass_fields__}
        threshold_update(threshold=InventoryThreshold.objects.get(pk=obj.pk), changes=changes)


@admin.register(InventoryThreshold)
class InventoryThresholdAdmin(ThresholdThroughServiceMixin, admin.ModelAdmin):
    list_display = ("id", "sku", "product_id", "threshold_type", "computed_threshold_units", "last_alerted_at")
    search_fields = ("id", "sku", "product_id")
    list_filter = ("threshold_type", "category_slug")
    readonly_fields = ("product_id", "sku", "merchant_id", "category_slug", "computed_threshold_units",
                       "last_alerted_at")


@admin.register(CategoryThresholdRule)
class CategoryThresholdRuleAdmin(admin.ModelAdmin):
    list_display = ("category_slug", "merchant_id", "threshold_type", "threshold_value", "threshold_percentage")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        stock_thresholds_refresh(category_slug=obj.category_slug)


@admin.register(LowStockAlert)
class LowStockAlertAdmin(admin.ModelAdmin):
    list_display = ("id", "sku", "product_name", "current_stock", "threshold", "urgency", "estimated_stockout_date",
                    "status", "paged", "last_alerted_at")
    list_filter = ("status", "urgency", "category_slug")
    search_fields = ("id", "sku", "product_id")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # opened, re-alerted and resolved by the stock check alone




@admin.register(StockCheckRun)
class StockCheckRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "evaluated", "alerted", "suppressed", "early_warning", "resolved", "paged")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a record of what one stock check did


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("merchant_id", "url", "active", "updated_at")
    actions = [send_test_webhook]

    def get_fields(self, request, obj=None):
        return ("merchant_id", "url", "secret", "active")


class DeliveryAuditTrailMixin:
    """Delivery records (merchant webhooks, PagerDuty events, digest emails) are the audit trail of what
    left the building and what came back: view-only in every admin site, for superusers too (no add, no
    edit, no delete). Only the delivery tasks write them; a webhook test send is started from the
    endpoint's "Send test webhook" action."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


DELIVERY_FIELDS = ("event_id", "event_type", "alert_id", "status", "attempts", "last_status_code",
                   delivery_last_error, "next_attempt_at", "delivered_at", "created_at", delivery_body)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(DeliveryAuditTrailMixin, admin.ModelAdmin):
    list_display = ("merchant_id", *DELIVERY_DISPLAY)
    list_filter = ("status", "event_type")
    search_fields = ("event_id", "alert_id")
    fields = readonly_fields = ("merchant_id", *DELIVERY_FIELDS)
    inlines = [WebhookAttemptInline]


@admin.register(PagerDutyEvent)
class PagerDutyEventAdmin(DeliveryAuditTrailMixin, admin.ModelAdmin):
    list_display = ("dedup_key", "action", "status", "attempts", "last_error", "sent_at")
    list_filter = ("status", "action")


@admin.register(DigestRecipient)
class DigestRecipientAdmin(admin.ModelAdmin):
    list_display = ("email", "urgencies", "active")


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(DeliveryAuditTrailMixin, admin.ModelAdmin):
    list_display = ("day", "recipient", "status", "item_count", "attempts", "last_error")


# --- merchant portal ---------------------------------------------------------------------------

class PortalThresholdForm(ThresholdForm):
    """The merchant's threshold with its webhook endpoint: the URL field (shown by alert-channels.js
    while "webhook" is ticked) sets the merchant's one endpoint, as `webhook_url` does in the API."""

    webhook_url = forms.URLField(label="Webhook URL", max_length=500, required=False, assume_scheme="https",
                                 help_text="Where low-stock alerts are POSTed (your one endpoint for all products).")
    webhook_secret = forms.CharField(label="Webhook secret", required=False, min_length=16,
                                     widget=forms.PasswordInput(render_value=False),
                                     help_text="Write-only. Needed for a new endpoint; leave blank to keep yours.")

    class Media:
        js = ("js/alert-channels.js",)

    def __init__(self, *args, merchant_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.merchant_id = merchant_id
        self.endpoint = WebhookEndpoint.objects.filter(merchant_id=merchant_id).first()
        if self.endpoint:
            self.fields["webhook_url"].initial = self.endpoint.url

    def clean(self):
        cleaned = super().clean()
        if Channel.WEBHOOK not in (cleaned.get("alert_channels") or []) or not cleaned.get("webhook_url"):
            return cleaned
        for error in webhook_url_errors(cleaned["webhook_url"]):
            self.add_error("webhook_url", error.message)
        if self.endpoint is None and not cleaned.get("webhook_secret"):
            self.add_error("webhook_secret", "A new webhook endpoint needs a secret of at least 16 characters.")
        return cleaned

    def endpoint_save(self) -> None:
        """Before the threshold (whose webhook channel needs the endpoint): only when the URL or secret changed."""
        url, secret = self.cleaned_data.get("webhook_url"), self.cleaned_data.get("webhook_secret") or None
        if Channel.WEBHOOK in self.cleaned_data.get("alert_channels", []) and url and (
                secret or self.endpoint is None or url != self.endpoint.url):
            webhook_endpoint_save(merchant_id=self.merchant_id, url=url, secret=secret)


class ThresholdCreateForm(PortalThresholdForm):
    """The portal's "Add threshold": one of the merchant's products that has no threshold yet, checked
    by the same rules as `POST /api/v1/inventory/thresholds` (webhook channel needs an endpoint, …)."""

    product_id = forms.ChoiceField(label="Product")

    class Meta(ThresholdForm.Meta):
        fields = ("product_id", *ThresholdForm.Meta.fields)

    def __init__(self, *args, merchant_id: int, **kwargs):
        super().__init__(*args, merchant_id=merchant_id, **kwargs)
        taken = set(InventoryThreshold.objects.filter(merchant_id=merchant_id).values_list("product_id", flat=True))
        products = sorted(product_info_list(merchant_id=merchant_id, active_only=False), key=lambda p: p.name)
        self.fields["product_id"].choices = [(p.product_id, f"{p.name} ({p.sku})") for p in products
                                             if p.product_id not in taken]

    def clean(self):
        cleaned = super().clean()
        if self.errors or not cleaned.get("product_id"):
            return cleaned
        for error in threshold_create_errors(product_id=cleaned["product_id"], spec=_spec(cleaned),
                                             webhook_url=cleaned.get("webhook_url")):
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned


def _spec(cleaned: dict) -> ThresholdSpecInput:
    return ThresholdSpecInput(**{field: cleaned.get(field) for field in ThresholdSpecInput.__dataclass_fields__})


class MerchantThresholdAdmin(ThresholdThroughServiceMixin, MerchantScopedAdmin):
    form = PortalThresholdForm
    list_display = ("id", "sku", "product_id", "threshold_type", "threshold_value", "threshold_percentage",
                    "reorder_lead_days", "computed_threshold_units", "alert_channels", "last_alerted_at")
    search_fields = ("sku", "product_id")
    readonly_fields = ("id", "product_id", "sku", "computed_threshold_units", "last_alerted_at")
    fields = ("id", "product_id", "sku", "threshold_type", "threshold_value", "threshold_percentage",
              "reorder_lead_days", "alert_channels", "webhook_url", "webhook_secret", "computed_threshold_units",
              "last_alerted_at")

    def has_add_permission(self, request) -> bool:
        return merchant_id_for_user(request.user) is not None

    def get_fields(self, request, obj=None):
        return self.fields if obj else (*ThresholdCreateForm.Meta.fields, "webhook_url", "webhook_secret")

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs) if obj is not None else ThresholdCreateForm
        merchant_id = merchant_id_for_user(request.user)

        class Form(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, merchant_id=merchant_id, **form_kwargs)

        return Form

    def save_model(self, request, obj, form, change):
        form.endpoint_save()
        if change:
            super().save_model(request, obj, form, change)
            return
        created = threshold_create(product_id=form.cleaned_data["product_id"],
                                   merchant_scope=merchant_id_for_user(request.user), spec=_spec(form.cleaned_data))
        obj.pk = obj.id = created.pk


class MerchantWebhookEndpointAdmin(MerchantScopedAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "active", "updated_at")
    actions = [send_test_webhook]

    def has_add_permission(self, request) -> bool:
        merchant_id = merchant_id_for_user(request.user)
        return merchant_id is not None and not WebhookEndpoint.objects.filter(merchant_id=merchant_id).exists()

    def save_model(self, request, obj, form, change):
        obj.merchant_id = merchant_id_for_user(request.user)
        super().save_model(request, obj, form, change)


class PortalWebhookAttemptInline(WebhookAttemptInline):
    """Portal members hold no Django permissions; the attempts shown are those of a delivery they may see."""

    def has_view_permission(self, request, obj=None) -> bool:
        return True


class MerchantWebhookDeliveryAdmin(DeliveryAuditTrailMixin, MerchantScopedAdmin):
    list_display = DELIVERY_DISPLAY
    list_filter = ("status",)
    fields = readonly_fields = DELIVERY_FIELDS
    inlines = [PortalWebhookAttemptInline]


merchant_site.register(InventoryThreshold, MerchantThresholdAdmin)
merchant_site.register(WebhookEndpoint, MerchantWebhookEndpointAdmin)
merchant_site.register(WebhookDelivery, MerchantWebhookDeliveryAdmin)
