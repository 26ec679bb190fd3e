"""The merchant portal's Orders page: only the merchant's orders and lines; ship and deliver."""
import pytest
from django.apps import apps as django_apps
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model

from apps.catalog.testing import MerchantFactory, ProductFactory
from apps.checkout.models import Order

from .orders_after_payment import paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(client):
    """Merchant A signed in to the portal; one order mixing A's and B's products, one of B's only."""
    a, b = MerchantFactory(slug="merchant-a"), MerchantFactory(slug="merchant-b")
    lamp, kettle = ProductFactory(merchant=a, name="Brass lamp"), ProductFactory(merchant=b, name="Steel kettle")
    mixed, b_only = paid_order([(lamp, 2), (kettle, 1)]), paid_order([(kettle, 3)])
    user = get_user_model().objects.create_user(username="a@shop.example", email="a@shop.example", password="x")
    django_apps.get_model("catalog", "MerchantMembership").objects.create(user=user, merchant=a)
    client.force_login(user)
    return {"mixed": mixed, "b_only": b_only}


def test_orders_page_lists_only_the_merchants_orders(client, portal):
    page = client.get("/merchant/checkout/order/").content.decode()

    assert portal["mixed"].id in page and portal["b_only"].id not in page
    assert client.get(f"/merchant/checkout/order/{quote(portal['b_only'].id)}/change/").status_code == 403


def test_order_page_shows_only_own_lines_and_ships_them(client, portal):
    url = f"/merchant/checkout/order/{quote(portal['mixed'].id)}/change/"
    page = client.get(url).content.decode()
    assert "Brass lamp" in page and "Steel kettle" not in page

    client.post(url, {"action": "ship", "carrier": "DHL", "tracking_number": "JD0123"})

    order = Order.objects.get(id=portal["mixed"].id)
    (parcel,) = order.fulfillments.all()
    assert order.status == Order.Status.PARTIALLY_SHIPPED  # B's kettle is still to ship
    assert (parcel.carrier, parcel.tracking_number) == ("DHL", "JD0123")
    assert [line.quantity for line in parcel.lines.all()] == [2]
    assert "Shipped 2 unit(s) by DHL, tracking JD0123" in client.get(url).content.decode()


def test_merchant_cannot_ship_another_merchants_order_from_the_portal(client, portal):
    response = client.post(f"/merchant/checkout/order/{quote(portal['b_only'].id)}/change/",
                           {"action": "ship", "carrier": "DHL", "tracking_number": "JD0123"})

    assert response.status_code == 403 and not portal["b_only"].fulfillments.exists()


def test_merchant_cannot_mark_another_merchants_parcel_delivered_nor_see_the_order_total(client, portal):
    from apps.checkout.services.fulfillment import FulfillmentLineInput, fulfillment_create

    kettle_line = portal["mixed"].lines.get(name="Steel kettle")
    b_parcel = fulfillment_create(order_id=portal["mixed"].id, merchant_id=kettle_line_merchant(kettle_line),
                                  lines=[FulfillmentLineInput(kettle_line.pk, 1)], carrier="UPS",
                                  tracking_number="1ZKETTLE")
    url = f"/merchant/checkout/order/{quote(portal['mixed'].id)}/change/"

    client.post(url, {"action": "delivered", "fulfillment_id": b_parcel.id})
    page = client.get(url).content.decode()

    b_parcel.refresh_from_db()
    assert b_parcel.delivered_at is None
    assert "1ZKETTLE" not in page and str(portal["mixed"].total) not in page


def kettle_line_merchant(line) -> int:
    from apps.catalog.public import product_info_many

    return product_info_many(product_ids=[line.product_id])[line.product_id].merchant_id
