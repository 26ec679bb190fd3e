"""Fixtures of the experiments tests: a fresh in-process flag cache per test, staff and service clients."""
import pytest
from django.conf import settings

from apps.experiments.store import config_store


@pytest.fixture(autouse=True)
def _fresh_flag_cache():
    """The database rolls back between tests but a process's flag cache would not: start each
    test from what the database holds."""
    config_store.invalidate()
    yield
    config_store.invalidate()


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(username="ops", password="pw-ops-123", is_staff=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def service_headers() -> dict:
    return {"X-Service-Auth": f"Bearer {settings.SERVICE_AUTH_TOKENS[0]}"}
