"""Stripe Tax on the local Stripe server, through the real SDK: calculations in Stripe's shape (amount_total,
tax_amount_exclusive/inclusive, line items, shipping_cost.amount_tax, tax_breakdown), paged line items,
transactions from a calculation, and Stripe's refusals."""
import pytest
import stripe

from devtools.localstripe.tax import RATES


def sdk(base_url: str) -> stripe.StripeClient:
    return stripe.StripeClient("sk_test_local", base_addresses={"api": base_url}, max_network_retries=0)


def calculation_params(country="US", state="NY", postal_code="12207", behavior="exclusive", lines=None,
                       shipping=1000) -> dict:
    params = {
        "currency": "usd",
        "customer_details": {"address": {"country": country, "state": state, "postal_code": postal_code},
                             "address_source": "shipping"},
        "line_items": lines or [
            {"amount": 2599, "quantity": 1, "reference": "std", "tax_behavior": behavior, "tax_code": "txcd_99999999"},
            {"amount": 1000, "quantity": 2, "reference": "food", "tax_behavior": behavior,
             "tax_code": "txcd_40060003"},
            {"amount": 500, "quantity": 1, "reference": "free", "tax_behavior": behavior, "tax_code": "txcd_00000000"},
        ],
    }
    if shipping:
        params["shipping_cost"] = {"amount": shipping, "tax_behavior": behavior}
    return params


def test_an_exclusive_calculation_in_stripes_shape(local_stripe):
    standard = float(RATES[("US", "NY")][0]) / 100

    calculation = sdk(local_stripe.base_url).v1.tax.calculations.create(
        params={**calculation_params(), "expand": ["line_items"]})

    assert calculation.id.startswith("taxcalc_") and calculation.object == "tax.calculation"
    items = {item.reference: item for item in calculation.line_items.data}
    assert items["std"].amount_tax == round(2599 * standard)  # 103.96 → 104
    assert items["food"].amount_tax == 0 and items["food"].tax_breakdown[0].taxability_reason == "product_exempt"
    assert items["free"].amount_tax == 0
    assert items["std"].tax_breakdown[0].tax_rate_details.percentage_decimal == RATES[("US", "NY")][0]
    assert calculation.shipping_cost.amount_tax == round(1000 * standard)
    taxes = items["std"].amount_tax + calculation.shipping_cost.amount_tax
    assert (calculation.tax_amount_exclusive, calculation.tax_amount_inclusive) == (taxes, 0)
    assert calculation.amount_total == 2599 + 1000 + 500 + 1000 + taxes
    assert sum(part.amount for part in calculation.tax_breakdown) == taxes


def test_an_inclusive_vat_calculation(local_stripe):
    lines = [{"amount": 11900, "reference": "tv", "tax_behavior": "inclusive"},
             {"amount": 1070, "reference": "coffee", "tax_behavior": "inclusive", "tax_code": "txcd_40060003"}]

    calculation = sdk(local_stripe.base_url).v1.tax.calculations.create(params={
        **calculation_params(country="DE", state="", postal_code="10115", behavior="inclusive", lines=lines),
        "expand": ["line_items"]})

    assert [item.amount_tax for item in calculation.line_items.data] == [1900, 70]
    assert calculation.line_items.data[0].tax_breakdown[0].taxable_amount == 10000
    assert calculation.shipping_cost.amount_tax == 160  # 1000 − 1000 / 1.19 = 159.66
    assert (calculation.tax_amount_exclusive, calculation.tax_amount_inclusive) == (0, 1900 + 70 + 160)
    assert calculation.amount_total == 11900 + 1070 + 1000


