"""Apple Pay: the domain association file Apple fetches, served from a setting."""
import pytest

from apps.payments.public import apple_pay_enabled, payment_method_types

URL = "/.well-known/apple-developer-merchantid-domain-association"


def test_domain_association_is_served_from_setting(client, settings):
    settings.APPLE_PAY_DOMAIN_ASSOCIATION = "7B227073704964223A2239373943393438"

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "7B227073704964223A2239373943393438"


def test_domain_association_is_404_when_unset(client, settings):
    settings.APPLE_PAY_DOMAIN_ASSOCIATION = ""

    assert client.get(URL).status_code == 404


@pytest.mark.parametrize(("enabled", "requested", "types"), [
    (True, "apple_pay", ["card", "apple_pay"]),
    (True, "card", ["card"]),
    (False, "apple_pay", ["card"]),
])
@pytest.mark.django_db
def test_payment_method_types_follow_the_flag(settings, enabled, requested, types):
    settings.APPLE_PAY_ENABLED = enabled

    assert apple_pay_enabled() is enabled
    assert payment_method_types(requested) == types
