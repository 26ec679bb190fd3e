"""The guest checkout's SQL cost does not grow with the cart: the same number of queries for a
1-line and a 10-line cart (stock reservation, order lines and sales records are set-based)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}


def checkout_queries(client, cart) -> int:
    body = {"cart_id": cart.id, "email": "count@example.com", "shipping_address": ADDRESS,
            "payment_method_id": "pm_card_visa"}
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v2/checkout/guest", body, content_type="application/json",
                               headers={"Idempotency-Key": f"idk_{cart.id}"})
    assert response.status_code == 201, response.content
    return len(queries.captured_queries)


def test_query_count_is_the_same_for_one_and_ten_lines(client, local_stripe, make_product, make_cart):
    # given: a warm-up checkout (first-use costs such as content types), then the two carts
    checkout_queries(client, make_cart([(make_product(), 1)]))
    one_line = make_cart([(make_product(), 1)])
    ten_lines = make_cart([(make_product(), quantity) for quantity in range(1, 11)])
    # when
    one, ten = checkout_queries(client, one_line), checkout_queries(client, ten_lines)
    # then
    assert one == ten, f"1-line checkout ran {one} queries, 10-line ran {ten}"
