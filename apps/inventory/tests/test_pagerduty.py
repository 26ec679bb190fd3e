"""PagerDuty Events API v2 through the real HTTP client against a local server: stock below 50 %
of threshold triggers once per product (dedup_key), recovery resolves it, an outage loses nothing."""
from datetime import timedelta

import pytest

from apps.inventory.models import PagerDutyEvent
from apps.inventory.services import stock_set
from apps.inventory.services.stock_check import stock_check_run
from apps.inventory.services.thresholds import ThresholdSpecInput, threshold_create
from apps.inventory.tasks import send_pagerduty_event
from devtools.pagerduty_server import ROUTING_KEY

from .conftest import SEED_NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def paged_headphones(seed_catalog):
    threshold_create(product_id="prod_headphones_nc", merchant_scope=None, spec=ThresholdSpecInput(
        "absolute", threshold_value=20, alert_channels=["kafka", "pagerduty"]))
    stock_set(product_id="prod_headphones_nc", quantity=9)  # 9 < 50 % of 20


def deliver_pending() -> None:
    for event_id in PagerDutyEvent.objects.filter(status="pending").order_by("id").values_list("id", flat=True):
        send_pagerduty_event.apply(args=[event_id])


def test_stock_below_half_the_threshold_pages_once_and_recovery_resolves(paged_headphones, local_pagerduty):
    for run in range(288):
        stock_check_run(now=SEED_NOW + timedelta(minutes=5 * run))
        deliver_pending()

    assert len(local_pagerduty.events) == 1
    trigger = local_pagerduty.events[0]
    assert local_pagerduty.paths == ["/v2/enqueue"]
    assert trigger["routing_key"] == ROUTING_KEY
    assert trigger["event_action"] == "trigger"
    assert trigger["dedup_key"] == "vantage-inventory-low-stock:prod_headphones_nc"
    assert trigger["payload"]["severity"] == "critical"
    assert trigger["payload"]["source"] and "HP-NC-700-BLK" in trigger["payload"]["summary"]
    assert trigger["payload"]["custom_details"]["current_stock"] == 9

    stock_set(product_id="prod_headphones_nc", quantity=150)
    stock_check_run(now=SEED_NOW + timedelta(days=1))
    deliver_pending()

    assert len(local_pagerduty.events) == 2
    resolve = local_pagerduty.events[1]
    assert resolve == {"routing_key": ROUTING_KEY, "event_action": "resolve",
                       "dedup_key": "vantage-inventory-low-stock:prod_headphones_nc"}


def test_below_threshold_but_above_half_does_not_page(seed_catalog, local_pagerduty):
    threshold_create(product_id="prod_headphones_nc", merchant_scope=None, spec=ThresholdSpecInput(
        "absolute", threshold_value=20, alert_channels=["pagerduty"]))  # stock 12: 60 % of threshold
    stock_check_run(now=SEED_NOW)
    deliver_pending()
    assert local_pagerduty.events == []


def test_without_the_pagerduty_channel_nothing_pages(seed_catalog, local_pagerduty):
    threshold_create(product_id="prod_headphones_nc", merchant_scope=None, spec=ThresholdSpecInput(
        "absolute", threshold_value=20, alert_channels=["kafka"]))
    stock_set(product_id="prod_headphones_nc", quantity=1)
    stock_check_run(now=SEED_NOW)
    deliver_pending()
    assert local_pagerduty.events == []


def test_an_alert_that_worsens_below_half_pages_then(seed_catalog, local_pagerduty):
    threshold_create(product_id="prod_headphones_nc", merchant_scope=None, spec=ThresholdSpecInput(
        "absolute", threshold_value=20, alert_channels=["pagerduty"]))
    stock_check_run(now=SEED_NOW)  # 12 units: alert, no page
    stock_set(product_id="prod_headphones_nc", quantity=4)
    stock_check_run(now=SEED_NOW + timedelta(minutes=5))  # within 24 h, but now < 50 %
    deliver_pending()
    assert [event["event_action"] for event in local_pagerduty.events] == ["trigger"]


def test_pagerduty_outage_is_retried_and_nothing_is_lost(paged_headphones, local_pagerduty):
    local_pagerduty.fail(503)
    local_pagerduty.fail(500)
    stock_check_run(now=SEED_NOW)

    deliver_pending()  # Celery retries eagerly here: 503, 500, then 202

    event = PagerDutyEvent.objects.get()
    assert (event.status, event.attempts) == ("delivered", 3)
    assert [event["event_action"] for event in local_pagerduty.events] == ["trigger"] * 3


def test_pagerduty_not_configured_pages_nobody(paged_headphones, local_pagerduty, settings):
    settings.PAGERDUTY_ROUTING_KEY = ""
    stock_check_run(now=SEED_NOW)
    assert not PagerDutyEvent.objects.exists()


def test_an_event_pagerduty_rejects_is_not_retried(paged_headphones, local_pagerduty, settings):
    settings.PAGERDUTY_ROUTING_KEY = "not-an-integration-key"
    stock_check_run(now=SEED_NOW)

    deliver_pending()

    event = PagerDutyEvent.objects.get()
    assert (event.status, event.attempts) == ("failed", 1)
    assert event.last_error.startswith("HTTP 400") and "routing_key" in event.last_error
    assert len(local_pagerduty.events) == 1


def test_a_product_on_its_category_default_pages_when_critical(seed_catalog, local_pagerduty):
    # no threshold of its own: electronics' default of 20 units with the default channels
    stock_set(product_id="prod_headphones_nc", quantity=0)

    stock_check_run(now=SEED_NOW)
    deliver_pending()

    assert [event["event_action"] for event in local_pagerduty.events] == ["trigger"]
    assert local_pagerduty.events[0]["dedup_key"] == "vantage-inventory-low-stock:prod_headphones_nc"


def test_a_merchant_list_without_pagerduty_keeps_its_own_channels(seed_catalog, local_pagerduty):
    threshold_create(product_id="prod_headphones_nc", merchant_scope=None, spec=ThresholdSpecInput(
        "absolute", threshold_value=20, alert_channels=["kafka", "email_digest"]))
    stock_set(product_id="prod_headphones_nc", quantity=0)

    stock_check_run(now=SEED_NOW)
    deliver_pending()

    assert local_pagerduty.events == []
