"""Many random carts: each line's tax is its own half-up rounding, the quote's total is exactly the sum of the
lines' and shipping's tax, and the same cart always gives the same quote."""
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest

from apps.tax.public import TAX_CATEGORIES, TaxableLine, tax_calculate
from apps.tax.testing import TaxRateFactory

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


def random_cart(rng: random.Random) -> tuple[list[TaxableLine], Decimal]:
    lines = []
    for index in range(rng.randint(1, 12)):
        quantity = rng.randint(1, 5)
        unit = Decimal(rng.randint(1, 50000)) / 100
        lines.append(TaxableLine(reference=f"prod_{index}", amount=unit * quantity, quantity=quantity,
                                 tax_category=rng.choice(TAX_CATEGORIES)))
    return lines, Decimal(rng.choice([0, 599, 1499, 2500])) / 100


@pytest.fixture
def jurisdictions():
    return {
        "CA": TaxRateFactory(country="US", state="CA", standard_rate=Decimal("7.25")),
        "NYC": TaxRateFactory(country="US", state="NY", zip_prefix="100", standard_rate=Decimal("8.875"),
                              shipping_taxable=True),
        "FR": TaxRateFactory(country="FR", state="", standard_rate=Decimal("20"), reduced_rate=Decimal("5.5"),
                             shipping_taxable=True, prices_include_tax=True),
    }


DESTINATIONS = {"CA": ("US", "CA", "94107", "USD"), "NYC": ("US", "NY", "10001", "USD"),
                "FR": ("FR", "", "75001", "EUR")}


@pytest.mark.parametrize("destination", sorted(DESTINATIONS))
def test_random_carts_add_up_to_the_cent_and_repeat_exactly(jurisdictions, destination):
    country, state, zip_code, currency = DESTINATIONS[destination]
    rate = jurisdictions[destination]
    rates = {"standard": rate.standard_rate / 100, "reduced": rate.reduced_rate / 100, "exempt": Decimal(0)}
    rng = random.Random(1515)
    for _ in range(150):
        lines, shipping = random_cart(rng)

        quote = tax_calculate(country=country, state=state, zip_code=zip_code, lines=lines,
                              shipping_amount=shipping, currency=currency)

        for line, taxed in zip(lines, quote.lines, strict=True):
            exact = (line.amount - line.amount / (1 + rates[line.tax_category]) if rate.prices_include_tax
                     else line.amount * rates[line.tax_category])
            assert taxed.reference == line.reference
            assert taxed.tax == exact.quantize(CENT, rounding=ROUND_HALF_UP)
            assert taxed.tax.as_tuple().exponent == -2
        assert quote.total == sum((taxed.tax for taxed in quote.lines), Decimal("0")) + quote.shipping_tax
        subtotal = sum((line.amount for line in lines), Decimal("0"))
        if not rate.prices_include_tax:  # what the shopper is charged: every part in cents, nothing lost
            charged = subtotal + shipping + quote.total
            assert charged == charged.quantize(CENT)
        again = tax_calculate(country=country, state=state, zip_code=zip_code, lines=list(lines),
                              shipping_amount=shipping, currency=currency)
        assert again == quote
