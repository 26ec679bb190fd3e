"""The checkout app's public interface, as the returns app will use it: the demo smoke-test order."""
import io

import pytest
from django.core.management import call_command

from apps.checkout.public import order_get, order_get_by_confirmation

pytestmark = pytest.mark.django_db


def test_seed_demo_has_the_delivered_smoke_test_order_and_is_idempotent():
    # when
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    # then
    order = order_get(order_id="ord_smoke_test")
    assert order is not None
    assert (order.status, order.is_test, order.email) == ("delivered", True, "smoke-test@vantage.example")
    assert order.confirmation_token == "cnf_smoke_test" and order.delivered_at is not None
    assert [(line.product_id, line.quantity) for line in order.lines] == [("prod_cable_usbc", 2)]
    assert order.shipping_address["zip"] == "62704"
    assert order_get_by_confirmation(confirmation_token="cnf_smoke_test") == order


def test_unknown_order_is_none():
    assert order_get(order_id="ord_nope") is None
