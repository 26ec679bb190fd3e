"""Returns refund the items' price plus their tax, never the shipping: `refund_estimate` and the refund at
Stripe follow that rule, where tax was added on top (US) and where prices included it (VAT), and units
returned over several returns add up to exactly what their line was charged."""
from decimal import ROUND_HALF_UP, Decimal

import pytest

from apps.checkout.testing import OrderLineFactory

from .conftest import lines_of

pytestmark = pytest.mark.django_db


def cents(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def taxed_order(make_paid_order):
    """A paid US order: 3 × 10.00 (7.25 % tax on top), shipping 5.99 untaxed; charged in full."""
    line_tax = cents(Decimal("30.00") * Decimal("0.0725"))
    shipping = Decimal("5.99")
    order = make_paid_order(lines=[], subtotal=Decimal("30.00"), shipping_total=shipping, tax_total=line_tax,
                            total=Decimal("30.00") + shipping + line_tax)
    OrderLineFactory(order=order, quantity=3, unit_price=Decimal("10.00"), tax_amount=line_tax,
                     tax_rate=Decimal("0.0725"))
    return order, line_tax


def test_return_refunds_item_price_plus_its_tax_not_shipping(returns_on, settings, taxed_order, create_return,
                                                             api_client, local_stripe):
    # given
    order, line_tax = taxed_order
    [line] = lines_of(order)
    # when: every unit comes back
    body = create_return(order, items=[(line, 3, "defective")]).json()
    received = api_client.post(f"/api/v1/returns/{body['return_id']}/status", {"status": "received"}, format="json",
                               headers={"X-Service-Auth": f"Bearer {settings.SERVICE_AUTH_TOKENS[0]}"})
    # then: the items and their tax, the shipping stays paid
    assert cents(str(body["refund_estimate"])) == Decimal("30.00") + line_tax
    assert cents(str(body["refund_estimate"])) == order.total - order.shipping_total
    assert received.json()["status"] == "refunded"
    (refund,) = local_stripe.store.refunds.values()
    assert refund["amount"] == int((Decimal("30.00") + line_tax) * 100)


def test_units_returned_one_by_one_add_up_to_the_line_charged(returns_on, taxed_order, create_return):
    # given
    order, line_tax = taxed_order
    [line] = lines_of(order)
    # when: three returns of one unit each
    estimates = [cents(str(create_return(order, items=[(line, 1, "defective")]).json()["refund_estimate"]))
                 for _ in range(3)]
    # then: each near a third, together exactly the line with its tax
    assert sum(estimates) == Decimal("30.00") + line_tax
    assert max(estimates) - min(estimates) <= Decimal("0.01")


def test_vat_inclusive_line_refunds_its_listed_price(returns_on, make_order, create_return):
    # given: German prices include 19 % VAT (19.00 of the 119.00)
    order = make_order(lines=[], subtotal=Decimal("100.00"), shipping_total=Decimal("21.00"),
                       tax_total=Decimal("22.99"), total=Decimal("143.99"), prices_include_tax=True,
                       shipping_country="DE", shipping_state="")
    OrderLineFactory(order=order, quantity=1, unit_price=Decimal("119.00"), tax_amount=Decimal("19.00"),
                     tax_rate=Decimal("0.19"))
    [line] = lines_of(order)
    # when
    body = create_return(order, items=[(line, 1, "size_fit")]).json()
    # then: the listed (gross) price, which already holds its VAT; the shipping and its VAT stay paid
    assert cents(str(body["refund_estimate"])) == Decimal("119.00")
