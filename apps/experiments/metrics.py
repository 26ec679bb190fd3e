"""Experiments' Prometheus metrics: flag evaluations by served value (Grafana panel 5, the seed's
"Feature Flag Distribution"). Flag keys are a small, ops-managed set, so the labels stay bounded."""
from prometheus_client import Counter

FLAG_EVALUATIONS = Counter("feature_flag_evaluations", "Flag evaluations by flag and served value",
                           ["flag", "variation"])

# {flag key: (child for False, child for True)}: `labels()` sorts, formats and locks on every call,
# which cost more than the evaluation itself, so the boolean series are looked up once per key.
_BOOLEAN_SERIES: dict[str, tuple] = {}


def flag_evaluation_count(key: str, value) -> None:
    """Count one evaluation of `key` that served `value` (label: the value's lowercase text)."""
    if value is True or value is False:
        series = _BOOLEAN_SERIES.get(key)
        if series is None:
            series = _BOOLEAN_SERIES[key] = (FLAG_EVALUATIONS.labels(flag=key, variation="false"),
                                             FLAG_EVALUATIONS.labels(flag=key, variation="true"))
        series[value].inc()
    else:
        FLAG_EVALUATIONS.labels(flag=key, variation=str(value).lower()[:32]).inc()
