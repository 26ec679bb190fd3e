"""Request and response shapes of the inventory API (PR #4788's samples are the contract)."""
from datetime import UTC

from rest_framework import serializers

from apps.core.schema_constraints import schema_hint

from ..models import InventoryThreshold, LowStockAlert, StockMovement
from ..models.alerts import Urgency
from ..models.thresholds import Channel, ThresholdType
from ..rules import LEAD_DAYS_RANGE, PERCENTAGE_RANGE
from ..selectors import ALERT_SORTS
from ..services.webhooks import SECRET_MIN_LENGTH

SECONDS_UTC = "%Y-%m-%dT%H:%M:%SZ"
ADJUSTMENT_REASONS = [StockMovement.Reason.ADJUSTMENT, StockMovement.Reason.RESTOCK, StockMovement.Reason.RETURN,
                      StockMovement.Reason.DAMAGE]


# Pages are bounded so the OFFSET stays a PostgreSQL bigint (the proof's fuzzing found page=10**30 a 500).
MAX_PAGE = 1_000_000

class UtcSecondsField(serializers.DateTimeField):
    """`2025-10-15T10:45:12Z`, as in the seed samples."""

    def __init__(self, **kwargs):
        super().__init__(format=SECONDS_UTC, default_timezone=None, **kwargs)

    def to_representation(self, value):
        return None if value is None else value.astimezone(UTC).strftime(SECONDS_UTC)


# What `webhook_url_errors` accepts at save time, conservatively: https, a host name (an IP literal or a name
# in a private network is refused after DNS), no credentials. TLDs of 2 to 8 letters keep `x.localhost` out;
# the path has RFC 3986's characters only (no `%`-escapes), so the URL answered back is a valid `uri` too.
WEBHOOK_URL_PATTERN = (r"^https://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,8}"
                       r"(?::[1-9][0-9]{0,3})?(?:/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?$")
WEBHOOK_URL_HINT = schema_hint(pattern=WEBHOOK_URL_PATTERN, format=None)
WEBHOOK_SECRET_HINT = schema_hint(minLength=SECRET_MIN_LENGTH)


def threshold_value_rules(*, bulk: bool = False) -> list[dict]:
    """`threshold_spec_errors` as a schema: an absolute threshold needs threshold_value, a relative one
    threshold_percentage (and a bulk one reorder_lead_days), not null."""
    relative_needs = ["threshold_percentage", "reorder_lead_days"] if bulk else ["threshold_percentage"]
    return [
        {"properties": {"threshold_type": {"enum": [ThresholdType.ABSOLUTE]}, "threshold_value": {"type": "integer"}},
         "required": ["threshold_type", "threshold_value"]},
        {"properties": {"threshold_type": {"enum": [ThresholdType.RELATIVE]},
                        **{name: {"type": "integer"} for name in relative_needs}},
         "required": ["threshold_type", *relative_needs]},
    ]


class ThresholdSpecFields(serializers.Serializer):
    threshold_type = serializers.ChoiceField(choices=ThresholdType.choices)
    threshold_value = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False, allow_null=True)
    threshold_percentage = serializers.IntegerField(min_value=PERCENTAGE_RANGE[0], max_value=PERCENTAGE_RANGE[1],
                                                    required=False, allow_null=True)
    reorder_lead_days = serializers.IntegerField(min_value=LEAD_DAYS_RANGE[0], max_value=LEAD_DAYS_RANGE[1],
                                                 required=False, allow_null=True)
    alert_channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices), min_length=1,
                                           max_length=4, required=False)


class ThresholdCreateInput(ThresholdSpecFields):
    openapi_extra = {"oneOf": threshold_value_rules()}

    product_id = serializers.CharField(max_length=64)
    sku = serializers.CharField(max_length=64, required=False)
    webhook_url = serializers.URLField(max_length=500, required=False, style=WEBHOOK_URL_HINT)
    webhook_secret = serializers.CharField(max_length=200, required=False, write_only=True, trim_whitespace=False,
                                           style=WEBHOOK_SECRET_HINT)


class ThresholdUpdateInput(ThresholdSpecFields):
    # Changing the type needs the new type's value; leaving it out keeps the stored type and its value,
    # which a null would erase.
    openapi_extra = {"oneOf": [*threshold_value_rules(), {
        "not": {"required": ["threshold_type"]},
        "properties": {name: {"type": "integer"} for name in ("threshold_value", "threshold_percentage")}}]}

    threshold_type = serializers.ChoiceField(choices=ThresholdType.choices, required=False)
    webhook_url = serializers.URLField(max_length=500, required=False, style=WEBHOOK_URL_HINT)
    webhook_secret = serializers.CharField(max_length=200, required=False, write_only=True, trim_whitespace=False,
                                           style=WEBHOOK_SECRET_HINT)


class ThresholdOutput(serializers.Serializer):
    """The seed's 201 body; an absolute threshold shows threshold_value instead of percentage and lead days."""

    threshold_id = serializers.CharField(source="id")
    product_id = serializers.CharField()
    sku = serializers.CharField()
    threshold_type = serializers.ChoiceField(choices=ThresholdType.choices)
    threshold_value = serializers.IntegerField(required=False)
    threshold_percentage = serializers.IntegerField(required=False)
    reorder_lead_days = serializers.IntegerField(required=False)
    computed_threshold_units = serializers.IntegerField()
    avg_daily_sales = serializers.SerializerMethodField()
    alert_channels = serializers.ListField(child=serializers.CharField())
    created_at = UtcSecondsField()

    def get_avg_daily_sales(self, threshold) -> float:
        return float(round(threshold.avg_daily_sales, 2))

    def to_representation(self, instance: InventoryThreshold):
        body = super().to_representation(instance)
        hidden = ("threshold_value",) if instance.threshold_type == ThresholdType.RELATIVE else (
            "threshold_percentage", "reorder_lead_days")
        return {key: value for key, value in body.items() if key not in hidden}


