"""Carts through HTTP: create, read, add/patch/delete items, expiry, versions and concurrent tabs."""
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from apps.checkout.models import Cart
from apps.inventory.public import stock_set

pytestmark = pytest.mark.django_db


def test_create_cart_with_items_returns_201_with_priced_lines(api_client, make_product):
    # given
    monitor = make_product(price="449.00", id="prod_monitor_32in", sku="MON-32-4K-PRO")
    cable = make_product(price="12.99")
    # when
    response = api_client.post("/api/v1/carts", {"items": [
        {"product_id": monitor.id, "quantity": 1}, {"product_id": cable.id, "quantity": 2}]}, format="json")
    # then
    assert response.status_code == 201
    body = response.json()
    assert body["cart_id"].startswith("cart_")
    assert response["Location"] == f"/api/v1/carts/{body['cart_id']}"
    assert response["ETag"] == '"1"'
    assert body["subtotal"] == 474.98 and body["currency"] == "USD"
    assert b'"unit_price":449.00' in response.content
    assert [(i["product_id"], i["quantity"], i["line_total"]) for i in body["items"]] == [
        ("prod_monitor_32in", 1, 449.0), (cable.id, 2, 25.98)]
    assert body["expires_at"]


def test_empty_cart_can_be_created_and_read(api_client):
    created = api_client.post("/api/v1/carts", {}, format="json").json()
    response = api_client.get(f"/api/v1/carts/{created['cart_id']}")
    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["subtotal"] == 0


def test_unknown_product_is_a_422_naming_it(api_client):
    response = api_client.post("/api/v1/carts", {"items": [{"product_id": "prod_nope", "quantity": 1}]},
                               format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "product_id"
    assert "prod_nope" in response.json()["errors"][0]["message"]


def test_add_patch_and_delete_items(api_client, make_product, make_cart):
    # given
    a, b = make_product(price="5.00"), make_product(price="7.50")
    cart = make_cart([(a, 1)])
    url = f"/api/v1/carts/{cart.id}"
    # when / then: adding an existing product increments its line
    added = api_client.post(f"{url}/items", {"product_id": a.id, "quantity": 2}, format="json")
    assert added.status_code == 200 and added.json()["items"][0]["quantity"] == 3
    added = api_client.post(f"{url}/items", {"product_id": b.id, "quantity": 1}, format="json")
    assert added.json()["subtotal"] == 22.5
    patched = api_client.patch(f"{url}/items/{a.id}", {"quantity": 1}, format="json")
    assert patched.json()["subtotal"] == 12.5
    deleted = api_client.delete(f"{url}/items/{b.id}")
    assert [i["product_id"] for i in deleted.json()["items"]] == [a.id]
    assert deleted["ETag"] == '"5"'
    missing = api_client.delete(f"{url}/items/{b.id}")
    assert missing.status_code == 404 and missing.json()["error"] == "CART_ITEM_NOT_FOUND"


@pytest.mark.parametrize("method,path", [("get", ""), ("post", "/items"), ("patch", "/items/prod_x"),
                                         ("delete", "/items/prod_x")])
def test_expired_or_unknown_cart_is_cart_not_found(api_client, make_product, make_cart, method, path):
    product = make_product()
    expired = make_cart([(product, 1)], expires_at=timezone.now() - timedelta(seconds=1))
    for cart_id in (expired.id, "cart_doesnotexist"):
        body = {"product_id": product.id, "quantity": 1} if method == "post" else {"quantity": 1}
        response = getattr(api_client, method)(f"/api/v1/carts/{cart_id}{path}", body, format="json")
        assert response.status_code == 404
        assert response.json()["error"] == "CART_NOT_FOUND"
        assert response.json()["message"] == f"Cart {cart_id} does not exist or has expired"


def test_stale_if_match_is_409_with_the_current_cart(api_client, make_product, make_cart):
    # given: a cart both tabs read at version 1, then tab A changed it
    a, b = make_product(), make_product()
    cart = make_cart([(a, 1)])
    url = f"/api/v1/carts/{cart.id}"
    first = api_client.patch(f"{url}/items/{a.id}", {"quantity": 2}, format="json", headers={"If-Match": '"1"'})
    assert first.status_code == 200 and first["ETag"] == '"2"'
    # when: tab B sends its stale version
    stale = api_client.post(f"{url}/items", {"product_id": b.id, "quantity": 1}, format="json",
                            headers={"If-Match": '"1"'})
    # then
    assert stale.status_code == 409
    body = stale.json()
    assert body["error"] == "CART_VERSION_CONFLICT"
    assert body["cart"]["version"] == 2 and body["cart"]["items"][0]["quantity"] == 2
    assert len(body["cart"]["items"]) == 1


def test_cart_change_renews_expiry(api_client, make_product, make_cart):
    product = make_product()
    cart = make_cart([(product, 1)], expires_at=timezone.now() + timedelta(minutes=1))
    api_client.post(f"/api/v1/carts/{cart.id}/items", {"product_id": product.id, "quantity": 1}, format="json")
    cart.refresh_from_db()
    assert cart.expires_at > timezone.now() + timedelta(days=6)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_adds_of_different_items_both_land(make_product, make_cart):
    # given: one cart, two tabs
    a, b = make_product(), make_product()
    cart = make_cart()
    barrier = threading.Barrier(2)
    statuses = []

    def add(product):
        barrier.wait()
        try:
            response = APIClient().post(f"/api/v1/carts/{cart.id}/items", {"product_id": product.id, "quantity": 1},
                                        format="json")
            statuses.append(response.status_code)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=add, args=(p,)) for p in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert statuses == [200, 200]
    assert sorted(cart.items.values_list("product_id", flat=True)) == sorted([a.id, b.id])
    assert Cart.objects.get(id=cart.id).version == 3
    assert Decimal(str(APIClient().get(f"/api/v1/carts/{cart.id}").json()["subtotal"])) == Decimal("20.00")


