"""The README's demo logins work in a real browser: `admin` / `admin` at /admin/ and
`merchant` / `merchant` at /merchant/, on the data `seed_demo` loads."""
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "screenshots"


@pytest.fixture
def demo_shop(transactional_db):
    call_command("seed_demo", stdout=StringIO())


@pytest.mark.parametrize(("portal", "username", "password", "landing_heading"), [
    ("/admin/", "admin", "admin", "Site administration"),
    ("/merchant/", "merchant", "merchant", "Your store"),
])
def test_readme_demo_login_signs_in(live_server, demo_shop, page, portal, username, password, landing_heading):
    page.goto(f"{live_server.url}{portal}")
    assert "/login/" in page.url

    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(f"{live_server.url}{portal}")
    assert page.get_by_role("heading", name=landing_heading).is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"login-{username}.png"), full_page=True)


def test_merchant_portal_shows_the_demo_merchants_products_after_login(live_server, demo_shop, page):
    page.goto(f"{live_server.url}/merchant/login/?next=/merchant/catalog/product/")
    page.get_by_label("Username").fill("merchant")
    page.get_by_label("Password").fill("merchant")
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url("**/merchant/catalog/product/")
    assert page.get_by_role("cell", name="Noise Cancelling Headphones 700").count() == 1
    assert page.get_by_role("link", name="prod_headphones_nc").count() == 1
