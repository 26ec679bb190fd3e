"""Account emails (django-allauth's) go through the shop's email pipeline over HTTP: recorded as an
EmailDelivery, queued after commit, sent by the Celery task from templates/emails/ in both parts, and the
emailed links work; the links never stay behind in the database or show in the admin."""
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from apps.checkout.testing import send_queued_emails

pytestmark = pytest.mark.django_db
EmailDelivery = django_apps.get_model("checkout", "EmailDelivery")  # the checkout app owns the table
PASSWORD = "correct-horse-battery-9"


def customer(email: str):
    from allauth.account.models import EmailAddress

    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def link_in(text: str, path: str) -> str:
    return re.search(rf"http://testserver({path}[^\s\"<]+)", text).group(1)


def test_signup_records_the_verification_email_and_sends_it_after_commit(
        client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        response = client.post("/accounts/signup/", {"email": "new@example.com", "password1": PASSWORD,
                                                     "password2": PASSWORD})

    assert response["Location"] == "/accounts/confirm-email/"
    (delivery,) = EmailDelivery.objects.all()
    assert (delivery.to, delivery.template, delivery.status) == ("new@example.com", "account_email_confirmation",
                                                                 "queued")
    assert len(queued) == 1 and not mail.outbox  # nothing leaves before the commit and the worker

    (delivery,) = send_queued_emails()

    (message,) = mail.outbox
    assert message.to == ["new@example.com"] and "Confirm" in message.subject
    text, html = message.body, message.alternatives[0][0]
    link = link_in(text, "/accounts/confirm-email/")
    assert link in html and "new@example.com" in html
    assert (delivery.status, delivery.attempts, delivery.context) == ("sent", 1, {})
    assert delivery.provider_message_id == message.extra_headers["Message-ID"]
    assert client.post(link)["Location"] == "/"  # the emailed link verifies and signs in
    assert client.get("/account/").status_code == 200


def test_password_reset_email_is_recorded_sent_and_its_link_resets_the_password(client):
    customer("owner@example.com")

    client.post("/accounts/password/reset/", {"email": "OWNER@example.com"})
    (delivery,) = send_queued_emails()

    assert (delivery.template, delivery.to, delivery.status) == ("account_password_reset", "owner@example.com",
                                                                 "sent")
    (message,) = mail.outbox
    link = link_in(message.body, "/accounts/password/reset/key/")
    assert link in message.alternatives[0][0]
    form = client.get(link, follow=True)
    changed = client.post(form.redirect_chain[-1][0], {"password1": "a-brand-new-pass-7",
                                                       "password2": "a-brand-new-pass-7"})
    assert changed["Location"] == "/accounts/password/reset/key/done/"
    assert get_user_model().objects.get(email="owner@example.com").check_password("a-brand-new-pass-7")


def test_password_reset_for_an_unknown_address_tells_that_address(client):
    client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    (delivery,) = send_queued_emails()

    assert (delivery.template, delivery.to, delivery.status) == ("account_unknown", "nobody@example.com", "sent")
    (message,) = mail.outbox
    assert "/accounts/signup/" in message.body and "/accounts/signup/" in message.alternatives[0][0]


def test_an_allauth_message_without_a_shop_template_still_goes_through_the_pipeline(client, settings):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True  # allauth then mails "your password was changed"
    client.force_login(customer("owner@example.com"))

    client.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": "a-brand-new-pass-7",
                                               "password2": "a-brand-new-pass-7"})
    (delivery,) = send_queued_emails()

    assert (delivery.template, delivery.to, delivery.status) == ("account_notice", "owner@example.com", "sent")
    (message,) = mail.outbox
    assert "password" in message.subject.lower() and "password" in message.alternatives[0][0].lower()


def test_ops_never_see_an_account_emails_link_in_the_admin(client, django_user_model):
    Client().post("/accounts/password/reset/", {"email": customer("owner@example.com").email})
    delivery = EmailDelivery.objects.get()
    secret = delivery.context["password_reset_url"]
    ops = django_user_model.objects.create_user(username="ops", password="x", is_staff=True)
    ops.user_permissions.set(Permission.objects.filter(codename="view_emaildelivery"))
    client.force_login(ops)

    page = client.get(f"/admin/checkout/emaildelivery/{delivery.pk}/change/").content.decode()

    assert "account_password_reset" in page and "withheld" in page
    assert secret not in page and secret.rsplit("/", 2)[-2] not in page
