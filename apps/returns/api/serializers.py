"""Request and response shapes of the returns API (also what the OpenAPI document shows)."""
from rest_framework import serializers

from apps.returns.models import ReturnReason, ReturnStatus


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


class ReturnItemOutputSerializer(serializers.Serializer):
    order_line_id = serializers.CharField()
    product_id = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    reason = serializers.CharField()
    note = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    refund_amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class ReturnTransitionOutputSerializer(serializers.Serializer):
    from_status = serializers.CharField(allow_null=True)
    to_status = serializers.CharField()
    actor_type = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField()


class ReturnOutputSerializer(serializers.Serializer):
    return_id = serializers.CharField()
    order_id = serializers.CharField()
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    label_url = serializers.URLField(allow_null=True, help_text=(
        "Signed link to the label PDF; expires after `label_url_expires_in_seconds`. Null until a label exists."))
    label_url_expires_in_seconds = serializers.IntegerField(allow_null=True)
    carrier = serializers.CharField(allow_null=True)
    tracking_code = serializers.CharField(allow_null=True)
    items = ReturnItemOutputSerializer(many=True)
    refund_estimate = serializers.DecimalField(max_digits=12, decimal_places=2)
    refunded_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    history = ReturnTransitionOutputSerializer(many=True)


class ReturnListOutputSerializer(serializers.Serializer):
    results = ReturnOutputSerializer(many=True)
