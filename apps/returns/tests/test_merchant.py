"""Merchants see the returns of their own products only: Bearer API and merchant portal."""
import pytest
from django.apps import apps as django_apps

from apps.catalog.testing import MerchantFactory, MerchantMembershipFactory, ProductFactory, merchant_token
from apps.checkout.testing import OrderLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_return(returns_on, make_order, create_return):
    """One return holding a demo product and an acme product, plus a test-order return of demo's."""
    demo_product = ProductFactory(merchant=MerchantFactory(slug="demo"), name="Demo lamp")
    acme_product = ProductFactory(merchant=MerchantFactory(slug="acme"), name="Acme kettle")
    order = make_order(lines=[])
    for product in (demo_product, acme_product):
        OrderLineFactory(order=order, product_id=product.id, name=product.name, quantity=1)
    order.total = order.subtotal = 20
    order.save()
    return_id = create_return(order).json()["return_id"]
    test_order = make_order(lines=[], is_test=True)
    OrderLineFactory(order=test_order, product_id=demo_product.id, name=demo_product.name)
    create_return(test_order)
    return return_id, demo_product, acme_product


def test_merchant_api_lists_only_its_own_items(mixed_return, client):
    return_id, demo_product, _ = mixed_return
    token = merchant_token(demo_product.merchant)
    response = client.get("/api/v1/merchant/returns", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    (ret,) = response.json()["results"]
    assert ret["return_id"] == return_id and ret["status"] == "label_created"
    assert [item["product_id"] for item in ret["items"]] == [demo_product.id]


def test_merchant_api_needs_a_token(client):
    assert client.get("/api/v1/merchant/returns").status_code == 401


def test_merchant_portal_shows_only_its_own_returned_items(mixed_return, client):
    _, demo_product, acme_product = mixed_return
    client.force_login(MerchantMembershipFactory(merchant=MerchantFactory(slug="demo"), user__username="lamps").user)
    page = client.get("/merchant/returns/returnitem/")
    assert page.status_code == 200
    html = page.content.decode()
    assert demo_product.id in html and acme_product.id not in html
    assert html.count(demo_product.id) == 1  # the test order's return is not shown


def test_items_remember_the_selling_merchant(mixed_return):
    return_model = django_apps.get_model("returns", "Return")
    items = return_model.objects.get(pk=mixed_return[0]).items.all()
    assert sorted(item.merchant_id is not None for item in items) == [True, True]


@pytest.mark.parametrize("status", ["\x00", "shipped\x00", "nonsense"])
def test_merchant_api_refuses_an_unknown_status_filter_with_422(client, status):
    # found by `make proof`'s fuzzing: a NUL in ?status= reached PostgreSQL and was a 500
    demo = MerchantFactory(slug="demo")

    response = client.get("/api/v1/merchant/returns", {"status": status},
                          headers={"Authorization": f"Bearer {merchant_token(demo)}"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"