def test_line_items_are_paged(local_stripe):
    client = sdk(local_stripe.base_url)
    lines = [{"amount": 100 * (index + 1), "reference": f"line_{index}"} for index in range(15)]
    calculation = client.v1.tax.calculations.create(params={**calculation_params(lines=lines),
                                                            "expand": ["line_items"]})

    assert len(calculation.line_items.data) == 10 and calculation.line_items.has_more is True
    rest = client.v1.tax.calculations.line_items.list(calculation.id, params={
        "limit": 10, "starting_after": calculation.line_items.data[-1].id})
    assert [item.reference for item in rest.data] == [f"line_{index}" for index in range(10, 15)]
    assert rest.has_more is False
    assert client.v1.tax.calculations.retrieve(calculation.id).amount_total == calculation.amount_total


def test_an_address_outside_the_table_is_not_collected(local_stripe):
    calculation = sdk(local_stripe.base_url).v1.tax.calculations.create(
        params={**calculation_params(state="FL", postal_code="33101"), "expand": ["line_items"]})

    assert calculation.tax_amount_exclusive == 0
    assert calculation.line_items.data[0].tax_breakdown[0].taxability_reason == "not_collecting"


@pytest.mark.parametrize(("changes", "code_or_param"), [
    ({"customer_details": {"address": {"country": "US", "state": "NY", "postal_code": "nope"}}},
     "customer_tax_location_invalid"),
    ({"line_items": [{"amount": 100, "reference": "a"}, {"amount": 100, "reference": "a"}]},
     "line_items[1][reference]"),
    ({"currency": ""}, "currency"),
])
def test_stripes_refusals(local_stripe, changes, code_or_param):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        sdk(local_stripe.base_url).v1.tax.calculations.create(params={**calculation_params(), **changes})

    assert code_or_param in (refused.value.code, refused.value.param)


def test_a_transaction_from_a_calculation_once_per_reference(local_stripe):
    client = sdk(local_stripe.base_url)
    calculation = client.v1.tax.calculations.create(params=calculation_params())

    recorded = client.v1.tax.transactions.create_from_calculation(
        params={"calculation": calculation.id, "reference": "ord_1"})

    assert recorded.id.startswith("tax_") and recorded.object == "tax.transaction"
    assert (recorded.reference, recorded.type, recorded.currency) == ("ord_1", "transaction", "usd")
    with pytest.raises(stripe.InvalidRequestError, match="already exists"):
        client.v1.tax.transactions.create_from_calculation(params={"calculation": calculation.id,
                                                                   "reference": "ord_1"})
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.tax.transactions.create_from_calculation(params={"calculation": "taxcalc_nope",
                                                                   "reference": "ord_2"})
    assert missing.value.code == "resource_missing"


def recorded_transaction(client, reference="ord_1"):
    calculation = client.v1.tax.calculations.create(params=calculation_params())
    recorded = client.v1.tax.transactions.create_from_calculation(
        params={"calculation": calculation.id, "reference": reference})
    items = {item.reference: item for item in client.v1.tax.transactions.line_items.list(recorded.id).data}
    return recorded, items


def test_a_partial_reversal_takes_back_part_of_a_line_and_never_more_than_is_left(local_stripe):
    client = sdk(local_stripe.base_url)
    recorded, items = recorded_transaction(client)
    std = items["std"]

    reversal = client.v1.tax.transactions.create_reversal(params={
        "mode": "partial", "original_transaction": recorded.id, "reference": "ord_1-refund_1",
        "line_items": [{"original_line_item": std.id, "reference": "std", "amount": -1000, "amount_tax": -40}]})

    assert (reversal.type, reversal.reversal.original_transaction) == ("reversal", recorded.id)
    [line] = client.v1.tax.transactions.line_items.list(reversal.id).data
    assert (line.amount, line.amount_tax, line.reversal.original_line_item) == (-1000, -40, std.id)
    with pytest.raises(stripe.InvalidRequestError, match="exceeds"):
        client.v1.tax.transactions.create_reversal(params={
            "mode": "partial", "original_transaction": recorded.id, "reference": "ord_1-refund_2",
            "line_items": [{"original_line_item": std.id, "reference": "std", "amount": -1600,
                            "amount_tax": -64}]})
    with pytest.raises(stripe.InvalidRequestError, match="already exists"):
        client.v1.tax.transactions.create_reversal(params={
            "mode": "partial", "original_transaction": recorded.id, "reference": "ord_1-refund_1",
            "line_items": [{"original_line_item": std.id, "reference": "std", "amount": -1, "amount_tax": 0}]})
    with pytest.raises(stripe.InvalidRequestError, match="already been reversed in part"):
        client.v1.tax.transactions.create_reversal(params={
            "mode": "full", "original_transaction": recorded.id, "reference": "ord_1-cancel"})


