"""Experiments' Prometheus metrics: flag evaluations by served value (Grafana panel 5, the seed's
"Feature Flag Distribution"). Flag keys are a small, ops-managed set, so the labels stay bounded."""
from prometheus_client import Counter

FLAG_EVALUATIONS = Counter("feature_flag_evaluations", "Flag evaluations by flag and served value",
                           ["flag", "variation"])
