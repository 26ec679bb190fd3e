"""Request and response shapes of the experiments API."""
from rest_framework import serializers


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
    start = serializers.DateField(required=False, help_text="First day (UTC), default 29 days before end.")
    end = serializers.DateField(required=False, help_text="Last day (UTC), default today.")
    granularity = serializers.ChoiceField(choices=["day", "week", "month"], required=False, default="day")
