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


@pytest.fixture
def stripe_taxed_order(settings, make_paid_order):
    """A paid Texas order priced by Stripe Tax (6.25 %, shipping taxed too), its transaction recorded at Stripe:
    3 × 10.00 mugs and a 20.00 tee, shipping 5.99."""
    from apps.tax.public import TaxableLine, tax_calculate, tax_transaction_record_later
    from apps.tax.testing import tax_transaction_record_now

    settings.TAX_PROVIDER = "stripe"
    quote = tax_calculate(country="US", state="TX", zip_code="73301", currency="USD", shipping_amount=Decimal("5.99"),
                          lines=[TaxableLine(reference="prod_mug", amount=Decimal("30.00"), quantity=3,
                                             tax_category="standard"),
                                 TaxableLine(reference="prod_tee", amount=Decimal("20.00"), quantity=1,
                                             tax_category="standard")])
    shipping = Decimal("5.99")
    order = make_paid_order(lines=[], subtotal=Decimal("50.00"), shipping_total=shipping, tax_total=quote.total,
                            total=Decimal("50.00") + shipping + quote.total, shipping_state="TX",
                            shipping_zip="73301", tax_provider="stripe", tax_calculation_id=quote.calculation_id)
    for product_id, quantity, price, tax in (("prod_mug", 3, "10.00", quote.lines[0]),
                                             ("prod_tee", 1, "20.00", quote.lines[1])):
        OrderLineFactory(order=order, product_id=product_id, quantity=quantity, unit_price=Decimal(price),
                         tax_amount=tax.tax, tax_rate=tax.rate)
    tax_transaction_record_later(calculation_id=quote.calculation_id, reference=order.id)
    tax_transaction_record_now(order.id)
    return order


def receive(api_client, settings, return_id: str):
    return api_client.post(f"/api/v1/returns/{return_id}/status", {"status": "received"}, format="json",
                           headers={"X-Service-Auth": f"Bearer {settings.SERVICE_AUTH_TOKENS[0]}"})


def tax_reversals(local_stripe) -> list[tuple[dict, list[dict]]]:
    store = local_stripe.store
    return [(t, store.tax_transaction_line_items[t["id"]]) for t in store.tax_transactions.values()
            if t["type"] == "reversal"]


def test_a_refunded_return_reverses_its_items_and_their_tax_at_stripe_once(
        returns_on, settings, stripe_taxed_order, create_return, api_client, local_stripe,
        django_capture_on_commit_callbacks):
    from apps.tax.testing import tax_reversal_record_now
    from vantage.celery import app

    # given: 2 of the 3 mugs come back (the tee and the shipping stay paid)
    order = stripe_taxed_order
    mugs, _tee = lines_of(order)
    assert mugs.tax_amount == Decimal("1.88")  # 30.00 × 6.25 % = 1.875
    return_id = create_return(order, items=[(mugs, 2, "defective")]).json()["return_id"]
    # when: it is received (and refunded), the task running as a worker would
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert receive(api_client, settings, return_id).json()["status"] == "refunded"
    finally:
        app.conf.task_always_eager = False
    # then: the refund is 2/3 of the mugs' 31.88, and Stripe Tax takes back 20.00 of sales and 1.25 of tax
    (refund,) = local_stripe.store.refunds.values()
    assert refund["amount"] == 2125
    [original] = [t for t in local_stripe.store.tax_transactions.values() if t["type"] == "transaction"]
    [(reversal, [line])] = tax_reversals(local_stripe)
    assert (reversal["reversal"]["original_transaction"], reversal["reference"]) == (
        original["id"], f"{order.id}-{refund['id']}")
    assert (line["reference"], line["amount"], line["amount_tax"], line["quantity"]) == ("prod_mug", -2000, -125, 2)
    assert reversal["shipping_cost"] is None
    # and a retried task, or the refund recorded again, adds nothing
    tax_reversal_record_now(reversal["reference"])
    assert receive(api_client, settings, return_id).status_code in (200, 409)
    assert len(tax_reversals(local_stripe)) == 1
    assert local_stripe.call_count("POST", "/v1/tax/transactions/create_reversal") == 1


def test_a_refunded_return_of_a_table_provider_order_reverses_nothing(
        returns_on, settings, taxed_order, create_return, api_client, local_stripe,
        django_capture_on_commit_callbacks):
    order, _ = taxed_order
    [line] = lines_of(order)
    return_id = create_return(order, items=[(line, 1, "defective")]).json()["return_id"]

    with django_capture_on_commit_callbacks(execute=True):
        assert receive(api_client, settings, return_id).json()["status"] == "refunded"

    assert len(local_stripe.store.refunds) == 1
    assert local_stripe.call_count("POST", "/v1/tax/transactions/create_reversal") == 0
