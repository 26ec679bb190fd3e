"""Merchants list and fulfil their own lines of paid orders over HTTP; nobody else's."""
import pytest

from apps.catalog.testing import MerchantFactory, ProductFactory
from apps.checkout.models import Order

from .orders_after_payment import bearer, merchant_token, order_events, paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    """Merchants A and B, an order holding one product of each, and both merchants' tokens."""
    a, b = MerchantFactory(slug="merchant-a"), MerchantFactory(slug="merchant-b")
    lamp, kettle = ProductFactory(merchant=a, name="Lamp"), ProductFactory(merchant=b, name="Kettle")
    order = paid_order([(lamp, 2), (kettle, 1)])
    lamp_line, kettle_line = order.lines.order_by("id")
    return {"order": order, "a": bearer(merchant_token("merchant-a")), "b": bearer(merchant_token("merchant-b")),
            "lamp_line": lamp_line, "kettle_line": kettle_line}


def fulfil(client, headers, order, lines, **extra):
    body = {"lines": [{"order_line_id": line.pk, "quantity": qty} for line, qty in lines], "carrier": "UPS",
            "tracking_number": "1Z999", **extra}
    return client.post(f"/api/v1/merchant/orders/{order.id}/fulfillments", body, content_type="application/json",
                       headers=headers)


def test_merchant_lists_only_orders_and_lines_of_its_products(client, shop):
    other = paid_order([(ProductFactory(merchant=MerchantFactory(slug="merchant-b")), 1)])

    response = client.get("/api/v1/merchant/orders?status=paid", headers=shop["a"])

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1 and body["page"] == 1
    (order,) = body["orders"]
    assert order["order_id"] == shop["order"].id and other.id != order["order_id"]
    assert [line["order_line_id"] for line in order["lines"]] == [str(shop["lamp_line"].pk)]
    assert order["lines"][0]["unit_price"] == 10.0 and order["lines"][0]["quantity_fulfilled"] == 0


def test_list_needs_a_merchant_token(client):
    assert client.get("/api/v1/merchant/orders").status_code == 401


def test_partial_then_full_fulfilment_ships_the_order_once(client, shop):
    first = fulfil(client, shop["a"], shop["order"], [(shop["lamp_line"], 2)])

    assert first.status_code == 201
    assert first.json()["fulfillment_id"].startswith("ful_")
    assert first.json()["order_status"] == "partially_shipped"
    shop["order"].refresh_from_db()
    assert shop["order"].shipped_at is None

    second = fulfil(client, shop["b"], shop["order"], [(shop["kettle_line"], 1)], carrier="USPS")

    assert second.status_code == 201 and second.json()["order_status"] == "shipped"
    shop["order"].refresh_from_db()
    assert shop["order"].status == Order.Status.SHIPPED and shop["order"].shipped_at is not None
    types = [event["event_type"] for event in order_events(shop["order"].id)]
    assert types == ["order_fulfillment_created", "order_fulfillment_created", "order_shipped"]
    assert all(event["event_id"] and event["occurred_at"] for event in order_events(shop["order"].id))
    listed = client.get("/api/v1/merchant/orders?status=shipped", headers=shop["a"]).json()["orders"]
    assert [o["order_id"] for o in listed] == [shop["order"].id]
    assert [f["carrier"] for f in listed[0]["fulfillments"]] == ["UPS"]  # only A's parcel


def test_merchant_b_cannot_fulfil_merchant_a_lines(client, shop):
    response = fulfil(client, shop["b"], shop["order"], [(shop["lamp_line"], 1)])

    assert response.status_code == 404
    assert response.json()["error"] == "ORDER_LINE_NOT_FOUND"
    assert not shop["order"].fulfillments.exists()


def test_merchant_cannot_see_or_fulfil_an_order_without_its_products(client, shop):
    lamp_only = paid_order([(ProductFactory(merchant=MerchantFactory(slug="merchant-a")), 1)])

    response = fulfil(client, shop["b"], lamp_only, [(lamp_only.lines.get(), 1)])
    listed = client.get("/api/v1/merchant/orders", headers=shop["b"]).json()

    assert response.status_code == 404 and response.json()["error"] == "ORDER_NOT_FOUND"
    assert lamp_only.id not in [o["order_id"] for o in listed["orders"]]


