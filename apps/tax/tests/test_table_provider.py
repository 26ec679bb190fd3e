"""The `table` provider through the public interface: jurisdiction precedence, categories, shipping,
VAT-inclusive extraction, input validation."""
from decimal import Decimal

import pytest

from apps.tax.public import TaxableLine, TaxRequestInvalid, tax_calculate
from apps.tax.testing import TaxRateFactory

pytestmark = pytest.mark.django_db


def line(reference: str, amount: str, category: str = "standard", quantity: int = 1) -> TaxableLine:
    return TaxableLine(reference=reference, amount=Decimal(amount), quantity=quantity, tax_category=category)


def quote(country="US", state="", zip_code="", lines=None, shipping="0.00", currency="USD"):
    return tax_calculate(country=country, state=state, zip_code=zip_code, lines=lines or [line("a", "100.00")],
                         shipping_amount=Decimal(shipping), currency=currency)


@pytest.fixture
def new_york():
    TaxRateFactory(name="United States", country="US", state="", standard_rate=Decimal("1"))
    TaxRateFactory(name="New York", country="US", state="NY", standard_rate=Decimal("4"))
    TaxRateFactory(name="New York City", country="US", state="NY", zip_prefix="100", standard_rate=Decimal("8.875"))
    TaxRateFactory(name="Lower Manhattan", country="US", state="NY", zip_prefix="1000", standard_rate=Decimal("9"))


@pytest.mark.parametrize(("state", "zip_code", "rate"), [
    ("NY", "10001", "0.09"),  # the longest ZIP prefix wins
    ("NY", "10025", "0.08875"),  # a shorter prefix still beats the state
    ("NY", "10001-1234", "0.09"),  # ZIP+4
    ("NY", "14201", "0.04"),  # Buffalo: the state's rate
    ("NY", "", "0.04"),
    ("ny", " 14201 ", "0.04"),  # codes are normalised
    ("NJ", "07030", "0.01"),  # no state row: the country's
    ("", "10001", "0.01"),  # a ZIP row of NY never applies outside NY
])
def test_the_most_specific_jurisdiction_wins(new_york, state, zip_code, rate):
    result = quote(state=state, zip_code=zip_code)

    assert result.lines[0].rate == Decimal(rate)
    assert result.lines[0].tax == (Decimal("100.00") * Decimal(rate)).quantize(Decimal("0.01"))


def test_a_destination_without_a_rate_is_not_taxed():
    TaxRateFactory(country="US", state="CA")

    result = quote(country="US", state="OR", zip_code="97201", shipping="5.99")

    assert (result.total, result.shipping_tax, result.lines[0].rate) == (Decimal("0.00"), Decimal("0.00"), 0)
    assert result.prices_include_tax is False and result.provider == "table" and result.calculation_id == ""


def test_reduced_and_exempt_categories_take_their_own_rates():
    TaxRateFactory(country="DE", state="", standard_rate=Decimal("19"), reduced_rate=Decimal("7"))

    result = quote(country="DE", lines=[line("tv", "100.00"), line("coffee", "10.00", "reduced"),
                                        line("gift", "50.00", "exempt")])

    assert [(item.reference, item.rate) for item in result.lines] == [
        ("tv", Decimal("0.19")), ("coffee", Decimal("0.07")), ("gift", Decimal("0"))]
    assert [item.tax for item in result.lines] == [Decimal("19.00"), Decimal("0.70"), Decimal("0.00")]


@pytest.mark.parametrize(("taxable", "shipping_tax"), [(True, "0.43"), (False, "0.00")])
def test_shipping_is_taxed_only_where_the_jurisdiction_says_so(taxable, shipping_tax):
    TaxRateFactory(country="US", state="TX", standard_rate=Decimal("7.25"), shipping_taxable=taxable)

    result = quote(state="TX", lines=[line("a", "20.00")], shipping="5.99")

    assert result.shipping_tax == Decimal(shipping_tax)  # 5.99 × 7.25 % = 0.434275
    assert result.total == result.lines[0].tax + result.shipping_tax == Decimal("1.45") + Decimal(shipping_tax)


def test_vat_inclusive_prices_carry_the_vat_inside_them():
    TaxRateFactory(country="FR", state="", standard_rate=Decimal("20"), reduced_rate=Decimal("5.5"),
                   shipping_taxable=True, prices_include_tax=True)

    result = quote(country="FR", lines=[line("lamp", "59.99", quantity=1), line("tea", "8.44", "reduced")],
                   shipping="9.90", currency="EUR")

    assert result.prices_include_tax is True
    # 59.99 − 59.99 / 1.2 = 9.998…; 8.44 − 8.44 / 1.055 = 0.44; 9.90 − 9.90 / 1.2 = 1.65
    assert [item.tax for item in result.lines] == [Decimal("10.00"), Decimal("0.44")]
    assert result.shipping_tax == Decimal("1.65")
    assert result.total == Decimal("12.09")


def test_exclusive_tax_rounds_each_line_half_up():
    TaxRateFactory(country="US", state="CA", standard_rate=Decimal("7.25"))

    result = quote(state="CA", lines=[line("a", "0.20"), line("b", "0.60"), line("c", "0.07")])

    # 0.0145 → 0.01, 0.0435 → 0.04, 0.005075 → 0.01 (half-up, per line: the sum of the exact taxes is 0.063)
    assert [item.tax for item in result.lines] == [Decimal("0.01"), Decimal("0.04"), Decimal("0.01")]
    assert result.total == Decimal("0.06")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"lines": [line("a", "1.00", "luxury")]}, "tax_category must be one of"),
    ({"lines": [line("a", "1.00"), line("a", "2.00")]}, "its own reference"),
    ({"lines": [line("a", "-1.00")]}, "amount must be"),
    ({"lines": [line("a", "1.00", quantity=0)]}, "quantity must be"),
    ({"country": "USA"}, "country must be"),
    ({"currency": "dollars"}, "currency must be"),
    ({"shipping": "-5"}, "shipping_amount must be"),
])
def test_malformed_input_is_refused_with_the_reason(kwargs, message):
    with pytest.raises(TaxRequestInvalid, match=message) as raised:
        quote(**kwargs)
    assert raised.value.status_code == 422 and raised.value.code == "TAX_REQUEST_INVALID"
