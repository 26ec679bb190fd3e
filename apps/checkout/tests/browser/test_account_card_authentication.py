"""Saving a card on the account page goes through a SetupIntent (issue 13): a card whose bank wants 3-D
Secure shows the same simulated challenge as the checkout in local mode; Complete saves the card, Fail
explains and saves nothing."""
import pytest

from ..shopper import PASSWORD, customer
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


@pytest.fixture
def account_page(page, live_server, local_stripe):
    user = customer(card="", address=False)
    page.goto(f"{live_server.url}/accounts/login/?next=/account/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")
    page.get_by_label("Card number").fill("4000 0027 6000 3184")
    page.get_by_label("Expiry date").fill("08 / 31")
    page.get_by_label("Security code").fill("321")
    page.get_by_role("button", name="Save card").click()
    challenge = page.get_by_role("dialog", name="Confirm your card")
    challenge.wait_for(state="visible")
    assert "No charge" in challenge.inner_text() and "Visa •••• 3184" in challenge.inner_text()
    return challenge


def test_completed_challenge_saves_the_card(page, account_page, local_stripe):
    page.screenshot(path=str(SCREENSHOTS / "account-3ds-challenge.png"))
    with page.expect_navigation():
        account_page.get_by_role("button", name="Complete authentication").click()
    page.get_by_role("button", name="Remove Visa •••• 3184").wait_for()
    assert [s["status"] for s in local_stripe.store.setup_intents.values()] == ["succeeded"]
    assert not local_stripe.store.charges


def test_failed_challenge_saves_nothing_and_says_why(page, account_page, local_stripe):
    account_page.get_by_role("button", name="Fail authentication").click()
    page.locator("#a-card-error").get_by_text("could not confirm this card, so it was not saved").wait_for()
    assert page.get_by_text("No saved cards.").is_visible()
    assert all(s["status"] != "succeeded" for s in local_stripe.store.setup_intents.values())
