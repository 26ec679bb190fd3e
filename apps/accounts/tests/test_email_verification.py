"""Hole 2 of issue 14, attacked through HTTP: signing up with the email of someone's guest orders must
not hand those orders over. The account's email counts only once the link sent to it is followed; an
expired or altered link does nothing."""
import importlib
import re
import time
from unittest import mock

import pytest
from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client

from apps.checkout.testing import OrderFactory, OrderLineFactory, send_queued_emails

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"
VICTIM = "victim.buyer@example.com"
LINK = re.compile(r"http://testserver(/accounts/confirm-email/[^/\s]+/)")


@pytest.fixture
def victim_order(settings):
    """A delivered guest order of the victim, with a return the victim started as a guest."""
    settings.SELF_SERVICE_RETURNS_ENABLED = True
    order = OrderFactory(email=VICTIM)
    OrderLineFactory(order=order, quantity=2)
    response = Client().post("/api/v1/returns", {"order_id": order.id, "email": VICTIM,
                                                 "confirmation_token": order.confirmation_token},
                             content_type="application/json")
    assert response.status_code == 201, response.content
    return order, response.json()["return_id"]


def sign_up(client: Client, email: str):
    return client.post("/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def verification_link() -> str:
    send_queued_emails()
    (message,) = [m for m in mail.outbox if "confirm-email" in m.body]
    return LINK.search(message.body).group(1)


def what_the_account_sees(client: Client, order, return_id: str) -> dict[str, bool]:
    """For each place that shows orders or returns: does it show the victim's?"""
    api_list = client.get("/api/v1/returns").json().get("results", [])
    return {
        "account page": order.id in client.get("/account/").content.decode(),
        "confirmation page": client.get(f"/checkout/confirmation/{order.confirmation_token}/").status_code == 200,
        "returns home": order.id in client.get("/returns/").content.decode(),
        "return order page": client.get(f"/returns/orders/{order.id}").status_code == 200,
        "return lookup by order id": client.post("/returns/start", {"order_id": order.id}).status_code == 302,
        "return detail": client.get(f"/returns/{return_id}").status_code == 200,
        "returns API list": any(item["return_id"] == return_id for item in api_list),
        "returns API detail": client.get(f"/api/v1/returns/{return_id}").status_code == 200,
    }


def test_signing_up_with_a_guest_orders_email_neither_signs_in_nor_shows_the_orders(victim_order):
    order, return_id = victim_order
    attacker = Client()

    response = sign_up(attacker, VICTIM.upper())

    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in attacker.session
    login = attacker.post("/accounts/login/", {"login": VICTIM, "password": PASSWORD})
    assert login["Location"] == "/accounts/confirm-email/" and "_auth_user_id" not in attacker.session
    assert not any(what_the_account_sees(attacker, order, return_id).values())
    send_queued_emails()
    assert [m.to for m in mail.outbox] == [[VICTIM]] * len(mail.outbox)  # the link only went to the owner


def test_an_unverified_account_sees_nothing_of_the_guest_orders_even_when_signed_in(victim_order):
    """An account whose email was never verified (made before verification existed, or by an
    administrator) is signed in, but its email still proves nothing."""
    order, return_id = victim_order
    attacker = Client()
    sign_up(attacker, VICTIM)
    attacker.force_login(get_user_model().objects.get(email=VICTIM))

    seen = what_the_account_sees(attacker, order, return_id)

    assert seen == dict.fromkeys(seen, False)


def test_following_the_emailed_link_attaches_the_guest_orders_to_their_owner(victim_order):
    order, return_id = victim_order
    owner = Client()
    sign_up(owner, VICTIM)
    link = verification_link()

    assert "Confirm my email" in owner.get(link).content.decode()
    confirmed = owner.post(link)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email=VICTIM).verified
    assert "_auth_user_id" in owner.session  # same browser that signed up: signed in by the link
    seen = what_the_account_sees(owner, order, return_id)
    assert seen == dict.fromkeys(seen, True)


def _key_signed_days_ago(email_address: EmailAddress, days: int) -> str:
    """The key allauth would have put in the link `days` ago (HMAC-signed, timestamped)."""
    with mock.patch("time.time", return_value=time.time() - days * 86400):
        return signing.dumps(obj=email_address.pk, salt=allauth_settings.SALT)


@pytest.mark.parametrize("make_key", [
    pytest.param(lambda address, link: _key_signed_days_ago(address, 4), id="expired"),
    pytest.param(lambda address, link: link.rstrip("/").rsplit("/", 1)[1][:-2] + "xx", id="tampered"),
    pytest.param(lambda address, link: signing.dumps(obj=address.pk, salt="another-salt"), id="wrong-salt"),
])
def test_an_expired_or_altered_link_verifies_nothing(victim_order, make_key):
    order, return_id = victim_order
    attacker = Client()
    sign_up(attacker, VICTIM)
    address = EmailAddress.objects.get(email=VICTIM)
    key = make_key(address, verification_link())

    page = attacker.get(f"/accounts/confirm-email/{key}/")
    attacker.post(f"/accounts/confirm-email/{key}/")

    assert "This link has expired or is not valid." in page.content.decode()
    assert not EmailAddress.objects.get(pk=address.pk).verified
    assert "_auth_user_id" not in attacker.session
    assert not any(what_the_account_sees(attacker, order, return_id).values())


def test_password_reset_by_email_sets_a_new_password(victim_order):
    order, return_id = victim_order
    owner = Client()
    sign_up(owner, VICTIM)
    owner.post(verification_link())
    mail.outbox.clear()
    client = Client()

    sent = client.post("/accounts/password/reset/", {"email": VICTIM})

    assert sent["Location"] == "/accounts/password/reset/done/"
    send_queued_emails()
    (message,) = mail.outbox
    assert message.to == [VICTIM]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    changed = client.post(form.redirect_chain[-1][0], {"password1": "a-brand-new-pass-7",
                                                       "password2": "a-brand-new-pass-7"})
    assert changed["Location"] == "/accounts/password/reset/key/done/"
    signed_in = client.post("/accounts/login/", {"login": VICTIM, "password": "a-brand-new-pass-7"})
    assert signed_in["Location"] == "/" and "_auth_user_id" in client.session
    assert what_the_account_sees(client, order, return_id)["account page"]


def test_an_account_made_before_verification_existed_gets_a_link_at_sign_in(victim_order):
    """Migration accounts.0001 records existing accounts' addresses as unverified: signing in sends the
    link, and the orders appear once it is followed."""
    order, return_id = victim_order
    get_user_model().objects.create_user(username=VICTIM, email=VICTIM, password=PASSWORD)
    migration = importlib.import_module("apps.accounts.migrations.0001_email_addresses_of_existing_users")
    migration.record_unverified_addresses(django_apps, None)
    client = Client()

    response = client.post("/accounts/login/", {"login": VICTIM, "password": PASSWORD})

    assert response["Location"] == "/accounts/confirm-email/" and "_auth_user_id" not in client.session
    client.post(verification_link())
    signed_in = client.post("/accounts/login/", {"login": VICTIM, "password": PASSWORD})
    assert signed_in["Location"] == "/"
    assert what_the_account_sees(client, order, return_id)["account page"]
