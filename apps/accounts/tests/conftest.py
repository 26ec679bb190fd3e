"""Fixtures of the accounts tests."""
import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """These tests sign in dozens of times; the production hasher's cost would only slow them down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
