"""The `self_service_returns` flag of the experiments app decides (the setting only forces it on)."""
import pytest
from django.apps import apps as django_apps

from apps.returns.models import Return

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(settings):
    """The seeded flag, re-read on every evaluation (no cache) so the test can flip it."""
    settings.FLAGS_CACHE_CHECK_MS = 0
    settings.FLAGS_CACHE_MAX_AGE_SECONDS = 0
    model = django_apps.get_model("experiments", "Flag")

    def set_flag(*, enabled: bool, rollout_percentage: int) -> None:
        model.objects.filter(key="self_service_returns").update(enabled=enabled,
                                                                rollout_percentage=rollout_percentage)

    return set_flag


def test_flag_on_for_everyone_opens_returns(flag, make_order, create_return):
    flag(enabled=True, rollout_percentage=100)
    assert create_return(make_order()).status_code == 201


@pytest.mark.parametrize(("enabled", "rollout"), [(False, 100), (True, 0)])
def test_flag_off_or_not_rolled_out_keeps_returns_closed(flag, make_order, create_return, enabled, rollout):
    flag(enabled=enabled, rollout_percentage=rollout)
    response = create_return(make_order())
    assert (response.status_code, response.json()["error"]) == (404, "FEATURE_DISABLED")
    assert not Return.objects.exists()
