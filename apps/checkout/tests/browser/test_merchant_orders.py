"""A merchant marks an order shipped in the portal: carrier and tracking number, then the timeline."""
import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model

from apps.catalog.testing import MerchantFactory, ProductFactory
from apps.checkout.models import Order

from ..orders_after_payment import paid_order

pytestmark = pytest.mark.browser


def test_merchant_marks_an_order_shipped(page, live_server, transactional_db, shot, csp_violations):
    merchant = MerchantFactory(slug="merchant-a")
    order = paid_order([(ProductFactory(merchant=merchant, name="Brass lamp"), 2)])
    user = get_user_model().objects.create_user(username="a@shop.example", email="a@shop.example",
                                                password="portal-pass-123", is_staff=True)
    # the portal's login form is Django's admin form, which signs in staff accounts only
    django_apps.get_model("catalog", "MerchantMembership").objects.create(user=user, merchant=merchant)

    page.goto(f"{live_server.url}/merchant/login/")
    page.get_by_label("Username").fill("a@shop.example")
    page.get_by_label("Password").fill("portal-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/merchant/")
    page.goto(f"{live_server.url}/merchant/checkout/order/?status=paid")
    page.get_by_role("link", name=order.id).click()
    page.get_by_label("Carrier").fill("UPS")
    page.get_by_label("Tracking number").fill("1Z999AA10123456784")
    page.get_by_role("button", name="Mark shipped").click()

    timeline = page.locator("[data-timeline]")
    timeline.get_by_text("Shipped 2 unit(s) by UPS, tracking 1Z999AA10123456784").wait_for()
    assert page.locator("[data-merchant-status]").inner_text() == "shipped"
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED and order.shipped_at is not None
    shot(page, "merchant-order-shipped")
    # and the portal's pages ran under the Content-Security-Policy without breaking it
    assert csp_violations.documents_without_policy() == [] and csp_violations.all() == []
