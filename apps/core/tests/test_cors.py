"""CORS: the checkout API answers preflights from the configured shop origins only."""
import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("apps.core.tests.urls")]


@pytest.mark.parametrize(("origin", "allowed"), [("https://www.vantage.com", True), ("https://evil.example", False)])
def test_preflight_is_answered_for_configured_origins_only(client, origin, allowed):
    response = client.options("/api/test/echo", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,idempotency-key"})
    assert (response.get("Access-Control-Allow-Origin") == origin) is allowed
    if allowed:
        assert "idempotency-key" in response["Access-Control-Allow-Headers"]