def test_a_full_reversal_takes_back_every_line_and_the_shipping(local_stripe):
    client = sdk(local_stripe.base_url)
    recorded, items = recorded_transaction(client)

    reversal = client.v1.tax.transactions.create_reversal(params={
        "mode": "full", "original_transaction": recorded.id, "reference": "ord_1-cancel"})

    lines = client.v1.tax.transactions.line_items.list(reversal.id).data
    assert sorted((line.reference, line.amount, line.amount_tax) for line in lines) == sorted(
        (item.reference, -item.amount, -item.amount_tax) for item in items.values())
    assert (reversal.shipping_cost.amount, reversal.shipping_cost.amount_tax) == (
        -recorded.shipping_cost.amount, -recorded.shipping_cost.amount_tax)
    assert client.v1.tax.transactions.retrieve(reversal.id).type == "reversal"


def test_a_flat_reversal_spreads_the_amount_tax_included_and_never_more_than_is_left(local_stripe):
    # given: NY 4 %: std 25.99 + 1.04 tax, food 20.00 and free 5.00 untaxed, shipping 10.00 + 0.40 tax (52.43)
    client = sdk(local_stripe.base_url)
    recorded, items = recorded_transaction(client)
    # when: 30.00 of the 52.43 is refunded without lines
    first = client.v1.tax.transactions.create_reversal(params={
        "mode": "partial", "original_transaction": recorded.id, "reference": "ord_1-refund_1", "flat_amount": -3000})
    # then: spread by gross (largest remainder), each part split as its line is; the parts add up to 30.00
    lines = client.v1.tax.transactions.line_items.list(first.id).data
    assert sorted((line.reference, line.amount, line.amount_tax) for line in lines) == [
        ("food", -572, 0), ("free", -286, 0), ("std", -1487, -60)]
    assert (first.shipping_cost.amount, first.shipping_cost.amount_tax) == (-572, -23)
    assert {line.reversal.original_line_item for line in lines} == {item.id for item in items.values()}
    # and more than the 22.43 left is refused; exactly what is left takes back the rest of the tax
    with pytest.raises(stripe.InvalidRequestError, match="exceeds what is left"):
        client.v1.tax.transactions.create_reversal(params={
            "mode": "partial", "original_transaction": recorded.id, "reference": "ord_1-refund_2",
            "flat_amount": -2244})
    rest = client.v1.tax.transactions.create_reversal(params={
        "mode": "partial", "original_transaction": recorded.id, "reference": "ord_1-refund_3", "flat_amount": -2243})
    rest_lines = client.v1.tax.transactions.line_items.list(rest.id).data
    assert sum(line.amount_tax for line in [*lines, *rest_lines]) + first.shipping_cost.amount_tax \
        + rest.shipping_cost.amount_tax == -144
    assert sorted((line.reference, line.amount) for line in rest_lines) == [
        ("food", -428), ("free", -214), ("std", -1112)]


@pytest.mark.parametrize("params", [{"flat_amount": 100}, {"flat_amount": "x"}, {
    "flat_amount": -100, "shipping_cost": {"amount": -100, "amount_tax": 0}}])
def test_a_flat_reversal_is_negative_and_alone(local_stripe, params):
    client = sdk(local_stripe.base_url)
    recorded, _ = recorded_transaction(client)

    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.tax.transactions.create_reversal(params={
            "mode": "partial", "original_transaction": recorded.id, "reference": "ord_1-refund_1", **params})

    assert refused.value.param == "flat_amount"
