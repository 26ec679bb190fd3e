"""The account pages in Debian's Chromium (Playwright) against a live server, at 1280 and 375 px: sign up,
the emailed link, sign in, password reset, the lockout and 429 pages. Each page is in the shop's layout,
never scrolls sideways, and is saved under test-artifacts/screenshots/accounts-*.png for review."""
import re
from pathlib import Path

import pytest
from django.core import mail

from apps.checkout.testing import send_queued_emails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
PASSWORD = "correct-horse-battery-9"
WIDTHS = {"desktop": 1280, "mobile": 375}


def looks_like_the_shop(page, name: str, width: str) -> None:
    assert page.locator(".site-header .brand").inner_text() == "Vantage"
    assert page.evaluate(NO_SIDEWAYS_SCROLL), name
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"accounts-{name}-{width}.png"), full_page=True)


def emailed_path(pattern: str) -> str:
    send_queued_emails()
    return re.search(rf"https?://[^/]+({pattern}\S+)", mail.outbox[-1].body).group(1)


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_up_confirm_the_email_and_sign_in_again(page, live_server, width):
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_role("button", name="Create account").click()
    assert page.locator("#id_email-error").is_visible()
    looks_like_the_shop(page, "signup-errors", width)

    page.get_by_label("Email address").fill(f"new.{width}@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    looks_like_the_shop(page, "verification-sent", width)

    page.goto(live_server.url + emailed_path("/accounts/confirm-email/"))
    looks_like_the_shop(page, "confirm-email", width)
    page.get_by_role("button", name="Confirm my email").click()
    page.get_by_role("link", name="Account", exact=True).wait_for()

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(f"new.{width}@example.com")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("password you specified are not correct").wait_for()
    looks_like_the_shop(page, "login-error", width)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Account", exact=True).wait_for()
    for path, name in (("/accounts/email/", "manage-email"), ("/accounts/password/change/", "change-password")):
        page.goto(live_server.url + path)
        looks_like_the_shop(page, name, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_reset_a_forgotten_password(page, live_server, django_user_model, width):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user("forgetful@example.com", "forgetful@example.com", "old-pass-123")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    looks_like_the_shop(page, "login", width)
    page.get_by_role("link", name="Forgot your password?").click()
    looks_like_the_shop(page, "password-reset", width)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    looks_like_the_shop(page, "password-reset-done", width)

    page.goto(live_server.url + emailed_path("/accounts/password/reset/key/"))
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    looks_like_the_shop(page, "password-reset-new", width)
    page.get_by_role("button", name="Save the new password").click()
    page.get_by_role("heading", name="Password changed").wait_for()
    looks_like_the_shop(page, "password-reset-changed", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_lockout_and_too_many_requests_pages(page, live_server, settings, width):
    settings.AXES_FAILURE_LIMIT = 2
    settings.PAGE_RATE_LIMITS = {**settings.PAGE_RATE_LIMITS, "password_reset": 1}
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    for _ in range(2):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email address").fill("someone@example.com")
        page.get_by_label("Password").fill("wrong")
        with page.expect_navigation():  # the POST is answered before the next attempt starts
            page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Too many failed sign-in attempts").wait_for()
    looks_like_the_shop(page, "lockout", width)

    for _ in range(2):
        page.goto(f"{live_server.url}/accounts/password/reset/")
        page.get_by_label("Email address").fill("someone@example.com")
        with page.expect_navigation():
            page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Too many requests").wait_for()
    looks_like_the_shop(page, "too-many-requests", width)
