"""Test support of the core app (registered as a pytest plugin in the root conftest.py): users.

The user model is Django's, which no domain app owns; every app's tests build users here.
`staff_user` is an ops user, signed in to `staff_client` (pages) and `staff_api` (DRF).
"""
import time

import factory
import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"shopper{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("s3cret-pass")


@pytest.fixture
def staff_user(db):
    return UserFactory(username="ops", email="ops@vantage.example", password="ops-password", is_staff=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def staff_api(staff_user):
    """A DRF test client signed in as `staff_user` (ops reach the merchant API through their session)."""
    client = APIClient()
    client.force_login(staff_user)
    return client


@pytest.fixture
def service_headers(settings) -> dict:
    """The `X-Service-Auth` header of an internal caller (the first configured service token)."""
    return {"X-Service-Auth": f"Bearer {settings.SERVICE_AUTH_TOKENS[0]}"}


def wait_for(condition, timeout: float = 10.0) -> None:
    """Poll `condition` until it is true (a live server or webhook finishing in another thread)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
