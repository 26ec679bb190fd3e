"""Disputes: out-of-order `charge.dispute.*` deliveries, one PagerDuty page per open dispute (through the
real HTTP client against a local Events v2 endpoint), and the admin showing the dispute on its payment."""
from decimal import Decimal

import pytest

from apps.payments.models import Dispute, Payment
from apps.payments.services.disputes import dispute_alert_send
from apps.payments.services.webhooks import stripe_event_process
from devtools.localstripe.signing import build_event
from devtools.pagerduty_server import ROUTING_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment():
    return Payment.objects.create(order_id="ord_disputed", intent_id="pi_disputed", charge_id="ch_disputed",
                                  status="succeeded", amount=Decimal("25.00"), amount_received=Decimal("25.00"),
                                  currency="USD")


def dispute_object(status: str, **overrides) -> dict:
    return {"id": "dp_1", "object": "dispute", "amount": 2500, "currency": "usd", "charge": "ch_disputed",
            "payment_intent": "pi_disputed", "reason": "fraudulent", "status": status,
            "evidence_details": {"due_by": 1_900_000_000}, **overrides}


def test_a_late_created_event_never_reopens_a_closed_dispute(payment):
    # given: Stripe delivered the close before the creation
    stripe_event_process(event=build_event("charge.dispute.closed", dispute_object("won")))
    # when
    stripe_event_process(event=build_event("charge.dispute.created", dispute_object("needs_response")))
    # then
    dispute = Dispute.objects.get()
    assert dispute.status == "won" and dispute.closed_at is not None and dispute.payment == payment


def test_a_dispute_found_by_charge_when_the_event_has_no_intent(payment):
    stripe_event_process(event=build_event("charge.dispute.created", dispute_object("needs_response",
                                                                                    payment_intent=None)))
    assert Dispute.objects.get().payment == payment


def test_an_open_dispute_pages_once(payment, local_pagerduty):
    stripe_event_process(event=build_event("charge.dispute.created", dispute_object("needs_response")))
    dispute = Dispute.objects.get()
    # when: the queued task runs, and runs again (a retry, a redelivery)
    dispute_alert_send(dispute_id=dispute.pk)
    dispute_alert_send(dispute_id=dispute.pk)
    # then
    [page] = local_pagerduty.events
    assert page["routing_key"] == ROUTING_KEY and page["event_action"] == "trigger"
    assert page["dedup_key"] == "payments-dispute-dp_1"
    assert page["payload"]["custom_details"]["order_id"] == "ord_disputed"
    assert "ord_disputed" in page["payload"]["summary"]
    dispute.refresh_from_db()
    assert dispute.alerted_at is not None


def test_a_closed_dispute_does_not_page(payment, local_pagerduty):
    stripe_event_process(event=build_event("charge.dispute.created", dispute_object("needs_response")))
    stripe_event_process(event=build_event("charge.dispute.closed", dispute_object("lost")))
    dispute_alert_send(dispute_id=Dispute.objects.get().pk)
    assert local_pagerduty.events == []


def test_the_admin_shows_the_dispute_on_its_payment(admin_client, payment):
    stripe_event_process(event=build_event("charge.dispute.created", dispute_object("needs_response")))
    page = admin_client.get(f"/admin/payments/payment/{payment.pk}/change/")
    listing = admin_client.get("/admin/payments/dispute/")
    assert page.status_code == 200 and "dp_1" in page.content.decode()
    assert listing.status_code == 200 and "dp_1" in listing.content.decode()