def test_over_fulfilling_is_refused_with_the_field(client, shop):
    fulfil(client, shop["a"], shop["order"], [(shop["lamp_line"], 1)])

    response = fulfil(client, shop["a"], shop["order"], [(shop["lamp_line"], 2)])

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "lines[0].quantity" and error["code"] == "OVER_FULFILLMENT"
    assert shop["order"].fulfillments.count() == 1


@pytest.mark.parametrize("status", ["pending", "cancelled", "payment_failed"])
def test_unpaid_or_cancelled_orders_cannot_be_fulfilled(client, status):
    product = ProductFactory(merchant=MerchantFactory(slug="merchant-a"))
    order = paid_order([(product, 1)], status=status)

    response = fulfil(client, bearer(merchant_token("merchant-a")), order, [(order.lines.get(), 1)])

    assert response.status_code == 422 and response.json()["error"] == "ORDER_NOT_FULFILLABLE"
    assert not order.fulfillments.exists()


def test_idempotency_key_replays_the_fulfilment(client, shop):
    headers = {**shop["a"], "Idempotency-Key": "ship-lamp-1"}

    first = fulfil(client, headers, shop["order"], [(shop["lamp_line"], 1)])
    again = fulfil(client, headers, shop["order"], [(shop["lamp_line"], 1)])

    assert first.status_code == again.status_code == 201
    assert again.json()["fulfillment_id"] == first.json()["fulfillment_id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert shop["order"].fulfillments.count() == 1


def test_delivery_of_every_parcel_delivers_the_order(client, shop):
    ful_a = fulfil(client, shop["a"], shop["order"], [(shop["lamp_line"], 2)]).json()["fulfillment_id"]
    ful_b = fulfil(client, shop["b"], shop["order"], [(shop["kettle_line"], 1)]).json()["fulfillment_id"]
    url = f"/api/v1/merchant/orders/{shop['order'].id}/fulfillments/{{}}/delivered"

    refused = client.post(url.format(ful_a), headers=shop["b"])
    first = client.post(url.format(ful_a), headers=shop["a"])

    assert refused.status_code == 404 and refused.json()["error"] == "FULFILLMENT_NOT_FOUND"
    assert first.status_code == 200 and first.json()["order_status"] == "shipped"
    assert client.post(url.format(ful_b), headers=shop["b"]).json()["order_status"] == "delivered"
    shop["order"].refresh_from_db()
    delivered_at = shop["order"].delivered_at
    assert client.post(url.format(ful_b), headers=shop["b"]).status_code == 200
    shop["order"].refresh_from_db()
    assert shop["order"].delivered_at == delivered_at
    assert [e["event_type"] for e in order_events(shop["order"].id)][-1] == "order_delivered"
    assert client.get("/api/v1/merchant/orders?status=delivered", headers=shop["a"]).json()["total"] == 1


def test_merchant_b_sees_none_of_merchant_a_lines_or_parcels_on_a_shared_order(client, shop):
    fulfil(client, shop["a"], shop["order"], [(shop["lamp_line"], 2)], tracking_number="1ZLAMP")

    (order,) = client.get("/api/v1/merchant/orders", headers=shop["b"]).json()["orders"]

    assert [line["order_line_id"] for line in order["lines"]] == [str(shop["kettle_line"].pk)]
    assert order["fulfillments"] == [] and "1ZLAMP" not in str(order) and "Lamp" not in str(order)


@pytest.mark.parametrize(("codenames", "list_status", "ship_status"), [
    ((), 403, 403), (("view_order",), 200, 403), (("view_order", "change_order"), 200, 201)])
def test_ops_use_the_merchant_api_only_with_the_orders_permissions(client, shop, django_user_model, codenames,
                                                                   list_status, ship_status):
    from django.contrib.auth.models import Permission

    ops = django_user_model.objects.create_user(username="ops", password="x", is_staff=True)
    ops.user_permissions.set(Permission.objects.filter(content_type__app_label="checkout", codename__in=codenames))
    client.force_login(ops)

    listed = client.get("/api/v1/merchant/orders")
    shipped = fulfil(client, {}, shop["order"], [(shop["kettle_line"], 1)])

    assert (listed.status_code, shipped.status_code) == (list_status, ship_status)
    if list_status == 403:
        assert listed.json()["error"] == "FORBIDDEN" and "checkout.view_order" in listed.json()["message"]
    assert shop["order"].fulfillments.exists() == (ship_status == 201)
