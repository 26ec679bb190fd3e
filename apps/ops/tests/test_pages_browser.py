"""The staff pages in a real browser (Chromium): charts drawn by our own static JavaScript, and on a
375 px phone no page is wider than the screen (tables scroll inside their box, the low-stock panel
turns each product into a card)."""
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from apps.experiments import public

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_page(context, live_server, user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key,
                          "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def test_payment_method_chart_is_drawn_as_svg(live_server, staff_user, context):
    day = datetime(2025, 10, 15, 12, tzinfo=UTC)
    for n, method in enumerate(["card", "apple_pay", "paypal", "apple_pay"]):
        unit = {"session_id": f"browser-{n}"}
        public.track("checkout_started", {}, unit, occurred_at=day + timedelta(days=n))
        public.track("order_confirmed", {"payment_method": method, "amount": "20.00"}, unit,
                     occurred_at=day + timedelta(days=n, minutes=3))
    page, errors = _signed_in_page(context, live_server, staff_user)

    page.goto(f"{live_server.url}/ops/payment-methods/?start=2025-10-01&end=2025-10-31")

    page.wait_for_selector("figure[data-chart] svg rect", state="attached")
    assert page.locator("figure[data-chart] svg rect").count() == 4
    assert page.locator(".chart-legend span").all_inner_texts() == ["apple_pay", "card", "paypal"]
    assert errors == []


@pytest.mark.parametrize("path", ["/ops/", "/ops/inventory/", "/ops/payment-methods/", "/ops/guest-checkout/",
                                  "/ops/experiments/", "/ops/experiments/EXP-2025-163/"])
def test_no_staff_page_is_wider_than_a_phone(live_server, staff_user, low_stock, browser, path):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page, errors = _signed_in_page(context, live_server, staff_user)

    page.goto(f"{live_server.url}{path}")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert errors == []
    context.close()


def test_the_low_stock_panel_is_a_card_per_product_on_a_phone(live_server, staff_user, low_stock, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page, _ = _signed_in_page(context, live_server, staff_user)

    page.goto(f"{live_server.url}/ops/inventory/")

    assert page.locator(".inv-table thead").is_hidden()
    label = page.evaluate("getComputedStyle(document.querySelector('.inv-table td[data-label=Stock]'), '::before')"
                          ".content")
    assert label == '"Stock: "'
    context.close()


def test_the_low_stock_table_keeps_words_whole_and_scrolls_in_its_box(live_server, staff_user, low_stock, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page, errors = _signed_in_page(context, live_server, staff_user)

    page.goto(f"{live_server.url}/ops/inventory/")

    styles = page.evaluate("""[...document.querySelectorAll('.inv-table th, .inv-table td')].map(cell => {
        const style = getComputedStyle(cell);
        return style.overflowWrap + ' ' + style.wordBreak; })""")
    assert styles and set(styles) == {"normal normal"}
    assert page.evaluate("getComputedStyle(document.querySelector('.inv-table').parentElement).overflowX") == "auto"
    assert errors == []
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_chart_over_sixty_days_shows_at_most_eight_date_labels(live_server, staff_user, browser, width):
    start = datetime(2025, 9, 1, 12, tzinfo=UTC)
    for day in range(0, 60, 3):
        unit = {"session_id": f"axis-{day}"}
        public.track("checkout_started", {}, unit, occurred_at=start + timedelta(days=day))
        public.track("order_confirmed", {"payment_method": "card", "amount": "20.00"}, unit,
                     occurred_at=start + timedelta(days=day, minutes=3))
    context = browser.new_context(viewport={"width": width, "height": 800})
    page, errors = _signed_in_page(context, live_server, staff_user)

    page.goto(f"{live_server.url}/ops/payment-methods/?start=2025-09-01&end=2025-10-30")

    page.wait_for_selector("figure[data-chart] svg rect", state="attached")
    labels = page.locator("figure[data-chart] svg text.x-label").all_text_contents()
    assert 2 <= len(labels) <= 8
    assert labels[0] == "2025-09-01"
    assert errors == []
    context.close()


def test_the_y_axis_steps_by_round_numbers(live_server, staff_user, context):
    # given seven card orders on one day and one on another: the largest bar is 7
    day = datetime(2025, 10, 15, 12, tzinfo=UTC)
    for n in range(8):
        unit = {"session_id": f"ticks-{n}"}
        at = day + timedelta(days=1 if n == 7 else 0, minutes=n)
        public.track("checkout_started", {}, unit, occurred_at=at)
        public.track("order_confirmed", {"payment_method": "card", "amount": "20.00"}, unit,
                     occurred_at=at + timedelta(minutes=3))
    page, errors = _signed_in_page(context, live_server, staff_user)

    page.goto(f"{live_server.url}/ops/payment-methods/?start=2025-10-01&end=2025-10-31")

    # then the axis reads 0, 2, 4, 6, 8 (not 0, 1.75, 3.5, 5.25, 7)
    page.wait_for_selector("figure[data-chart] svg rect", state="attached")
    assert page.locator("figure[data-chart] svg text.y-label").all_text_contents() == ["0", "2", "4", "6", "8"]
    assert errors == []


def test_experiment_ids_stay_on_one_line_on_a_phone(live_server, staff_user, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page, errors = _signed_in_page(context, live_server, staff_user)

    page.goto(f"{live_server.url}/ops/experiments/")

    link = page.get_by_role("link", name="EXP-2025-163")
    assert link.evaluate("element => element.getClientRects().length") == 1  # not "EXP-" / "2025-" / "163"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert errors == []
    context.close()
