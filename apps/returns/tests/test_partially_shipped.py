"""A partially shipped order over HTTP: what already left in a parcel can be returned (API and pages), what
has not shipped yet cannot (`ORDER_LINE_NOT_SHIPPED`) and is shown as still on its way; the order page links
to the return."""
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from apps.catalog.testing import MerchantFactory, ProductFactory
from apps.checkout.testing import OrderFactory, OrderLineFactory

from .conftest import guest, verified_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def half_shipped(returns_on):
    """A paid order of 3 lamps and 1 kettle; the merchant shipped 2 lamps through the merchant API."""
    merchant = MerchantFactory(slug="merchant-a")
    lamp, kettle = (ProductFactory(merchant=merchant, price=Decimal(price), name=name)
                    for price, name in (("40.00", "Brass lamp"), ("15.00", "Kettle")))
    order = OrderFactory(status="paid", shipped_at=None, delivered_at=None, subtotal=Decimal("135.00"),
                         total=Decimal("135.00"))
    lamps = OrderLineFactory(order=order, product_id=lamp.id, name=lamp.name, quantity=3, unit_price=lamp.price)
    kettles = OrderLineFactory(order=order, product_id=kettle.id, name=kettle.name, quantity=1,
                               unit_price=kettle.price)
    out = StringIO()
    call_command("issue_token", "--merchant", "merchant-a", stdout=out)
    shipped = Client().post(f"/api/v1/merchant/orders/{order.id}/fulfillments", {
        "lines": [{"order_line_id": lamps.pk, "quantity": 2}], "carrier": "UPS", "tracking_number": "1Z1"},
        content_type="application/json", headers={"Authorization": f"Bearer {out.getvalue().split()[-1]}"})
    assert shipped.status_code == 201 and shipped.json()["order_status"] == "partially_shipped"
    return order, lamps, kettles


def start(order, items=None, **extra):
    body = {"order_id": order.id, **guest(order), **extra}
    if items is not None:
        body["items"] = [{"order_line_id": str(line.pk), "quantity": qty, "reason": "defective"}
                         for line, qty in items]
    return Client().post("/api/v1/returns", body, content_type="application/json")


def test_shipped_units_of_a_partially_shipped_order_can_be_returned(half_shipped):
    order, lamps, _ = half_shipped

    response = start(order, [(lamps, 2)])

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "label_created" and response.json()["refund_estimate"] == 80.0


def test_a_line_that_has_not_shipped_cannot_be_returned(half_shipped):
    order, _, kettles = half_shipped

    response = start(order, [(kettles, 1)])

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("items.0.quantity", "ORDER_LINE_NOT_SHIPPED")


def test_units_still_waiting_to_ship_cannot_be_returned(half_shipped):
    order, lamps, _ = half_shipped

    response = start(order, [(lamps, 3)])

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["code"] == "QUANTITY_EXCEEDS_RETURNABLE" and "1 not shipped yet" in error["message"]


def test_returning_everything_takes_only_what_shipped(half_shipped):
    order, lamps, _ = half_shipped

    response = start(order, reason="no_longer_needed")

    assert response.status_code == 201
    assert [(item["order_line_id"], item["quantity"]) for item in response.json()["items"]] == [(str(lamps.pk), 2)]


def test_the_return_page_offers_the_shipped_units_and_shows_the_rest_on_its_way(half_shipped):
    order, lamps, kettles = half_shipped
    shopper = Client()
    assert shopper.post("/returns/start", {"order_id": order.id, **guest(order)}).status_code == 302

    page = shopper.get(f"/returns/orders/{order.id}").content.decode()

    assert f'name="qty_{lamps.pk}"' in page and f'name="qty_{kettles.pk}"' not in page
    assert '<option value="2">' in page and '<option value="3">' not in page
    assert "Not shipped yet" in page and "Kettle × 1" in page and "Lamp × 1" not in page
    created = shopper.post(f"/returns/orders/{order.id}", {f"qty_{lamps.pk}": "1",
                                                           f"reason_{lamps.pk}": "size_fit"})
    assert created.status_code == 302 and created["Location"].startswith("/returns/ret_")


def test_the_order_page_links_the_return_and_cancelling_points_to_it(half_shipped):
    order, _, _ = half_shipped
    shopper = Client()
    shopper.force_login(verified_customer(order.email, order.email))

    page = shopper.get(f"/checkout/confirmation/{order.confirmation_token}/")
    cancel = shopper.post(f"/api/v1/orders/{order.id}/cancel", guest(order), content_type="application/json")

    assert f'href="/returns/orders/{order.id}" data-return-link' in page.content.decode()
    assert cancel.status_code == 409 and cancel.json()["error"] == "ORDER_ALREADY_SHIPPED"