def test_adding_more_than_is_in_stock_is_422_with_the_available_quantity(api_client, make_product):
    # given: 12 in stock, 10 already in the cart
    headphones = make_product(stock=12, name="Noise Cancelling Headphones 700")
    cart_id = api_client.post("/api/v1/carts", {"items": [{"product_id": headphones.id, "quantity": 10}]},
                              format="json").json()["cart_id"]
    # when
    refused = api_client.post(f"/api/v1/carts/{cart_id}/items", {"product_id": headphones.id, "quantity": 3},
                              format="json")
    allowed = api_client.post(f"/api/v1/carts/{cart_id}/items", {"product_id": headphones.id, "quantity": 2},
                              format="json")
    # then
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{
        "field": "quantity", "code": "INSUFFICIENT_STOCK", "constraint": "at most 12 available",
        "message": "Only 12 of Noise Cancelling Headphones 700 left. Reduce the quantity to 12 or fewer."}]
    assert allowed.status_code == 200 and allowed.json()["items"][0]["quantity"] == 12


@pytest.mark.parametrize(("stock", "quantity", "status"), [(5, 5, 200), (5, 6, 422), (0, 2, 422)])
def test_patching_a_quantity_checks_stock(api_client, make_product, stock, quantity, status):
    # given
    product = make_product(stock=max(stock, 1))
    cart_id = api_client.post("/api/v1/carts", {"items": [{"product_id": product.id, "quantity": 1}]},
                              format="json").json()["cart_id"]
    stock_set(product_id=product.id, quantity=stock)
    # when
    response = api_client.patch(f"/api/v1/carts/{cart_id}/items/{product.id}", {"quantity": quantity},
                                format="json")
    # then
    assert response.status_code == status
    if status == 422:
        assert response.json()["errors"][0]["constraint"] == f"at most {stock} available"
        assert response.json()["errors"][0]["message"].startswith(
            f"{product.name} is out of stock" if stock == 0 else f"Only {stock} of {product.name} left")


def test_lowering_a_quantity_is_allowed_even_when_stock_has_run_out(api_client, make_product):
    product = make_product(stock=4)
    cart_id = api_client.post("/api/v1/carts", {"items": [{"product_id": product.id, "quantity": 4}]},
                              format="json").json()["cart_id"]
    stock_set(product_id=product.id, quantity=0)
    response = api_client.patch(f"/api/v1/carts/{cart_id}/items/{product.id}", {"quantity": 2}, format="json")
    assert response.status_code == 200 and response.json()["items"][0]["quantity"] == 2


def test_creating_a_cart_with_more_than_is_in_stock_is_refused(api_client, make_product):
    product = make_product(stock=3)
    response = api_client.post("/api/v1/carts", {"items": [{"product_id": product.id, "quantity": 2},
                                                           {"product_id": product.id, "quantity": 2}]}, format="json")
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert Cart.objects.count() == 0
