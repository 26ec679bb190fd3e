"""Disputes: out-of-order `charge.dispute.*` deliveries, one PagerDuty page per open dispute (through the
real HTTP client against a local Events v2 endpoint), and the admin showing the dispute on its payment."""
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.payments.models import Dispute, Payment
from apps.payments.services.disputes import dispute_alert_send
from apps.payments.services.webhooks import stripe_event_process
from devtools.localstripe.signing import build_event

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


@pytest.fixture
def pagerduty(settings):
    received = []

    class PagerDuty(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(202)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), PagerDuty)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PAGERDUTY_EVENTS_URL = f"http://127.0.0.1:{server.server_address[1]}/v2/enqueue"
    settings.PAGERDUTY_ROUTING_KEY = "rk_disputes"
    yield received
    server.shutdown()
    server.server_close()


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


def test_an_open_dispute_pages_once(payment, pagerduty):
    stripe_event_process(event=build_event("charge.dispute.created", dispute_object("needs_response")))
    dispute = Dispute.objects.get()
    # when: the queued task runs, and runs again (a retry, a redelivery)
    dispute_alert_send(dispute_id=dispute.pk)
    dispute_alert_send(dispute_id=dispute.pk)
    # then
    [page] = pagerduty
    assert page["routing_key"] == "rk_disputes" and page["event_action"] == "trigger"
    assert page["dedup_key"] == "payments-dispute-dp_1"
    assert page["payload"]["custom_details"]["order_id"] == "ord_disputed"
    assert "ord_disputed" in page["payload"]["summary"]
    dispute.refresh_from_db()
    assert dispute.alerted_at is not None


def test_a_closed_dispute_does_not_page(payment, pagerduty):
    stripe_event_process(event=build_event("charge.dispute.created", dispute_object("needs_response")))
    stripe_event_process(event=build_event("charge.dispute.closed", dispute_object("lost")))
    dispute_alert_send(dispute_id=Dispute.objects.get().pk)
    assert pagerduty == []


def test_the_admin_shows_the_dispute_on_its_payment(admin_client, payment):
    stripe_event_process(event=build_event("charge.dispute.created", dispute_object("needs_response")))
    page = admin_client.get(f"/admin/payments/payment/{payment.pk}/change/")
    listing = admin_client.get("/admin/payments/dispute/")
    assert page.status_code == 200 and "dp_1" in page.content.decode()
    assert listing.status_code == 200 and "dp_1" in listing.content.decode()
