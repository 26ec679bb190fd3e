"""Request and response shapes of the experiments API."""
from rest_framework import serializers

from apps.core.money import MoneyField

from ..selectors.common import MAX_DAYS


class FlagsEvaluateInputSerializer(serializers.Serializer):
    context = serializers.DictField(help_text="Attributes: user_id or session_id, region, device, ...")
    flags = serializers.ListField(child=serializers.CharField(max_length=100), required=False,
                                  help_text="Only these flag keys (default: every flag).")


class FlagsEvaluateOutputSerializer(serializers.Serializer):
    flags = serializers.DictField(child=serializers.JSONField())


# Bounds far beyond any real experiment that keep the statistics in finite floating point (10^20
# units, or weights summing past 1e308, used to overflow into a 500).
MAX_UNITS = 10**12
MAX_WEIGHT = 1e9


class VariantCountsSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    units = serializers.IntegerField(min_value=0, max_value=MAX_UNITS)
    conversions = serializers.IntegerField(min_value=0, max_value=MAX_UNITS)


class AnalyzeInputSerializer(serializers.Serializer):
    control = serializers.CharField(max_length=60)
    variants = VariantCountsSerializer(many=True, min_length=2)
    planned_allocation = serializers.DictField(child=serializers.FloatField(min_value=0, max_value=MAX_WEIGHT),
                                               required=False)
    confidence_level = serializers.FloatField(min_value=0.5, max_value=0.999, default=0.95)


class VariantResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    is_control = serializers.BooleanField()
    units = serializers.IntegerField()
    conversions = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    rate_ci = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    absolute_lift = serializers.FloatField(allow_null=True)
    absolute_lift_ci = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    relative_lift = serializers.FloatField(allow_null=True)
    relative_lift_ci = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    z_score = serializers.FloatField(allow_null=True)
    p_value = serializers.FloatField(allow_null=True)
    significant = serializers.BooleanField()


class SrmCheckSerializer(serializers.Serializer):
    chi_square = serializers.FloatField()
    degrees_of_freedom = serializers.IntegerField()
    p_value = serializers.FloatField()
    flagged = serializers.BooleanField()
    alpha = serializers.FloatField()
    observed = serializers.DictField(child=serializers.IntegerField())
    expected = serializers.DictField(child=serializers.FloatField())


class AnalysisSerializer(serializers.Serializer):
    control = serializers.CharField()
    confidence_level = serializers.FloatField()
    variants = VariantResultSerializer(many=True)
    srm = SrmCheckSerializer(allow_null=True)


class DateRangeQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text=(
        f"First day (UTC), default 29 days before end. On or before end and at most {MAX_DAYS} days before it "
        "(else 422 OUT_OF_RANGE; OpenAPI cannot state a rule between two parameters)."))
    end = serializers.DateField(required=False, help_text="Last day (UTC), default today.")
    granularity = serializers.ChoiceField(choices=["day", "week", "month"], required=False, default="day")


class ExperimentSummarySerializer(serializers.Serializer):
    experiment_id = serializers.CharField()
    key = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    winner = serializers.CharField(allow_null=True)
    control = serializers.CharField()
    planned_allocation = serializers.DictField(child=serializers.FloatField())
    flag = serializers.CharField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    concluded_at = serializers.DateTimeField(allow_null=True)


class ExperimentListOutputSerializer(serializers.Serializer):
    experiments = ExperimentSummarySerializer(many=True)


class ExposureCheckSerializer(serializers.Serializer):
    units = serializers.DictField(child=serializers.IntegerField())
    srm = SrmCheckSerializer(allow_null=True)


class FunnelStepSerializer(serializers.Serializer):
    step = serializers.CharField()
    units = serializers.IntegerField()
    drop_off_from_previous = serializers.FloatField(allow_null=True)
    median_seconds_from_previous = serializers.FloatField(allow_null=True)


class VariantFunnelSerializer(serializers.Serializer):
    variant = serializers.CharField()
    steps = FunnelStepSerializer(many=True)
    median_total_seconds = serializers.FloatField(allow_null=True)


class VerdictSerializer(serializers.Serializer):
    """The winner the data supports (null: no significant difference yet, or the SRM check failed)."""

    winner = serializers.CharField(allow_null=True)
    srm_failed = serializers.BooleanField()
    p_value = serializers.FloatField(allow_null=True)


class ExperimentResultsOutputSerializer(serializers.Serializer):
    experiment = ExperimentSummarySerializer()
    primary_metric = serializers.CharField()
    exposures = ExposureCheckSerializer()
    overall = AnalysisSerializer()
    verdict = VerdictSerializer()
    segments = serializers.DictField(child=AnalysisSerializer())
    funnel = VariantFunnelSerializer(many=True)


class DateRangeSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    granularity = serializers.CharField()


class MethodFunnelStepSerializer(serializers.Serializer):
    step = serializers.CharField()
    units = serializers.IntegerField()
    rate_from_start = serializers.FloatField(allow_null=True)


class PaymentMethodRowSerializer(serializers.Serializer):
    method = serializers.CharField()
    orders = serializers.IntegerField()
    revenue = MoneyField()
    average_order_value = MoneyField(allow_null=True)
    payments_completed = serializers.IntegerField()
    payments_failed = serializers.IntegerField()
    error_rate = serializers.FloatField(allow_null=True)
    errors_by_code = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    funnel = MethodFunnelStepSerializer(many=True)
    conversion_rate = serializers.FloatField(allow_null=True)


class PaymentMethodPointSerializer(serializers.Serializer):
    bucket = serializers.DateField()
    orders = serializers.DictField(child=serializers.IntegerField())
    revenue = serializers.DictField(child=MoneyField())


class PaymentMethodDashboardSerializer(serializers.Serializer):
    range = DateRangeSerializer()
    methods = PaymentMethodRowSerializer(many=True)
    series = PaymentMethodPointSerializer(many=True)


class CompletionSecondsSerializer(serializers.Serializer):
    p50 = serializers.FloatField(allow_null=True)
    p90 = serializers.FloatField(allow_null=True)
    p99 = serializers.FloatField(allow_null=True)


class ConversionPointSerializer(serializers.Serializer):
    started = serializers.IntegerField()
    converted = serializers.IntegerField()
    conversion_rate = serializers.FloatField(allow_null=True)
    completion_seconds = CompletionSecondsSerializer()


class ConversionBucketSerializer(ConversionPointSerializer):
    bucket = serializers.DateField(allow_null=True, help_text="Null in `total` (every bucket).")


class ConversionRegionSerializer(ConversionPointSerializer):
    region = serializers.CharField()


class FlagDistributionSerializer(serializers.Serializer):
    flag = serializers.CharField()
    visitors = serializers.IntegerField()
    sampled = serializers.BooleanField()
    values = serializers.DictField(child=serializers.IntegerField())


class GuestCheckoutDashboardSerializer(serializers.Serializer):
    range = DateRangeSerializer()
    total = ConversionBucketSerializer()
    series = ConversionBucketSerializer(many=True)
    regions = ConversionRegionSerializer(many=True)
    flag_distribution = FlagDistributionSerializer()
