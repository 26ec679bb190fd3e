"""Flag evaluations are counted per flag and served value (the Prometheus series Grafana reads)."""
import pytest
from prometheus_client import REGISTRY

from apps.experiments import public
from apps.experiments.services.flags import flag_create

pytestmark = pytest.mark.django_db


def evaluations(flag: str, variation: str) -> float:
    return REGISTRY.get_sample_value("feature_flag_evaluations_total", {"flag": flag, "variation": variation}) or 0.0


def test_every_evaluation_is_counted_under_the_value_it_served(staff_user):
    # given a boolean flag on for us-east-1 and a flag serving strings
    flag_create(key="counted", actor=staff_user, enabled=True, rules=[{"when": "region = 'us-east-1'"}])
    flag_create(key="counted_copy", actor=staff_user, enabled=True, rollout_percentage=100,
                on_value="Variant-B", fallback_value="a")
    before = {variation: evaluations("counted", variation) for variation in ("true", "false")}
    copy_before = evaluations("counted_copy", "variant-b")
    # when they are evaluated
    for _ in range(3):
        public.is_enabled("counted", {"user_id": 1, "region": "us-east-1"})
    public.is_enabled("counted", {"user_id": 1, "region": "eu-west-1"})
    public.evaluate("counted_copy", {"user_id": 1})
    public.is_enabled("no_such_flag", {"user_id": 1})
    # then each served value has its own series
    assert evaluations("counted", "true") - before["true"] == 3
    assert evaluations("counted", "false") - before["false"] == 1
    assert evaluations("counted_copy", "variant-b") - copy_before == 1
    assert evaluations("no_such_flag", "false") >= 1
