"""The shopper's return journey in Debian's Chromium (Playwright) against a live server."""
import pytest

from apps.returns.models import Return, ReturnStatus

from .conftest import lines_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "accept_downloads": True}


def test_guest_return_journey_in_a_browser(returns_on, make_order, live_server, page):
    order = make_order(lines=[(2, "25.00")])
    (line,) = lines_of(order)
    page.goto(f"{live_server.url}/returns/start?order_id={order.id}")
    page.get_by_label("Email used at checkout").fill(order.email)
    page.get_by_label("Confirmation code").fill(order.confirmation_token)
    page.get_by_role("button", name="Find my order").click()
    page.get_by_label(f"Quantity of {line.name}").select_option("1")
    page.get_by_label(f"Reason for {line.name}").select_option("size_fit")
    page.get_by_role("button", name="Create return and label").click()
    page.wait_for_url(f"{live_server.url}/returns/ret_*")
    assert page.locator(".return-status").inner_text() == "Label ready"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your return label (PDF)").click()
    with open(download.value.path(), "rb") as label:
        assert label.read(5) == b"%PDF-"
    page.get_by_role("button", name="Cancel this return").click()
    assert page.locator(".return-status").inner_text() == "Cancelled"
    assert Return.objects.get().status == ReturnStatus.CANCELLED
