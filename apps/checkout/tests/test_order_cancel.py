"""The owner cancels a paid, unshipped order over HTTP: refunded at Stripe, stock back, event."""
import pytest

from apps.accounts.testing import verified_user
from apps.catalog.testing import MerchantFactory, ProductFactory
from apps.checkout.models import Order
from apps.inventory.public import StockLine, stock_reserve
from apps.payments.public import ChargeRequest, charge

from .orders_after_payment import bearer, merchant_token, order_events, paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def charged_order(make_product, local_stripe):
    """A paid order of 2 × a 25.00 product (stock 10 → 8), really charged at the local Stripe server."""
    product = make_product(price="25.00", stock=10, merchant=MerchantFactory(slug="merchant-a"))
    order = paid_order([(product, 2)])
    stock_reserve(lines=[StockLine(product.id, 2)], reference=order.id)
    charge(ChargeRequest(order_id=order.id, amount=order.total, currency="USD", payment_method_id="pm_card_visa",
                         confirmation_token=order.confirmation_token, customer_email=order.email))
    return order, product


def cancel(client, order, **body):
    return client.post(f"/api/v1/orders/{order.id}/cancel", body, content_type="application/json")


def test_guest_cancels_with_email_and_token(client, charged_order, local_stripe, on_hand):
    order, product = charged_order

    response = cancel(client, order, email=order.email.upper(), confirmation_token=order.confirmation_token)

    assert response.status_code == 200
    assert response.json() == {"order_id": order.id, "status": "cancelled", "currency": "USD",
                               "refunded_amount": 50.0}
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert on_hand(product) == 10
    (stripe_refund,) = local_stripe.store.refunds.values()
    assert stripe_refund["amount"] == 5000
    types = [event["event_type"] for event in order_events(order.id)]
    assert types == ["order_cancelled", "order_refunded"]
    assert order_events(order.id)[1]["amount"] == "50.00"


def test_cancelling_twice_refunds_once(client, charged_order, local_stripe):
    order, _ = charged_order
    proof = {"email": order.email, "confirmation_token": order.confirmation_token}

    cancel(client, order, **proof)
    again = cancel(client, order, **proof)

    assert again.status_code == 200 and again.json()["status"] == "cancelled"
    assert len(local_stripe.store.refunds) == 1


@pytest.mark.parametrize("proof", [
    {"email": "someone@example.com", "confirmation_token": "use-order"},
    {"email": "use-order", "confirmation_token": "cnf_wrongtoken0"},
    {},
])
def test_wrong_proof_is_refused_and_nothing_changes(client, charged_order, local_stripe, on_hand, proof):
    order, product = charged_order
    proof = {key: (getattr(order, key) if value == "use-order" else value) for key, value in proof.items()}

    response = cancel(client, order, **proof)

    assert response.status_code == 404 and response.json()["error"] == "ORDER_NOT_FOUND"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and on_hand(product) == 8
    assert not local_stripe.store.refunds and not order_events(order.id)


def test_signed_in_owner_cancels_without_the_token(client, charged_order):
    order, _ = charged_order
    client.force_login(verified_user(order.email))

    assert cancel(client, order).json()["status"] == "cancelled"


def test_an_account_that_did_not_verify_the_orders_email_cannot_cancel(client, charged_order, django_user_model,
                                                                       local_stripe):
    order, _ = charged_order
    client.force_login(django_user_model.objects.create_user(username=order.email, email=order.email))

    response = cancel(client, order)

    assert response.status_code == 404 and response.json()["error"] == "ORDER_NOT_FOUND"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and not local_stripe.store.refunds


def test_another_signed_in_shopper_cannot_cancel(client, charged_order, django_user_model):
    order, _ = charged_order
    client.force_login(django_user_model.objects.create_user(username="eve@example.com", email="eve@example.com"))

    assert cancel(client, order).status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_once_anything_shipped_cancel_points_to_returns(client, charged_order, local_stripe):
    order, _ = charged_order
    client.post(f"/api/v1/merchant/orders/{order.id}/fulfillments",
                {"lines": [{"order_line_id": order.lines.get().pk, "quantity": 1}], "carrier": "UPS"},
                content_type="application/json", headers=bearer(merchant_token("merchant-a")))

    response = cancel(client, order, email=order.email, confirmation_token=order.confirmation_token)

    assert response.status_code == 409
    assert response.json()["error"] == "ORDER_ALREADY_SHIPPED"
    assert response.json()["returns_url"] == "/api/v1/returns"
    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_SHIPPED and not local_stripe.store.refunds


def test_unpaid_order_cannot_be_cancelled(client, db):
    order = paid_order([(ProductFactory(), 1)], status=Order.Status.PENDING)

    response = cancel(client, order, email=order.email, confirmation_token=order.confirmation_token)

    assert response.status_code == 409 and response.json()["error"] == "ORDER_NOT_CANCELLABLE"
