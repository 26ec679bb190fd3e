"""Refunds when a return is received: through the payments app and the local Stripe server,
per item, never more than was paid, never twice."""
from decimal import Decimal

import pytest

from apps.returns.models import Return, ReturnStatus

from .conftest import lines_of, outbox_events

pytestmark = pytest.mark.django_db


def _receive(api_client, settings, return_id: str):
    return api_client.post(f"/api/v1/returns/{return_id}/status", {"status": "received"}, format="json",
                           headers={"X-Service-Auth": f"Bearer {settings.SERVICE_AUTH_TOKENS[0]}"})


def test_received_return_refunds_only_its_items(returns_on, settings, make_paid_order, create_return, api_client,
                                                local_stripe):
    # given a paid order of 2 × 25.00 + 1 × 99.99 and a return of one 25.00 unit
    order = make_paid_order(lines=[(2, "25.00"), (1, "99.99")])
    first, _ = lines_of(order)
    return_id = create_return(order, items=[(first, 1, "defective")]).json()["return_id"]
    # when the warehouse reports it received
    response = _receive(api_client, settings, return_id)
    # then 25.00 is refunded through Stripe and the return is refunded
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["refunded_amount"]) == ("refunded", 25.0)
    (refund,) = local_stripe.store.refunds.values()
    assert refund["amount"] == 2500
    ret = Return.objects.get(pk=return_id)
    assert ret.refund_id.startswith("re_") and ret.refunded_amount == Decimal("25.00")
    assert [t.to_status for t in ret.transitions.all()] == ["requested", "label_created", "received", "refunded"]
    assert [e["event_type"] for e in outbox_events() if e["return_id"] == return_id][-2:] == [
        "return.received", "return.refunded"]


def test_receiving_twice_refunds_once(returns_on, settings, make_paid_order, create_return, api_client, local_stripe):
    order = make_paid_order(lines=[(1, "40.00")])
    return_id = create_return(order).json()["return_id"]
    _receive(api_client, settings, return_id)
    again = _receive(api_client, settings, return_id)
    assert again.status_code == 200 and again.json()["status"] == "refunded"
    assert local_stripe.call_count("POST", "/v1/refunds") == 1


def test_refunds_never_exceed_what_was_paid(returns_on, settings, make_paid_order, create_return, api_client,
                                            local_stripe):
    # given an order whose lines add up to more than was charged (a 20.00 discount)
    order = make_paid_order(lines=[(1, "50.00"), (1, "30.00")], total=Decimal("60.00"))
    first, second = lines_of(order)
    # when both lines are returned separately
    one = create_return(order, items=[(first, 1, "defective")]).json()
    two = create_return(order, items=[(second, 1, "defective")]).json()
    # then the second return only gets what is left of the 60.00
    assert (one["refund_estimate"], two["refund_estimate"]) == (50.0, 10.0)
    _receive(api_client, settings, one["return_id"])
    _receive(api_client, settings, two["return_id"])
    refunded = sum(Return.objects.values_list("refunded_amount", flat=True))
    assert refunded == Decimal("60.00")


def test_failed_refund_leaves_the_return_received(returns_on, settings, make_order, create_return, api_client):
    # given an order payments never charged (the refund cannot happen)
    order = make_order()
    return_id = create_return(order).json()["return_id"]
    response = _receive(api_client, settings, return_id)
    assert response.status_code == 200 and response.json()["status"] == ReturnStatus.RECEIVED
    assert Return.objects.get(pk=return_id).refund_id == ""
