"""Fixtures of the experiments tests: staff and service clients (the fresh flag cache per test is
the root conftest's)."""
import pytest
from django.conf import settings


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
