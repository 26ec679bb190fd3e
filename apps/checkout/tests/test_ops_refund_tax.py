"""An amount refunded from the ops order page (not specific lines) reverses the order's Stripe Tax transaction:
Stripe's `mode=partial` with `flat_amount`, the refunded amount tax included, which Stripe spreads over the
order's lines and shipping; the whole order refunded at once is reversed in full. Once per refund, however often
the task runs; nothing for an order priced by the table provider."""
import json
from decimal import Decimal

import pytest
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission

from apps.checkout.models import Order
from apps.tax.public import tax_reversal_record_later
from apps.tax.testing import tax_reversal_record_now, tax_reversal_rows

pytestmark = pytest.mark.django_db

CA = {"line1": "1 Market St", "city": "San Francisco", "state": "CA", "zip": "94105", "country": "US"}
REVERSAL = "/v1/tax/transactions/create_reversal"


@pytest.fixture
def place_order(client, make_product, make_cart, django_capture_on_commit_callbacks, tasks_run):
    """A guest checkout paid on the local Stripe server: 2 × 15.00 and 1 × 12.00 to California (7.25 % on the
    items, the shipping untaxed), its tax transaction recorded when TAX_PROVIDER=stripe."""

    def place() -> Order:
        cart = make_cart([(make_product(price="15.00"), 2), (make_product(price="12.00"), 1)])
        body = {"cart_id": cart.id, "email": "tax@example.com", "shipping_address": CA,
                "payment_method_id": "pm_card_visa"}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v2/checkout/guest", json.dumps(body), content_type="application/json",
                                   headers={"Idempotency-Key": f"idk_{cart.id}"})
        assert response.status_code == 201, response.content
        return Order.objects.get()

    return place


@pytest.fixture
def ops_refund(client, django_user_model, django_capture_on_commit_callbacks):
    """POSTs the ops admin's refund form as staff allowed to change orders; tasks queued on commit run."""
    user = django_user_model.objects.create_user(username="ops", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="checkout",
                                                        codename__in=("view_order", "change_order")))

    def refund(order: Order, amount: str):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/admin/checkout/order/{quote(order.id)}/refund/",
                                   {"amount": amount, "reason": "requested_by_customer", "note": "dented box"})
        assert response.status_code == 302, response.content
        return response

    return refund


def reversals(local_stripe) -> list[tuple[dict, list[dict]]]:
    store = local_stripe.store
    return [(t, store.tax_transaction_line_items[t["id"]]) for t in store.tax_transactions.values()
            if t["type"] == "reversal"]


def gross_and_tax(reversal: dict, lines: list[dict]) -> tuple[int, int]:
    """Cents given back, tax included (every part is tax-exclusive in California), and the tax in them."""
    parts = [(line["amount"], line["amount_tax"]) for line in lines]
    if reversal["shipping_cost"]:
        parts.append((reversal["shipping_cost"]["amount"], reversal["shipping_cost"]["amount_tax"]))
    return sum(amount + tax for amount, tax in parts), sum(tax for _, tax in parts)


def test_an_amount_refunded_by_ops_reverses_that_amount_tax_included_once(stripe_tax, place_order, ops_refund):
    # given: 42.00 of items, 3.05 of tax (2.18 + 0.87), the shipping
    order = place_order()
    [original] = stripe_tax.store.tax_transactions.values()
    assert order.tax_total == Decimal("3.05") and order.total > Decimal("20.00")
    # when: ops refund 20.00 of it
    ops_refund(order, "20.00")
    # then: one partial reversal of exactly 20.00, tax included, its tax in proportion to the order's
    [refund] = stripe_tax.store.refunds.values()
    [(reversal, lines)] = reversals(stripe_tax)
    assert (reversal["reversal"]["original_transaction"], reversal["reference"]) == (
        original["id"], f"{order.id}-{refund['id']}")
    gross, tax = gross_and_tax(reversal, lines)
    assert gross == -2000 == -refund["amount"]
    assert abs(-tax - round(2000 * order.tax_total / order.total)) <= 1
    [row] = tax_reversal_rows()
    assert (row["reference"], row["status"], row["flat_amount"], row["stripe_reversal_id"]) == (
        reversal["reference"], "recorded", Decimal("20.00"), reversal["id"])
    assert sum(item["amount_tax"] for item in row["sent_line_items"]) == sum(line["amount_tax"] for line in lines)
    # and a retried task, or the refund reported again, adds nothing
    tax_reversal_record_now(reversal["reference"])
    tax_reversal_record_later(transaction_reference=order.id, reversal_reference=reversal["reference"],
                              flat_amount=Decimal("20.00"))
    assert len(reversals(stripe_tax)) == 1 and stripe_tax.call_count("POST", REVERSAL) == 1


def test_refunding_the_rest_takes_back_exactly_the_tax_that_was_left(stripe_tax, place_order, ops_refund):
    order = place_order()

    ops_refund(order, "20.00")
    ops_refund(order, str(order.total - Decimal("20.00")))

    done = reversals(stripe_tax)
    assert len(done) == 2 and stripe_tax.call_count("POST", REVERSAL) == 2
    totals = [gross_and_tax(reversal, lines) for reversal, lines in done]
    assert sum(gross for gross, _ in totals) == -int(order.total * 100)
    assert sum(tax for _, tax in totals) == -int(order.tax_total * 100)
    assert [row["status"] for row in tax_reversal_rows()] == ["recorded", "recorded"]


def test_the_whole_order_refunded_by_ops_is_reversed_in_full(stripe_tax, place_order, ops_refund):
    order = place_order()

    ops_refund(order, str(order.total))

    [(reversal, lines)] = reversals(stripe_tax)
    assert sorted((line["reference"], line["amount"], line["amount_tax"]) for line in lines) == sorted(
        (line.product_id, -int(line.line_total * 100), -int(line.tax_amount * 100)) for line in order.lines.all())
    assert reversal["shipping_cost"]["amount"] == -int(order.shipping_total * 100)
    assert gross_and_tax(reversal, lines) == (-int(order.total * 100), -int(order.tax_total * 100))
    assert [row["flat_amount"] for row in tax_reversal_rows()] == [None]  # mode "full"


def test_an_ops_refund_of_a_table_provider_order_reverses_nothing(local_stripe, place_order, ops_refund):
    order = place_order()

    ops_refund(order, "20.00")

    assert len(local_stripe.store.refunds) == 1
    assert local_stripe.call_count("POST", REVERSAL) == 0
    assert tax_reversal_rows() == []
