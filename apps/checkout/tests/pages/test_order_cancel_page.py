"""The order page shows the status and timeline, and cancels a paid, unshipped order."""
import pytest

from apps.accounts.testing import verified_user
from apps.checkout.models import Order
from apps.inventory.public import StockLine, stock_reserve
from apps.payments.public import ChargeRequest, charge

from ..orders_after_payment import order_events, paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_with_order(client, make_product, local_stripe, django_user_model):
    product = make_product(price="30.00", stock=4)
    order = paid_order([(product, 1)])
    stock_reserve(lines=[StockLine(product.id, 1)], reference=order.id)
    charge(ChargeRequest(order_id=order.id, amount=order.total, currency="USD", payment_method_id="pm_card_visa",
                         confirmation_token=order.confirmation_token, customer_email=order.email))
    client.force_login(verified_user(order.email))
    return order, product


def test_order_page_cancels_and_shows_the_cancelled_timeline(client, owner_with_order, local_stripe, on_hand):
    order, product = owner_with_order
    page = f"/checkout/confirmation/{order.confirmation_token}/"
    assert "data-cancel-order" in client.get(page).content.decode()

    response = client.post(f"{page}cancel", follow=True)

    body = response.content.decode()
    assert "Order cancelled and refunded" in body and "data-cancel-order" not in body
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and on_hand(product) == 4
    assert len(local_stripe.store.refunds) == 1
    assert [e["event_type"] for e in order_events(order.id)] == ["order_cancelled", "order_refunded"]


def test_someone_else_cannot_cancel_from_the_page(client, owner_with_order, django_user_model):
    order, _ = owner_with_order
    client.force_login(django_user_model.objects.create_user(username="eve@example.com", email="eve@example.com"))

    response = client.post(f"/checkout/confirmation/{order.confirmation_token}/cancel")

    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_account_and_order_page_show_delivery_and_tracking_link(client, owner_with_order):
    order, _ = owner_with_order
    parcel = order.fulfillments.create(carrier="UPS", tracking_number="1Z999AA10123456784")
    parcel.lines.create(order_line=order.lines.get(), quantity=1)
    order.status = "shipped"
    order.save()
    link = "https://www.ups.com/track?tracknum=1Z999AA10123456784"

    account = client.get("/account/").content.decode()
    page = client.get(f"/checkout/confirmation/{order.confirmation_token}/").content.decode()

    assert link in account and f"by {order.estimated_delivery:%b} {order.estimated_delivery.day}" in account
    assert link in page and "data-cancel-order" not in page
