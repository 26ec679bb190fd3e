"""The quote's SQL cost is constant: the same two queries (shipping zones with their methods and bands, tax rates)
for a 1-line and a 10-line cart, and one guest checkout, quote included, stays under a pinned ceiling."""
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.checkout.selectors import cart_view
from apps.checkout.services.quote import checkout_quote
from apps.shipping.public import Destination
from apps.tax.testing import TaxRateFactory

pytestmark = pytest.mark.django_db

ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}
QUOTE_QUERIES = 2            # shipping zones with their methods and bands, tax rates
CHECKOUT_MAX_QUERIES = 71    # one whole guest checkout (session, order, stock, payment, events), quote included


@pytest.fixture(autouse=True)
def texas(db):
    TaxRateFactory(country="US", state="TX")


def quote_queries(cart) -> int:
    view = cart_view(cart_id=cart.id)
    with CaptureQueriesContext(connection) as queries:
        checkout_quote(cart=view, destination=Destination("US", "TX", "78701"), placed_at=timezone.now())
    return len(queries.captured_queries)


def test_quote_runs_the_same_few_queries_for_one_and_ten_lines(make_product, make_cart):
    # given
    one_line = make_cart([(make_product(), 1)])
    ten_lines = make_cart([(make_product(), quantity) for quantity in range(1, 11)])
    # when
    one, ten = quote_queries(one_line), quote_queries(ten_lines)
    # then
    assert one == ten == QUOTE_QUERIES


def place(client, cart):
    body = {"cart_id": cart.id, "email": "count@example.com", "shipping_address": ADDRESS,
            "payment_method_id": "pm_card_visa"}
    response = client.post("/api/v2/checkout/guest", json.dumps(body), content_type="application/json",
                           headers={"Idempotency-Key": f"idk_{cart.id}"})
    assert response.status_code == 201, response.content


def test_one_guest_checkout_stays_under_its_query_ceiling(client, local_stripe, make_product, make_cart,
                                                          django_assert_max_num_queries):
    # given: a warm-up checkout (first-use costs such as content types), then a 10-line cart
    place(client, make_cart([(make_product(), 1)]))
    cart = make_cart([(make_product(), 2) for _ in range(10)])
    # when / then
    with django_assert_max_num_queries(CHECKOUT_MAX_QUERIES):
        place(client, cart)
