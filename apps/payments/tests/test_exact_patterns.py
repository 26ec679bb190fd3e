"""The payments API's pattern fields match the whole value as sent: a trailing newline (which Python's `$`
let through) or space is a 422 naming the field, and nothing reaches Stripe or the database."""
import pytest

from apps.core.serializers import ExactRegexField
from apps.core.testing import UserFactory
from apps.payments.models import ShippingAddress

pytestmark = pytest.mark.django_db

TOKEN = "svc_tok_patterns"
INTENT = {"amount": 67.25, "currency": "USD", "payment_method_id": "pm_card_visa"}
ADDRESS = {"line1": "456 Oak Avenue", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}


@pytest.fixture
def service(settings, client):
    settings.SERVICE_AUTH_TOKENS = [TOKEN]

    def post(path, body):
        return client.post(path, body, content_type="application/json",
                           headers={"X-Service-Auth": f"Bearer {TOKEN}"})

    return post


@pytest.fixture
def shopper(client):
    user = UserFactory()
    client.force_login(user)
    return user


def assert_refused(response, field):
    assert response.status_code == 422, response.content
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {(field, "INVALID_FORMAT")}


@pytest.mark.parametrize("suffix", ["\n", " ", "\r\n"])
def test_intent_create_refuses_a_currency_with_a_trailing_newline_or_space(service, local_stripe, suffix):
    # when
    response = service("/api/v1/intents/create", {**INTENT, "currency": "USD" + suffix})
    # then
    assert_refused(response, "currency")
    assert local_stripe.call_count() == 0
    # and: the exact value still goes through
    assert service("/api/v1/intents/create", INTENT).status_code == 200


def test_intent_confirm_refuses_an_intent_id_with_a_trailing_newline(service, local_stripe):
    intent_id = service("/api/v1/intents/create", INTENT).json()["intent_id"]
    calls = local_stripe.call_count()

    response = service("/api/v1/intents/confirm", {"intent_id": intent_id + "\n"})

    assert_refused(response, "intent_id")
    assert local_stripe.call_count() == calls


def test_saving_a_card_refuses_a_payment_method_id_with_a_trailing_newline(client, shopper, local_stripe):
    response = client.post("/api/v1/payment-methods", {"payment_method_id": "pm_card_visa\n"},
                           content_type="application/json")

    assert_refused(response, "payment_method_id")
    assert local_stripe.call_count() == 0


@pytest.mark.parametrize(("field", "value"), [("zip", "78701\n"), ("zip", " 78701"), ("country", "US\n")])
def test_default_address_refuses_a_zip_or_country_with_surrounding_whitespace(client, shopper, field, value):
    response = client.put("/api/v1/addresses/default", {**ADDRESS, field: value}, content_type="application/json")

    assert_refused(response, field)
    assert not ShippingAddress.objects.exists()
    # and: the same address without it is saved as sent
    assert client.put("/api/v1/addresses/default", ADDRESS, content_type="application/json").json()["zip"] == "78701"


@pytest.mark.parametrize("pattern", [r"^[A-Z]{3}$", r"[A-Z]{3}\Z", r"^[A-Z]{3}"])
def test_a_pattern_field_must_be_anchored_with_caret_and_backslash_z(pattern):
    with pytest.raises(ValueError, match="ExactRegexField"):
        ExactRegexField(pattern)
