"""Ops refund part of an order in the admin: find it, open it, refund an amount with a reason."""
import pytest
from django.contrib.auth import get_user_model

from apps.payments.public import ChargeRequest, charge

from ..orders_after_payment import paid_order

pytestmark = pytest.mark.browser


def test_ops_refunds_part_of_an_order(page, live_server, shop, local_stripe, shot):
    order = paid_order([(shop["monitor"], 1)], email="buyer@example.com")
    charge(ChargeRequest(order_id=order.id, amount=order.total, currency="USD", payment_method_id="pm_card_visa",
                         confirmation_token=order.confirmation_token, customer_email=order.email))
    get_user_model().objects.create_superuser(username="ops", email="ops@example.com", password="ops-pass-123")

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("ops")
    page.get_by_label("Password").fill("ops-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/checkout/order/?q=buyer%40example.com")
    page.get_by_role("link", name=order.id).click()
    page.get_by_role("link", name="Refund (full or partial)…").click()
    page.get_by_label("Amount").fill("100.00")
    page.get_by_label("Reason").select_option("requested_by_customer")
    page.get_by_label("Note").fill("price match")
    page.get_by_role("button", name="Refund").click()

    page.get_by_text("Refunded 100.00 USD").wait_for()
    (stripe_refund,) = local_stripe.store.refunds.values()
    assert stripe_refund["amount"] == 10000
    shot(page, "ops-partial-refund")
