"""The merchant portal's threshold form in Chromium: alert channels are checkboxes and the webhook
URL appears only while "webhook" is ticked (demo data from `seed_demo`, README login)."""
from io import StringIO

import pytest
from django.core.management import call_command

from apps.inventory.models import InventoryThreshold

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_webhook_url_field_follows_the_webhook_checkbox(live_server, page):
    call_command("seed_demo", stdout=StringIO())
    threshold = InventoryThreshold.objects.get(product_id="prod_headphones_nc")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/merchant/login/?next=/merchant/inventory/inventorythreshold/{threshold.id}/change/")
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
