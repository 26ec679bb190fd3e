"""The merchant portal's threshold form in Chromium: alert channels are checkboxes and the webhook
URL appears only while "webhook" is ticked; the low-stock alerts page wears the ops panel's urgency
colours (demo data from `seed_demo`, README logins)."""
from io import StringIO

import pytest
from django.contrib.admin.utils import quote
from django.core.management import call_command

from apps.inventory.models import InventoryThreshold

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_webhook_url_field_follows_the_webhook_checkbox(live_server, page):
    call_command("seed_demo", stdout=StringIO())
    threshold = InventoryThreshold.objects.get(product_id="prod_headphones_nc")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/merchant/login/?next=/merchant/inventory/inventorythreshold/{quote(threshold.id)}/change/")
    page.get_by_label("Username").fill("merchant")
    page.get_by_label("Password").fill("merchant")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/change/")

    webhook = page.locator('input[name="alert_channels"][value="webhook"]')
    url_field = page.get_by_label("Webhook URL")
    if webhook.is_checked():
        webhook.uncheck()
    assert not url_field.is_visible()
    webhook.check()
    assert url_field.is_visible()
    webhook.uncheck()
    assert not url_field.is_visible()
    assert errors == []


@pytest.mark.parametrize("width", [1280, 375])
def test_portal_alert_badges_have_the_ops_panel_colours(live_server, browser, width):
    call_command("seed_demo", stdout=StringIO())
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    badge_colours = ("[...document.querySelectorAll('.urgency')].reduce((colours, badge) => ({...colours, "
                     "[badge.textContent.trim().split(' ').pop()]: getComputedStyle(badge).backgroundColor}), {})")

    page.goto(f"{live_server.url}/admin/login/?next=/ops/inventory/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("admin")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/ops/inventory/")
    ops = page.evaluate(badge_colours)
    context.clear_cookies()
    page.goto(f"{live_server.url}/merchant/login/?next=/merchant/inventory/lowstockalert/")
    page.get_by_label("Username").fill("merchant")
    page.get_by_label("Password").fill("merchant")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/lowstockalert/")
    portal = page.evaluate(badge_colours)

    assert {"critical", "warning", "informational"} <= set(portal)
    assert {urgency: portal[urgency] for urgency in ("critical", "warning", "informational")} == {
        urgency: ops[urgency] for urgency in ("critical", "warning", "informational")}
    assert len(set(portal.values())) == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []
    context.close()
