"""CORS: the checkout API answers preflights from the configured shop origins only (the seed's gateway
allowed www and staging, with preflights cached for an hour)."""
import pytest

pytestmark = [pytest.mark.django_db]

PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,idempotency-key"}


@pytest.mark.parametrize(("origin", "allowed"), [
    ("https://www.vantage.com", True),
    ("https://staging.vantage.com", True),
    ("https://evil.example", False),
    ("http://www.vantage.com", False),
])
def test_checkout_preflight_is_answered_for_the_seed_origins_only(client, origin, allowed):
    response = client.options("/api/v2/checkout/guest", headers={"Origin": origin, **PREFLIGHT})

    assert (response.get("Access-Control-Allow-Origin") == origin) is allowed
    if allowed:
        assert "idempotency-key" in response["Access-Control-Allow-Headers"]
        assert response["Access-Control-Max-Age"] == "3600"


def test_preflight_cache_follows_the_setting(client, settings):
    settings.CORS_PREFLIGHT_MAX_AGE = 600

    response = client.options("/api/v2/checkout/guest", headers={"Origin": "https://www.vantage.com", **PREFLIGHT})

    assert response["Access-Control-Max-Age"] == "600"


def test_pages_outside_the_api_get_no_cors_headers(client):
    response = client.get("/", headers={"Origin": "https://www.vantage.com"})

    assert "Access-Control-Allow-Origin" not in response