class ThresholdDetailOutput(ThresholdOutput):
    last_alerted_at = UtcSecondsField(allow_null=True)
    updated_at = UtcSecondsField()


class ThresholdListQuery(serializers.Serializer):
    product_id = serializers.CharField(required=False)
    category = serializers.SlugField(required=False)
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=1)
    per_page = serializers.IntegerField(min_value=1, max_value=100, default=20)


class ThresholdListOutput(serializers.Serializer):
    thresholds = ThresholdDetailOutput(many=True)
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    per_page = serializers.IntegerField()


class BulkInput(ThresholdSpecFields):
    openapi_extra = {"oneOf": threshold_value_rules(bulk=True)}

    category = serializers.SlugField(max_length=50)
    override_existing = serializers.BooleanField(default=False)


class BulkOutput(serializers.Serializer):
    applied = serializers.IntegerField()
    skipped = serializers.IntegerField()
    skipped_reason = serializers.CharField(allow_null=True)
    category = serializers.CharField()
    threshold_type = serializers.CharField()
    threshold_value = serializers.IntegerField(required=False)
    threshold_percentage = serializers.IntegerField(required=False)
    reorder_lead_days = serializers.IntegerField(required=False)


class AlertListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=["active", "resolved", "all"], default="active")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    category = serializers.SlugField(required=False)
    product_id = serializers.CharField(required=False)
    sort = serializers.ChoiceField(choices=list(ALERT_SORTS), default="stockout_eta")
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=1)
    per_page = serializers.IntegerField(min_value=1, max_value=100, default=20)


class AlertOutput(serializers.Serializer):
    alert_id = serializers.CharField(source="id")
    product_id = serializers.CharField()
    sku = serializers.CharField()
    product_name = serializers.CharField()
    current_stock = serializers.IntegerField()
    threshold = serializers.IntegerField()
    threshold_type = serializers.CharField()
    avg_daily_sales = serializers.SerializerMethodField()
    estimated_stockout_date = serializers.DateField(allow_null=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    last_alerted_at = UtcSecondsField(allow_null=True)

    def get_avg_daily_sales(self, alert: LowStockAlert) -> float:
        return float(round(alert.avg_daily_sales, 2))


class AlertListOutput(serializers.Serializer):
    alerts = AlertOutput(many=True)
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    per_page = serializers.IntegerField()


class StockSetInput(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=0, max_value=100_000_000)
    note = serializers.CharField(max_length=200, required=False, default="")


class StockOutput(serializers.Serializer):
    product_id = serializers.CharField()
    on_hand = serializers.IntegerField()
    threshold_units = serializers.IntegerField(allow_null=True)
    avg_daily_sales = serializers.FloatField()
    updated_at = UtcSecondsField()


class AdjustmentInput(serializers.Serializer):
    delta = serializers.IntegerField(min_value=-100_000_000, max_value=100_000_000,
                                     style=schema_hint(**{"not": {"enum": [0]}}))
    reason = serializers.ChoiceField(choices=ADJUSTMENT_REASONS, default=StockMovement.Reason.ADJUSTMENT)
    note = serializers.CharField(max_length=200, required=False, default="")

    def validate_delta(self, value: int) -> int:
        if value == 0:
            raise serializers.ValidationError("delta must not be 0: send the change in units (+ received, - lost).",
                                              code="min_value")
        return value


class MovementOutput(serializers.Serializer):
    movement_id = serializers.IntegerField(source="id")
    product_id = serializers.CharField()
    delta = serializers.IntegerField()
    reason = serializers.CharField()
    note = serializers.CharField()
    balance_after = serializers.IntegerField()
    created_at = UtcSecondsField()


class MovementListOutput(serializers.Serializer):
    movements = MovementOutput(many=True)


class WebhookEndpointInput(serializers.Serializer):
    url = serializers.URLField(max_length=500, style=WEBHOOK_URL_HINT)
    secret = serializers.CharField(max_length=200, required=False, write_only=True, trim_whitespace=False,
                                   style=WEBHOOK_SECRET_HINT)


class WebhookEndpointOutput(serializers.Serializer):
    """No secret here, ever: it is write-only."""

    url = serializers.URLField()
    active = serializers.BooleanField()
    has_secret = serializers.SerializerMethodField()
    updated_at = UtcSecondsField()

    def get_has_secret(self, endpoint) -> bool:
        return bool(endpoint.secret)


class WebhookAttemptOutput(serializers.Serializer):
    number = serializers.IntegerField()
    status_code = serializers.IntegerField(allow_null=True)
    latency_ms = serializers.IntegerField()
    error = serializers.CharField()
    created_at = UtcSecondsField()


class WebhookDeliveryOutput(serializers.Serializer):
    webhook_id = serializers.CharField(source="event_id")
    event_type = serializers.CharField()
    alert_id = serializers.CharField()
    status = serializers.CharField()
    attempts = WebhookAttemptOutput(many=True, source="attempt_log.all")
    next_attempt_at = UtcSecondsField(allow_null=True)
    created_at = UtcSecondsField()


class WebhookDeliveryListOutput(serializers.Serializer):
    deliveries = WebhookDeliveryOutput(many=True)
