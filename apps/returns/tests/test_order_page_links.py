"""The shopper's way in: the account page and the order confirmation page link to a return for the
orders that can be returned now, and show nothing while `self_service_returns` is off for them."""
import pytest

from .conftest import verified_customer

pytestmark = pytest.mark.django_db

EMAIL = "returner@example.com"


@pytest.fixture
def shopper(client):
    user = verified_customer(EMAIL, EMAIL, "x-Secret-123")
    client.force_login(user)
    return user


def test_account_page_links_only_the_returnable_orders(client, shopper, make_order, returns_on):
    delivered = make_order(email=EMAIL)
    just_paid = make_order(email=EMAIL, status="paid", shipped_at=None, delivered_at=None)

    html = client.get("/account/").content.decode()

    assert f'href="/returns/orders/{delivered.id}"' in html
    assert f"/returns/orders/{just_paid.id}" not in html
    assert 'href="/returns/"' in html


def test_confirmation_page_of_a_delivered_order_offers_a_return(client, shopper, make_order, returns_on):
    order = make_order(email=EMAIL)
    html = client.get(f"/checkout/confirmation/{order.confirmation_token}/").content.decode()
    assert f'href="/returns/orders/{order.id}" data-return-link' in html


def test_no_return_links_while_the_flag_is_off(client, shopper, make_order, settings):
    settings.SELF_SERVICE_RETURNS_ENABLED = False
    order = make_order(email=EMAIL)

    account = client.get("/account/").content.decode()
    confirmation = client.get(f"/checkout/confirmation/{order.confirmation_token}/").content.decode()

    assert "/returns/" not in account and "/returns/" not in confirmation
