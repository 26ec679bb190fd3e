"""Request and response shapes of the returns API (also what the OpenAPI document shows)."""
from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.money import MoneyField
from apps.core.serializers import BlankAsNullField
from apps.returns.models import Return, ReturnReason, ReturnStatus
from apps.returns.presentation import label_url


class GuestIdentitySerializer(serializers.Serializer):
    """Guests identify the order with the checkout email and the confirmation token."""

    email = serializers.EmailField(required=False, help_text="Email used at checkout (guests).")
    confirmation_token = serializers.CharField(required=False, max_length=64,
                                               help_text="The order's `cnf_…` confirmation token (guests).")


class ReturnItemInputSerializer(serializers.Serializer):
    order_line_id = serializers.CharField(max_length=64)
    quantity = serializers.IntegerField(min_value=1, max_value=10_000)
    reason = serializers.ChoiceField(choices=ReturnReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class ReturnCreateInputSerializer(GuestIdentitySerializer):
    order_id = serializers.CharField(max_length=64)
    items = ReturnItemInputSerializer(many=True, required=False, help_text=(
        "Lines to return. Omit to return every unit of the order that can still be returned, all with `reason`."))
    reason = serializers.ChoiceField(choices=ReturnReason.choices, required=False,
                                     default=ReturnReason.NO_LONGER_NEEDED,
                                     help_text="Reason used for every line when `items` is omitted.")


class ReturnStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[ReturnStatus.IN_TRANSIT, ReturnStatus.RECEIVED])
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    damaged_order_line_ids = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, default=list, max_length=200,
        help_text="With `received`: items the warehouse found damaged; they are not put back into stock")


class ReturnItemOutputSerializer(serializers.Serializer):
    order_line_id = serializers.CharField()
    product_id = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    reason = serializers.CharField()
    note = serializers.CharField()
    unit_price = MoneyField()
    refund_amount = MoneyField()


class ReturnTransitionOutputSerializer(serializers.Serializer):
    from_status = BlankAsNullField()
    to_status = serializers.CharField()
    actor_type = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")


class ReturnOutputSerializer(serializers.Serializer):
    """A return as shoppers and services see it; needs the request in its context (absolute label link)."""

    return_id = serializers.CharField(source="id")
    order_id = serializers.CharField()
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    label_url = serializers.SerializerMethodField(help_text=(
        "Signed link to the label PDF; expires after `label_url_expires_in_seconds`. Null until a label exists."))
    label_url_expires_in_seconds = serializers.SerializerMethodField()
    carrier = BlankAsNullField(source="label_carrier")
    tracking_code = BlankAsNullField(source="label_tracking_code")
    items = ReturnItemOutputSerializer(many=True, source="items.all")
    refund_estimate = MoneyField()
    refunded_amount = MoneyField()
    currency = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    history = ReturnTransitionOutputSerializer(many=True, source="transitions.all")

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_label_url(self, ret: Return) -> str | None:
        return label_url(ret, request=self.context["request"])

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_label_url_expires_in_seconds(self, ret: Return) -> int | None:
        return settings.RETURN_LABEL_URL_TTL_SECONDS if ret.has_label else None


class ReturnListOutputSerializer(serializers.Serializer):
    results = ReturnOutputSerializer(many=True)
