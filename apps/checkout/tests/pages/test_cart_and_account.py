"""Cart page (form posts through the cart services), sign up / sign in with email, the account page,
and who may see a confirmation page."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from apps.checkout.models import Cart
from apps.checkout.testing import send_queued_emails
from apps.inventory.public import stock_set

from ..shopper import PASSWORD, customer

pytestmark = pytest.mark.django_db


def test_add_update_and_remove_lines_on_the_cart_page(client, make_product):
    lamp, mug = make_product(price="24.50"), make_product(price="9.99")
    client.post("/cart/add", {"product_id": lamp.id, "quantity": 2})
    client.post("/cart/add", {"product_id": mug.id})
    cart = Cart.objects.get()
    assert {(i.product_id, i.quantity) for i in cart.items.all()} == {(lamp.id, 2), (mug.id, 1)}
    assert "$58.99" in client.get("/cart/").content.decode()

    client.post("/cart/update", {"product_id": lamp.id, "quantity": 3})
    client.post("/cart/update", {"product_id": mug.id, "quantity": 1, "remove": "1"})
    assert [(i.product_id, i.quantity) for i in cart.items.all()] == [(lamp.id, 3)]
    assert '<span class="badge" aria-label="3 items">3</span>' in client.get("/products/").content.decode()


def test_cart_page_refuses_more_than_is_in_stock_and_says_how_many_are_left(client, make_product):
    # given
    headphones = make_product(stock=12, name="Noise Cancelling Headphones 700")
    client.post("/cart/add", {"product_id": headphones.id, "quantity": 2})
    # when
    added = client.post("/cart/add", {"product_id": headphones.id, "quantity": 50}, follow=True)
    changed = client.post("/cart/update", {"product_id": headphones.id, "quantity": 13}, follow=True)
    # then
    expected = "Only 12 of Noise Cancelling Headphones 700 left. Reduce the quantity to 12 or fewer."
    assert expected in added.content.decode() and expected in changed.content.decode()
    assert [(i.product_id, i.quantity) for i in Cart.objects.get().items.all()] == [(headphones.id, 2)]


@pytest.mark.parametrize(("product_id", "quantity", "message"), [
    ("prod_missing", 1, "Product prod_missing does not exist or is not for sale"),
    (None, 0, "Quantity: Ensure this value is greater than or equal to 1."),
])
def test_cart_add_errors_are_shown_with_the_real_message(client, make_product, product_id, quantity, message):
    product_id = product_id or make_product().id
    response = client.post("/cart/add", {"product_id": product_id, "quantity": quantity}, follow=True)
    assert message in response.content.decode()
    assert Cart.objects.count() == 0


def test_checkout_without_a_cart_goes_back_to_the_cart(client):
    response = client.get("/checkout/", follow=True)
    assert response.redirect_chain[-1][0] == "/cart/"
    assert "Your cart is empty" in response.content.decode()


def test_checkout_page_reuses_the_live_guest_session(client, make_product):
    client.post("/cart/add", {"product_id": make_product().id})
    first = client.get("/checkout/").context["checkout_config"]
    again = client.get("/checkout/").context["checkout_config"]
    assert first["sessionId"] == again["sessionId"] and first["sessionId"].startswith("guest:sess:")
    assert first["ttlSeconds"] > 0 and first["sessionToken"].startswith("guest_session_tok_")


def test_checkout_page_prints_amounts_as_money(client, make_product):
    # given a cart over a thousand dollars
    client.post("/cart/add", {"product_id": make_product(price="649.50").id, "quantity": 2})
    # when the checkout page renders
    html = client.get("/checkout/").content.decode()
    # then every amount is formatted money (thousands separator), never a bare decimal after "$"
    assert 'Place order · <span data-amount="total">$1,299.00</span>' in html
    assert 'data-amount="total" data-total>$1,299.00</dd>' in html
    assert "$1299.00" not in html


def test_sign_up_makes_the_email_the_username_and_signs_in_by_the_emailed_link(client):
    response = client.post("/accounts/signup/", {"email": "New.Shopper@example.com", "password1": PASSWORD,
                                                 "password2": PASSWORD})
    assert response["Location"] == "/accounts/confirm-email/"
    user = get_user_model().objects.get()
    assert user.username == user.email == "new.shopper@example.com"
    assert client.get("/account/").status_code == 302  # not signed in before the email is confirmed
    send_queued_emails()
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body).group(1)
    client.post(link)
    assert client.get("/account/").status_code == 200


def test_sign_up_with_an_email_that_has_an_account_tells_only_its_owner(client):
    customer("taken@example.com", card="", address=False)
    response = client.post("/accounts/signup/", {"email": "taken@example.com", "password1": PASSWORD,
                                                 "password2": PASSWORD})
    # the page looks the same as for a new address (no account enumeration); the owner gets an email
    assert response["Location"] == "/accounts/confirm-email/"
    assert get_user_model().objects.count() == 1
    send_queued_emails()
    assert [m.to for m in mail.outbox] == [["taken@example.com"]]


def test_sign_in_follows_a_safe_next_only(client):
    customer("me@example.com", card="", address=False)
    ok = client.post("/accounts/login/?next=/cart/", {"login": "me@example.com", "password": PASSWORD})
    assert ok["Location"] == "/cart/"
    evil = Client().post("/accounts/login/", {"login": "me@example.com", "password": PASSWORD,
                                              "next": "https://evil.example/"})
    assert evil["Location"] == "/"


def test_wrong_password_shows_the_error(client):
    customer("me@example.com", card="", address=False)
    response = client.post("/accounts/login/", {"login": "me@example.com", "password": "nope"})
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_signing_out_takes_a_post(client):
    client.force_login(customer("me@example.com", card="", address=False))
    assert client.post("/accounts/logout/")["Location"] == "/"
    assert client.get("/account/").status_code == 302


def test_account_page_needs_sign_in_and_lists_saved_cards_and_address(client, local_stripe):
    assert client.get("/account/")["Location"].startswith("/accounts/login/?next=/account/")
    client.force_login(customer())
    html = client.get("/account/").content.decode()
    assert "Visa •••• 4242" in html and "1600 Pennsylvania Ave" in html


@pytest.mark.parametrize(("event", "status"), [("apple_pay_button_shown", 202), ("order_confirmed", 422)])
def test_browser_events_accept_only_the_apple_pay_events(client, event, status):
    response = client.post("/checkout/events", {"event": event}, content_type="application/json")
    assert response.status_code == status


def test_cart_page_warns_when_stock_dropped_below_a_lines_quantity(client, make_product):
    lamp = make_product(stock=10, name="Desk Lamp")
    client.post("/cart/add", {"product_id": lamp.id, "quantity": 4})
    stock_set(product_id=lamp.id, quantity=3)

    html = client.get("/cart/").content.decode()

    assert "Only 3 of Desk Lamp left. Reduce the quantity to 3 or fewer." in html
    assert 'aria-invalid="true" aria-describedby="stock-1"' in html
