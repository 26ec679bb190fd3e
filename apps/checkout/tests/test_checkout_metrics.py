"""The guest checkout error ratio's inputs: every answered POST counts as a request, only our own or
upstream failures (5xx) count as errors, so a shopper's invalid input lowers the ratio."""
import pytest
from prometheus_client import REGISTRY

pytestmark = pytest.mark.django_db


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, {"flow": "guest_v2", **labels}) or 0.0


def errors_total() -> float:
    return sum(s.value for family in REGISTRY.collect() if family.name == "checkout_errors"
               for s in family.samples if s.name == "checkout_errors_total")


def test_invalid_checkout_counts_as_a_request_but_not_an_error(api_client):
    # given
    requests_before = sample("checkout_requests_total")
    errors_before = errors_total()

    # when
    response = api_client.post("/api/v2/checkout/guest", {"cart_id": "cart_missing"}, format="json")

    # then
    assert response.status_code == 422
    assert sample("checkout_requests_total") == requests_before + 1
    assert errors_total() == errors_before


def test_active_guest_sessions_are_counted_at_scrape_time(client, make_product, make_cart):
    def scraped() -> float:
        body = client.get("/metrics").content.decode()
        return float(next(line.split()[1] for line in body.splitlines() if line.startswith("guest_sessions_active ")))

    before = scraped()
    for _ in range(2):
        cart = make_cart([(make_product(), 1)])
        assert client.post("/api/v2/checkout/guest/session", {"cart_id": cart.id},
                           content_type="application/json").status_code == 201

    assert scraped() == before + 2
