"""The merchant portal's low-stock alerts page: the merchant's own alerts from a real stock check,
most urgent first with the ops panel's urgency badges, active ones by default, read-only."""
import pytest
from django.contrib.admin.utils import quote

from apps.catalog.testing import CategoryFactory, MerchantFactory, MerchantMembershipFactory, ProductFactory
from apps.inventory.models import LowStockAlert
from apps.inventory.services import stock_set
from apps.inventory.services.stock_check import stock_check_run
from apps.inventory.services.velocity import sales_velocity_recalculate
from apps.inventory.testing import sales_history

from .conftest import SEED_NOW, SEED_TODAY

pytestmark = pytest.mark.django_db

URL = "/merchant/inventory/lowstockalert/"


@pytest.fixture
def alerts():
    """Electronics (default threshold 20): A's hub runs out in 2 days (critical), A's mouse in 5
    (warning); B's speaker in 10 (informational)."""
    electronics = CategoryFactory(slug="electronics", name="Electronics")
    shop_a, shop_b = MerchantFactory(slug="shop-a"), MerchantFactory(slug="shop-b")
    for product_id, merchant, name, stock, sold_in_30_days in (
            ("prod_a_hub", shop_a, "A Hub", 4, 60), ("prod_a_mouse", shop_a, "A Mouse", 15, 90),
            ("prod_b_speaker", shop_b, "B Speaker", 10, 30)):
        ProductFactory(id=product_id, name=name, category=electronics, merchant=merchant)
        sales_history(product_id, total_units=sold_in_30_days, today=SEED_TODAY)
        stock_set(product_id=product_id, quantity=stock)
    sales_velocity_recalculate(today=SEED_TODAY)
    stock_check_run(now=SEED_NOW)
    return shop_a, shop_b


def _portal(client, merchant, username):
    client.force_login(MerchantMembershipFactory(merchant=merchant, user__username=username).user)
    return client


def test_a_merchant_sees_its_alerts_most_urgent_first_with_urgency_badges(client, alerts):
    shop_a, _ = alerts

    html = _portal(client, shop_a, "owner-a").get(URL).content.decode()

    assert '<span class="urgency urgency-critical">critical</span>' in html
    assert '<span class="urgency urgency-warning">warning</span>' in html
    assert html.index("A Hub") < html.index("A Mouse")
    assert "css/urgency.css" in html


def test_merchant_b_does_not_see_merchant_a_alerts(client, alerts):
    shop_a, shop_b = alerts
    a_alert = LowStockAlert.objects.get(product_id="prod_a_hub")
    portal = _portal(client, shop_b, "owner-b")

    listing = portal.get(URL).content.decode()
    searched = portal.get(URL, {"q": "A Hub", "status": "all"}).content.decode()
    detail = portal.get(f"{URL}{quote(a_alert.id)}/change/", follow=True)

    assert "B Speaker" in listing and "urgency-informational" in listing
    assert "A Hub" not in listing and "A Mouse" not in listing
    assert "0 results" in searched and "urgency-critical" not in searched
    assert detail.redirect_chain[-1][0] == "/merchant/"
    assert "doesn’t exist" in detail.content.decode() and "A Hub" not in detail.content.decode()


def test_resolved_alerts_are_hidden_until_asked_for_and_nothing_can_be_edited(client, alerts):
    shop_a, _ = alerts
    LowStockAlert.objects.filter(product_id="prod_a_mouse").update(status="resolved")
    alert = LowStockAlert.objects.get(product_id="prod_a_hub")
    portal = _portal(client, shop_a, "owner-a")

    default = portal.get(URL).content.decode()
    everything = portal.get(URL, {"status": "all"}).content.decode()
    portal.post(f"{URL}{quote(alert.id)}/change/", {"current_stock": 999})

    assert "A Hub" in default and "A Mouse" not in default
    assert "A Mouse" in everything
    assert portal.get(f"{URL}{quote(alert.id)}/change/").status_code == 200
    alert.refresh_from_db()
    assert alert.current_stock == 4
