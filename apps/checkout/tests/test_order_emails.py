"""Shopper emails: queued with the change that causes them, sent by the Celery task, recorded."""
import socket
from smtplib import SMTPException

import pytest

from apps.catalog.testing import MerchantFactory
from apps.checkout.models import EmailDelivery
from apps.checkout.tasks import send_email
from apps.checkout.testing import send_queued_emails

from .orders_after_payment import bearer, merchant_token

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}


@pytest.fixture
def placed(client, local_stripe, make_product, make_cart):
    lamp = make_product(price="40.00", stock=5, merchant=MerchantFactory(slug="merchant-a"), name="Brass lamp")
    cart = make_cart([(lamp, 2)])
    response = client.post("/api/v2/checkout/guest", {"cart_id": cart.id, "email": "ann@example.com",
                                                       "shipping_address": ADDRESS,
                                                       "payment_method_id": "pm_card_visa"},
                           content_type="application/json")
    assert response.status_code == 201
    return response.json()


def parts(message) -> tuple[str, str]:
    return message.body, message.alternatives[0][0]


def test_order_confirmation_is_sent_with_items_amounts_window_and_link(placed, mailoutbox, settings):
    (delivery,) = send_queued_emails()

    (message,) = mailoutbox
    assert message.to == ["ann@example.com"] and message.from_email == settings.DEFAULT_FROM_EMAIL
    assert placed["order_id"] in message.subject
    for part in parts(message):
        assert placed["order_id"] in part and "80.00" in part and "Brass lamp" in part
        assert f"/checkout/confirmation/{placed['confirmation_token']}/" in part
    assert "Estimated delivery" in message.body
    assert (delivery.template, delivery.status, delivery.attempts) == ("order_confirmation", "sent", 1)
    assert delivery.provider_message_id == message.extra_headers["Message-ID"]


def test_shipped_email_names_carrier_and_tracking_link(client, placed, mailoutbox):
    order_id = placed["order_id"]
    headers = bearer(merchant_token("merchant-a"))
    (order,) = client.get("/api/v1/merchant/orders", headers=headers).json()["orders"]
    client.post(f"/api/v1/merchant/orders/{order_id}/fulfillments", {
        "lines": [{"order_line_id": int(order["lines"][0]["order_line_id"]), "quantity": 2}], "carrier": "UPS",
        "tracking_number": "1Z999AA10123456784"}, content_type="application/json", headers=headers)

    send_queued_emails()

    shipped = [m for m in mailoutbox if "shipped" in m.subject]
    assert len(shipped) == 1
    for part in parts(shipped[0]):
        assert order_id in part and "UPS" in part and "https://www.ups.com/track?tracknum=1Z999AA10123456784" in part


def test_cancel_sends_cancelled_and_refund_emails(client, placed, mailoutbox):
    client.post(f"/api/v1/orders/{placed['order_id']}/cancel", {
        "email": "ann@example.com", "confirmation_token": placed["confirmation_token"]},
        content_type="application/json")

    templates = [d.template for d in send_queued_emails()]

    assert templates == ["order_confirmation", "order_cancelled", "refund_issued"]
    refund = mailoutbox[-1]
    assert refund.subject.startswith("Refund of $80.00")
    assert all("80.00" in part and placed["order_id"] in part for part in parts(refund))


def test_a_failed_send_is_recorded_and_raised_for_the_retry(placed, settings, mailoutbox):
    with socket.socket() as closed:  # a port nothing listens on: the SMTP connection is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    delivery = EmailDelivery.objects.get()

    with pytest.raises((OSError, SMTPException)):
        send_email.run(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1) and delivery.last_error


def test_cancelled_email_names_the_order_and_amount_in_both_parts(client, placed, mailoutbox):
    order_id = placed["order_id"]
    headers = bearer(merchant_token("merchant-a"))
    client.post(f"/api/v1/orders/{order_id}/cancel", {"email": "ann@example.com",
                                                      "confirmation_token": placed["confirmation_token"]},
                content_type="application/json")

    send_queued_emails()

    (cancelled,) = [m for m in mailoutbox if "cancelled" in m.subject]
    assert cancelled.to == ["ann@example.com"] and order_id in cancelled.subject
    assert all(order_id in part and f"{placed['total_charged']:.2f}" in part for part in parts(cancelled))
    assert client.get("/api/v1/merchant/orders", headers=headers).json()["orders"] == []  # nothing to ship


def test_delivered_email_names_the_order_and_amount_in_both_parts(client, placed, mailoutbox):
    order_id = placed["order_id"]
    headers = bearer(merchant_token("merchant-a"))
    (order,) = client.get("/api/v1/merchant/orders", headers=headers).json()["orders"]
    parcel = client.post(f"/api/v1/merchant/orders/{order_id}/fulfillments", {
        "lines": [{"order_line_id": int(order["lines"][0]["order_line_id"]), "quantity": 2}], "carrier": "Courier"},
        content_type="application/json", headers=headers).json()["fulfillment_id"]
    client.post(f"/api/v1/merchant/orders/{order_id}/fulfillments/{parcel}/delivered", headers=headers)

    send_queued_emails()

    (delivered,) = [m for m in mailoutbox if "delivered" in m.subject]
    assert delivered.to == ["ann@example.com"] and order_id in delivered.subject
    assert all(order_id in part and f"{placed['total_charged']:.2f}" in part for part in parts(delivered))


@pytest.mark.parametrize("returns_on", [True, False])
def test_confirmation_formats_amounts_for_the_locale_and_links_returns_when_on(
        client, local_stripe, make_product, make_cart, mailoutbox, settings, returns_on):
    # given returns on (or off) and an order whose amounts need a thousands separator
    settings.SELF_SERVICE_RETURNS_ENABLED = returns_on
    settings.SHOP_BASE_URL = "https://shop.example"
    desk = make_product(price="6249.75", stock=3, merchant=MerchantFactory(slug="merchant-b"), name="Oak desk")
    response = client.post("/api/v2/checkout/guest", {
        "cart_id": make_cart([(desk, 2)]).id, "email": "ann@example.com", "shipping_address": ADDRESS,
        "payment_method_id": "pm_card_visa"}, content_type="application/json")
    assert response.status_code == 201

    # when the confirmation is sent
    send_queued_emails()

    # then both parts read $12,499.50 (never the raw $12499.50) and link returns only when they are on
    (message,) = mailoutbox
    returns_link = f"https://shop.example/returns/start?order_id={response.json()['order_id']}"
    for part in parts(message):
        assert "$12,499.50" in part and "12499.50" not in part
        assert (returns_link in part) is returns_on
