"""The daily low-stock digest: HTML + text, grouped by category, sorted by stockout date, each
recipient's urgency filter honoured, sent once a day, failures retried."""
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from apps.catalog.testing import CategoryFactory, ProductFactory
from apps.inventory.models import DigestDelivery, DigestRecipient
from apps.inventory.services import stock_set
from apps.inventory.services.digest import low_stock_digest_send
from apps.inventory.services.stock_check import stock_check_run
from apps.inventory.services.thresholds import ThresholdSpecInput, threshold_create
from apps.inventory.services.velocity import sales_velocity_recalculate
from apps.inventory.testing import sales_history

from .conftest import SEED_NOW, SEED_TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_stock(seed_catalog, merchant):
    """Headphones critical (tomorrow), cable warning (7 days), and a consumable informational (10 days)."""
    threshold_create(product_id="prod_headphones_nc", merchant_scope=None,
                     spec=ThresholdSpecInput("absolute", threshold_value=20))
    threshold_create(product_id="prod_cable_usbc", merchant_scope=None,
                     spec=ThresholdSpecInput("relative", threshold_percentage=158, reorder_lead_days=7))
    coffee = ProductFactory(id="prod_coffee", sku="COF-1KG", name="Coffee Beans 1kg", merchant=merchant,
                            category=CategoryFactory(slug="consumables", name="Consumables"))
    sales_history(coffee.id, total_units=300, today=SEED_TODAY)  # 10/day
    stock_set(product_id=coffee.id, quantity=100)  # consumables default 100: 10 days left
    sales_velocity_recalculate(product_id=coffee.id, today=SEED_TODAY)
    stock_check_run(now=SEED_NOW)


def test_digest_groups_by_category_sorted_by_stockout_date(low_stock, settings):
    settings.LOW_STOCK_DIGEST_RECIPIENTS = ["merch@vantage.example"]

    summary = low_stock_digest_send(day=SEED_TODAY)

    assert summary.sent == ["merch@vantage.example"]
    message = mail.outbox[0]
    assert message.to == ["merch@vantage.example"]
    assert message.subject == "Low-stock digest 2025-10-15: 3 products below threshold"
    text = message.body
    assert text.index("== Electronics ==") < text.index("HP-NC-700-BLK") < text.index("CBL-USBC-2M") \
        < text.index("== Consumables ==") < text.index("COF-1KG")
    assert "[CRITICAL] Noise Cancelling Headphones 700 (HP-NC-700-BLK): 12 in stock, threshold 20" in text
    assert "stockout 2025-10-16" in text
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<h2" in html and html.index("HP-NC-700-BLK") < html.index("CBL-USBC-2M") < html.index("COF-1KG")


def test_each_recipient_gets_only_the_urgencies_they_asked_for(low_stock):
    DigestRecipient.objects.create(email="oncall@vantage.example", urgencies=["critical"])
    DigestRecipient.objects.create(email="buyer@vantage.example", urgencies=["warning", "informational"])

    low_stock_digest_send(day=SEED_TODAY)

    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert "HP-NC-700-BLK" in by_recipient["oncall@vantage.example"]
    assert "CBL-USBC-2M" not in by_recipient["oncall@vantage.example"]
    assert "HP-NC-700-BLK" not in by_recipient["buyer@vantage.example"]
    assert "CBL-USBC-2M" in by_recipient["buyer@vantage.example"] and "COF-1KG" in by_recipient["buyer@vantage.example"]


def test_the_daily_run_sends_once_and_retries_only_failures(low_stock, settings):
    settings.LOW_STOCK_DIGEST_RECIPIENTS = ["merch@vantage.example"]
    low_stock_digest_send(day=SEED_TODAY)
    low_stock_digest_send(day=SEED_TODAY)
    assert len(mail.outbox) == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1  # nothing listens
    settings.LOW_STOCK_DIGEST_RECIPIENTS = ["merch@vantage.example", "late@vantage.example"]
    failed = low_stock_digest_send(day=SEED_TODAY)
    assert failed.failed == ["late@vantage.example"] and failed.skipped == ["merch@vantage.example"]
    assert DigestDelivery.objects.get(recipient="late@vantage.example").status == "pending"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert low_stock_digest_send(day=SEED_TODAY).sent == ["late@vantage.example"]


def test_products_without_the_digest_channel_are_left_out(seed_catalog, settings):
    settings.LOW_STOCK_DIGEST_RECIPIENTS = ["merch@vantage.example"]
    threshold_create(product_id="prod_headphones_nc", merchant_scope=None,
                     spec=ThresholdSpecInput("absolute", threshold_value=20, alert_channels=["kafka"]))
    stock_check_run(now=SEED_NOW)
    low_stock_digest_send(day=SEED_TODAY)
    assert "HP-NC-700-BLK" not in mail.outbox[0].body


def test_send_low_stock_digest_command_sends_now(low_stock, settings):
    settings.LOW_STOCK_DIGEST_RECIPIENTS = ["merch@vantage.example"]
    out = StringIO()
    call_command("send_low_stock_digest", stdout=out)
    call_command("send_low_stock_digest", stdout=out)  # "now" means now, even if sent today
    assert len(mail.outbox) == 2
    assert "sent to merch@vantage.example" in out.getvalue()
