"""TAX_PROVIDER=stripe against the local Stripe-compatible server (its fixed rate table: CA 7.25 % with shipping
untaxed, NY 4 %, DE 19 % / 7 %, …): the SDK's requests, Stripe's amounts mapped per line, the errors a checkout
maps, and the tax transaction recorded after the order's commit, retried while Stripe is down."""
import time
from decimal import Decimal

import pytest

from apps.tax.public import (
    TaxableLine,
    TaxAddressInvalid,
    TaxServiceUnavailable,
    tax_calculate,
)
from apps.tax.testing import TaxRateFactory

pytestmark = pytest.mark.django_db
CALCULATIONS = "/v1/tax/calculations"


@pytest.fixture
def stripe_tax(local_stripe, settings):
    settings.TAX_PROVIDER = "stripe"
    return local_stripe


def line(reference: str, amount: str, category: str = "standard", quantity: int = 1) -> TaxableLine:
    return TaxableLine(reference=reference, amount=Decimal(amount), quantity=quantity, tax_category=category)


def calculate(country="US", state="CA", zip_code="94107", lines=None, shipping="5.99", currency="USD"):
    return tax_calculate(country=country, state=state, zip_code=zip_code, currency=currency,
                         lines=lines or [line("prod_a", "25.98", quantity=2), line("prod_b", "7.15", "reduced")],
                         shipping_amount=Decimal(shipping))


def test_a_us_quote_comes_from_one_stripe_tax_calculation(stripe_tax):
    quote = calculate()

    assert quote.provider == "stripe" and quote.calculation_id.startswith("taxcalc_")
    assert quote.prices_include_tax is False
    # CA at 7.25 %: 25.98 → 1.88355 → 1.88; the reduced (grocery) line and shipping are untaxed in CA
    assert [(item.reference, item.tax, item.rate) for item in quote.lines] == [
        ("prod_a", Decimal("1.88"), Decimal("0.0725")), ("prod_b", Decimal("0.00"), Decimal("0"))]
    assert (quote.shipping_tax, quote.total) == (Decimal("0.00"), Decimal("1.88"))
    (sent,) = stripe_tax.store.tax_calculations.values()
    assert sent["tax_amount_exclusive"] == 188 and sent["amount_total"] == 2598 + 715 + 599 + 188
    items = {item["reference"]: item for item in stripe_tax.store.tax_line_items[quote.calculation_id]}
    assert (items["prod_a"]["amount"], items["prod_a"]["quantity"], items["prod_a"]["tax_behavior"]) == (
        2598, 2, "exclusive")
    assert items["prod_b"]["tax_code"] == "txcd_40060003"
    assert stripe_tax.call_count("POST", CALCULATIONS) == 1


def test_taxed_shipping_and_exempt_lines(stripe_tax):
    quote = calculate(state="NY", zip_code="12207", lines=[line("prod_a", "100.00"), line("card", "50.00", "exempt")],
                      shipping="14.99")

    assert [item.tax for item in quote.lines] == [Decimal("4.00"), Decimal("0.00")]
    assert quote.shipping_tax == Decimal("0.60")  # 14.99 × 4 % = 0.5996
    assert quote.total == Decimal("4.60")


def test_vat_countries_send_inclusive_prices_where_the_admin_says_so(stripe_tax):
    TaxRateFactory(country="DE", state="", standard_rate=Decimal("19"), reduced_rate=Decimal("7"),
                   prices_include_tax=True)

    quote = calculate(country="DE", state="", zip_code="10115", currency="EUR",
                      lines=[line("lamp", "59.50"), line("coffee", "10.70", "reduced")], shipping="4.90")

    assert quote.prices_include_tax is True
    assert [(item.tax, item.rate) for item in quote.lines] == [(Decimal("9.50"), Decimal("0.19")),
                                                               (Decimal("0.70"), Decimal("0.07"))]
    assert quote.shipping_tax == Decimal("0.78")  # 4.90 − 4.90 / 1.19 = 0.7823…
    (sent,) = stripe_tax.store.tax_calculations.values()
    assert sent["tax_amount_inclusive"] == 950 + 70 + 78 and sent["tax_amount_exclusive"] == 0
    assert sent["amount_total"] == 5950 + 1070 + 490  # inclusive: the shopper pays the listed prices


def test_the_same_cart_gives_the_same_tax_and_a_long_cart_is_read_page_by_page(stripe_tax):
    lines = [line(f"prod_{index:02d}", f"{index + 1}.99") for index in range(25)]

    first, second = calculate(lines=lines), calculate(lines=lines)

    assert [item.reference for item in first.lines] == [item.reference for item in lines]
    assert first.lines == second.lines and first.total == second.total
    assert first.total == sum((item.tax for item in first.lines), Decimal("0")) + first.shipping_tax
    assert stripe_tax.call_count("GET", f"{CALCULATIONS}/{first.calculation_id}/line_items") >= 1


def test_zero_amounts_are_not_sent_and_an_empty_quote_makes_no_call(stripe_tax):
    quote = calculate(lines=[line("free", "0.00")], shipping="0.00")

    assert quote.total == Decimal("0.00") and quote.calculation_id == ""
    assert stripe_tax.call_count("POST", CALCULATIONS) == 0


def test_one_transient_failure_is_retried(stripe_tax):
    stripe_tax.fail("502", count=1)

    quote = calculate()

    assert quote.total == Decimal("1.88")
    assert stripe_tax.call_count("POST", CALCULATIONS) == 2


@pytest.mark.parametrize("mode", ["502", "500", "429"])
def test_stripe_tax_down_is_a_503_the_checkout_can_show(stripe_tax, mode):
    stripe_tax.fail(mode, count=5)

    with pytest.raises(TaxServiceUnavailable) as raised:
        calculate()

    assert raised.value.status_code == 503 and raised.value.code == "TAX_SERVICE_UNAVAILABLE"
    assert raised.value.headers["Retry-After"] == str(raised.value.retry_after_seconds)


def test_an_unreachable_stripe_is_a_503(settings, stripe_tax):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port

    with pytest.raises(TaxServiceUnavailable):
        calculate()


def test_a_hanging_stripe_times_out_per_attempt(settings, stripe_tax):
    settings.TAX_PROVIDER_TIMEOUT_MS = 300
    stripe_tax.fail("timeout", count=2, delay_ms=3000)
    started = time.monotonic()

    with pytest.raises(TaxServiceUnavailable):
        calculate()

    assert time.monotonic() - started < 2.5  # two 0.3 s attempts, not two 3 s waits
    assert stripe_tax.call_count("POST", CALCULATIONS) == 2


def test_a_refusal_that_no_retry_fixes_is_a_503_without_retrying(settings, stripe_tax):
    settings.STRIPE_SECRET_KEY = "rk_wrong_kind_of_key"  # Stripe answers 401

    with pytest.raises(TaxServiceUnavailable):
        calculate()

    assert stripe_tax.call_count("POST", CALCULATIONS) == 1


def test_an_address_stripe_cannot_locate_is_a_422(stripe_tax):
    with pytest.raises(TaxAddressInvalid) as raised:
        calculate(zip_code="not-a-zip")
    assert raised.value.status_code == 422 and raised.value.code == "TAX_ADDRESS_INVALID"


def test_the_table_provider_never_calls_stripe(local_stripe, settings):
    settings.TAX_PROVIDER = "table"

    quote = calculate()

    assert quote.provider == "table" and quote.calculation_id == ""
    assert local_stripe.call_count() == 0
