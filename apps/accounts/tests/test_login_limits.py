"""Abuse limits of issue 14, attacked through HTTP: failed sign-ins on every login form (shop, /admin/,
/merchant/) lock out the client and the username (django-axes); sign up, password reset and the guest
returns lookup answer 429 with Retry-After past their per-client limit."""
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from apps.catalog.testing import MerchantFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


def shop_login(client, username, password):
    return client.post("/accounts/login/", {"login": username, "password": password})


def admin_login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def merchant_login(client, username, password):
    return client.post("/merchant/login/?next=/merchant/", {"username": username, "password": password})


def shop_user(username):
    user = get_user_model().objects.create_user(username=username, email=username, password=PASSWORD)
    django_apps.get_model("account", "EmailAddress").objects.create(user=user, email=username, verified=True,
                                                                    primary=True)
    return user


def staff_user(username):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=True,
                                                is_superuser=True)


def merchant_user(username):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=True)
    django_apps.get_model("catalog", "MerchantMembership").objects.create(user=user, merchant=MerchantFactory())
    return user


FORMS = {
    "shop": (shop_login, shop_user, "shopper@example.com"),
    "admin": (admin_login, staff_user, "ops-admin"),
    "merchant": (merchant_login, merchant_user, "shopkeeper"),
}


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def assert_locked_out(response):
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert response["Retry-After"] == str(15 * 60)


@pytest.mark.parametrize("form", FORMS)
def test_the_11th_attempt_is_refused_even_with_the_right_password(form):
    login, make_user, username = FORMS[form]
    make_user(username)
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(9):
        assert login(client, username, "wrong-password").status_code == 200
    assert_locked_out(login(client, username, "wrong-password"))  # the 10th failure starts the lockout

    response = login(client, username, PASSWORD)

    assert_locked_out(response)
    assert not signed_in(client)


@pytest.mark.parametrize("form", FORMS)
def test_one_client_trying_many_usernames_is_locked_out(form):
    login, make_user, username = FORMS[form]
    make_user(username)
    client = Client(REMOTE_ADDR="203.0.113.11")
    for n in range(10):
        login(client, f"guess{n}@example.com", "wrong-password")

    response = login(client, username, PASSWORD)

    assert_locked_out(response)
    assert not signed_in(client)
    assert login(Client(REMOTE_ADDR="203.0.113.99"), username, PASSWORD).status_code == 302  # others unaffected


@pytest.mark.parametrize("form", FORMS)
def test_one_username_tried_from_many_clients_is_locked_out(form):
    login, make_user, username = FORMS[form]
    make_user(username)
    for n in range(10):
        login(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), username.upper(), "wrong-password")
    owner = Client(REMOTE_ADDR="192.0.2.50")

    assert_locked_out(login(owner, username, PASSWORD))
    assert not signed_in(owner)


def test_clients_behind_the_trusted_proxy_are_told_apart_by_x_forwarded_for(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    shop_user("shopper@example.com")
    for n in range(10):
        shop_login(Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}"),
                   f"guess{n}@example.com", "wrong-password")
    # ten clients failed once each behind the same proxy: none of them (and not the proxy) is locked
    other = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert shop_login(other, "shopper@example.com", PASSWORD).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {f"198.51.100.{n + 1}" for n in range(10)}


def test_the_lockout_ends_after_15_minutes():
    shop_user("shopper@example.com")
    client = Client(REMOTE_ADDR="203.0.113.12")
    for _ in range(10):
        shop_login(client, "shopper@example.com", "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert_locked_out(shop_login(client, "shopper@example.com", PASSWORD))

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))

    assert shop_login(client, "shopper@example.com", PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_admin_lists_the_lockouts():
    shop_user("shopper@example.com")
    for _ in range(10):
        shop_login(Client(REMOTE_ADDR="203.0.113.13"), "shopper@example.com", "wrong-password")
    ops = Client()
    ops.force_login(staff_user("ops-admin"))

    page = ops.get("/admin/axes/accessattempt/").content.decode()

    assert "shopper@example.com" in page and "203.0.113.13" in page


def test_the_demo_merchant_signs_in_on_the_shop_login_and_reaches_the_portal():
    for app in ("catalog", "accounts"):
        django_apps.get_app_config(app).seed_demo(StringIO())
    client = Client()

    response = shop_login(client, "merchant", "merchant")

    assert response.status_code == 302 and signed_in(client)
    assert client.get("/merchant/").status_code == 200


@pytest.mark.parametrize(("path", "limit", "body"), [
    ("/accounts/signup/", 5, lambda n: {"email": f"new{n}@example.com", "password1": PASSWORD, "password2": PASSWORD}),
    ("/accounts/password/reset/", 5, lambda n: {"email": f"someone{n}@example.com"}),
    ("/returns/start", 10, lambda n: {"order_id": f"ord_guess{n}", "email": "a@example.com",
                                      "confirmation_token": f"cnf_guess{n}"}),
])
def test_signup_reset_and_returns_lookup_answer_429_with_retry_after(settings, path, limit, body):
    settings.SELF_SERVICE_RETURNS_ENABLED = True
    client = Client(REMOTE_ADDR="203.0.113.20")
    assert client.get(path).status_code == 200  # showing the form is not counted
    for n in range(limit):
        assert client.post(path, body(n)).status_code in (200, 302)

    refused = client.post(path, body(limit))

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["X-RateLimit-Limit"] == str(limit) and refused["X-RateLimit-Remaining"] == "0"
    assert "Too many requests" in refused.content.decode()
    assert Client(REMOTE_ADDR="203.0.113.21").post(path, body(limit + 1)).status_code in (200, 302)
