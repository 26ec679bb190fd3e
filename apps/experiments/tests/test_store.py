"""The in-process flag cache: compiled rules follow every change, and a fresh snapshot costs no I/O."""
import uuid

import pytest

from apps.core.redis import get_redis
from apps.experiments import public
from apps.experiments.models import Flag
from apps.experiments.services.flags import flag_create, flag_update
from apps.experiments.store import VERSION_KEY

pytestmark = pytest.mark.django_db

US = {"user_id": 1, "region": "us-east-1"}
EU = {"user_id": 1, "region": "eu-west-1"}


@pytest.fixture
def long_check_interval(settings):
    """A check interval longer than any test: only the process's own changes can reload the cache."""
    settings.FLAGS_CACHE_CHECK_MS = 600_000


def test_a_changed_rule_is_recompiled_before_the_next_evaluation(long_check_interval, staff_user):
    # given a flag whose compiled rule serves us-east-1 only
    flag = flag_create(key="regional", actor=staff_user, enabled=True, rules=[{"when": "region = 'us-east-1'"}])
    assert public.is_enabled("regional", US) and not public.is_enabled("regional", EU)
    # when its rule changes through the services
    flag_update(flag=flag, actor=staff_user, data={"rules": [{"when": "region = 'eu-west-1'", "value": "eu"}]})
    # then the very next evaluation in this process uses the new rule and its value
    assert public.evaluate("regional", EU) == "eu"
    assert not public.is_enabled("regional", US)


def test_a_fresh_snapshot_reads_nothing_until_the_check_interval_says_so(long_check_interval, settings):
    # given flags loaded in this process
    assert not public.is_enabled("self_service_returns", US)
    # when another process turns the flag on and bumps the version (here: behind the services' back)
    Flag.objects.filter(key="self_service_returns").update(enabled=True, rollout_percentage=100)
    # (a value no earlier test can have left: each test starts with an empty Redis, so incr could repeat one)
    get_redis().set(VERSION_KEY, f"test-{uuid.uuid4()}")
    # then this process keeps serving its snapshot without looking at Redis or the database
    assert not public.is_enabled("self_service_returns", US)
    # when the check interval is shortened, then the next evaluation reads the version and reloads
    settings.FLAGS_CACHE_CHECK_MS = 0
    assert public.is_enabled("self_service_returns", US)
