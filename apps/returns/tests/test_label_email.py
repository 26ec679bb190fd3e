"""The shopper's "return label ready" email: queued with the label (never before it exists), sent by the
Celery task in both parts with the label link, the items and the refund estimate, recorded as an
EmailDelivery of the order."""
import re

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core import mail

from apps.checkout.testing import send_queued_emails
from apps.returns.tasks import label_retry

from .conftest import lines_of

pytestmark = pytest.mark.django_db
EmailDelivery = django_apps.get_model("checkout", "EmailDelivery")  # the checkout app owns the table


def test_the_label_email_links_the_label_and_names_items_and_refund(returns_on, make_order, create_return,
                                                                    client):
    order = make_order(lines=[(2, "25.00"), (1, "99.99")])
    first, _ = lines_of(order)

    body = create_return(order, items=[(first, 2, "defective")]).json()
    (delivery,) = send_queued_emails()

    assert (delivery.template, delivery.to, delivery.order_id, delivery.status) == (
        "return_label_ready", order.email, order.id, "sent")
    (message,) = mail.outbox
    assert message.to == [order.email] and order.id in message.subject and "label" in message.subject
    text, html = message.body, message.alternatives[0][0]
    for part in (text, html):
        assert body["return_id"] in part and order.id in part and body["tracking_code"] in part
        assert f"2 × {first.name}" in part and "50.00" in part
        assert f"/returns/{body['return_id']}" in part
    label_path = re.search(rf"{re.escape(settings.SHOP_BASE_URL)}(/returns/labels/\S+)", text).group(1)
    assert label_path in html
    label = client.get(label_path)
    assert label.status_code == 200 and b"".join(label.streaming_content).startswith(b"%PDF-")


def test_no_label_no_email_until_the_retry_buys_it(returns_on, easypost, make_order, create_return):
    easypost.fail_next = 1
    order = make_order()

    body = create_return(order).json()

    assert body["status"] == "requested" and not EmailDelivery.objects.exists()
    label_retry(body["return_id"])
    (delivery,) = send_queued_emails()
    assert delivery.template == "return_label_ready" and delivery.context["return_id"] == body["return_id"]
    assert len(mail.outbox) == 1


def test_test_orders_returns_send_no_email(make_order, create_return):
    body = create_return(make_order(is_test=True)).json()

    assert body["status"] == "label_created" and not EmailDelivery.objects.exists()
