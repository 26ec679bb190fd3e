"""POST /webhooks/stripe/guest-checkout: signature (valid, tampered, wrong secret, expired), each event
id once, only-forward status, the six event types of the seed's log, unknown types."""
import time

import pytest

from apps.core.testing import UserFactory
from apps.payments.models import Payment, PaymentStatus, ProcessedStripeEvent, StripeCustomer
from apps.payments.testing import PaymentFactory
from devtools.localstripe.testing import LocalStripeControl

pytestmark = pytest.mark.django_db

URL = "/webhooks/stripe/guest-checkout"
SECRET = "whsec_test_guest_checkout"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET


def intent_object(payment: Payment, status: str = "succeeded", **extra) -> dict:
    return {"id": payment.intent_id, "object": "payment_intent", "amount": 6725,
            "amount_received": 6725 if status == "succeeded" else 0, "currency": "usd", "status": status,
            "latest_charge": "ch_test_123" if status == "succeeded" else None,
            "metadata": {"confirmation_token": payment.confirmation_token, "checkout_type": "guest",
                         "cart_id": payment.cart_id}, **extra}


def deliver(client, event_type, obj, *, secret=SECRET, timestamp=None, event_id="", tamper=False):
    payload, signature, event = LocalStripeControl.signed_event(event_type, obj, secret, timestamp=timestamp,
                                                                event_id=event_id)
    if tamper:
        payload = payload.replace('"amount": 6725', '"amount": 1')
    return client.post(URL, payload, content_type="application/json", headers={"Stripe-Signature": signature})


def test_valid_succeeded_event_moves_guest_order_forward(client, payment_events):
    # given a guest payment known by its confirmation token only
    payment = PaymentFactory(intent_id=None)
    obj = intent_object(payment) | {"id": "pi_from_stripe_1"}

    # when
    response = deliver(client, "payment_intent.succeeded", obj)

    # then
    assert response.status_code == 200 and response.json()["received"] is True
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.intent_id == "pi_from_stripe_1"
    assert str(payment.amount_received) == "67.25"
    assert payment_events == [("payment_intent.succeeded", payment.confirmation_token, "pi_from_stripe_1", "succeeded")]


@pytest.mark.parametrize("variant", ["tampered", "wrong_secret", "expired", "missing"])
def test_bad_signature_is_400_and_changes_nothing(client, payment_events, variant):
    payment = PaymentFactory()
    kwargs = {"tampered": {"tamper": True}, "wrong_secret": {"secret": "whsec_someone_else"},
              "expired": {"timestamp": int(time.time()) - 301}, "missing": {}}[variant]

    if variant == "missing":
        response = client.post(URL, "{}", content_type="application/json")
    else:
        response = deliver(client, "payment_intent.succeeded", intent_object(payment), **kwargs)

    assert response.status_code == 400
    assert response.json()["error"] == "INVALID_SIGNATURE"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CREATED
    assert ProcessedStripeEvent.objects.count() == 0
    assert payment_events == []


def test_timestamp_inside_tolerance_is_accepted(client):
    payment = PaymentFactory()

    response = deliver(client, "payment_intent.succeeded", intent_object(payment), timestamp=int(time.time()) - 290)

    assert response.status_code == 200


def test_duplicate_delivery_is_processed_once(client, payment_events):
    payment = PaymentFactory()

    first = deliver(client, "payment_intent.succeeded", intent_object(payment), event_id="evt_dup_1")
    second = deliver(client, "payment_intent.succeeded", intent_object(payment), event_id="evt_dup_1")

    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["duplicate"], second.json()["duplicate"]) == (False, True)
    assert len(payment_events) == 1
    assert ProcessedStripeEvent.objects.filter(event_id="evt_dup_1").count() == 1


@pytest.mark.parametrize("late_event", ["payment_intent.created", "payment_intent.payment_failed"])
def test_out_of_order_event_never_undoes_succeeded(client, payment_events, late_event):
    payment = PaymentFactory()
    deliver(client, "payment_intent.succeeded", intent_object(payment))

    response = deliver(client, late_event, intent_object(payment, status="requires_payment_method"))

    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert [call[0] for call in payment_events] == ["payment_intent.succeeded"]


def test_created_then_failed_then_succeeded_in_order(client, payment_events):
    payment = PaymentFactory()

    for event_type, status in [("payment_intent.created", "requires_payment_method"),
                               ("payment_intent.payment_failed", "requires_payment_method"),
                               ("payment_intent.succeeded", "succeeded")]:
        assert deliver(client, event_type, intent_object(payment, status=status)).status_code == 200

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert [call[3] for call in payment_events] == ["created", "failed", "succeeded"]


def test_checkout_session_completed_marks_paid(client, payment_events):
    payment = PaymentFactory()
    session = {"id": "cs_test_a1", "object": "checkout.session", "payment_intent": payment.intent_id,
               "payment_status": "paid", "amount_total": 6725,
               "metadata": {"confirmation_token": payment.confirmation_token}}

    response = deliver(client, "checkout.session.completed", session)

    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


@pytest.mark.parametrize(("refunded_cents", "status"), [(1000, "partially_refunded"), (6725, "refunded")])
def test_charge_refunded_reconciles(client, payment_events, refunded_cents, status):
    payment = PaymentFactory(status=PaymentStatus.SUCCEEDED, amount_received="67.25")
    charge = {"id": "ch_test_123", "object": "charge", "amount": 6725, "amount_captured": 6725,
              "amount_refunded": refunded_cents, "payment_intent": payment.intent_id, "refunded": status == "refunded",
              "metadata": {}, "refunds": {"object": "list", "data": [
                  {"id": "re_test_1", "object": "refund", "amount": refunded_cents, "status": "succeeded",
                   "reason": "requested_by_customer"}]}}

    response = deliver(client, "charge.refunded", charge)

    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == status
    assert payment.refunds.get().refund_id == "re_test_1"
    assert payment_events[-1][0] == "charge.refunded" and payment_events[-1][3] == status


def test_payment_method_attached_sets_first_default(client):
    user = UserFactory()
    customer = StripeCustomer.objects.create(user=user, stripe_customer_id="cus_test_1")

    response = deliver(client, "payment_method.attached",
                       {"id": "pm_test_1", "object": "payment_method", "customer": "cus_test_1", "type": "card"})

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.default_payment_method_id == "pm_test_1"


def test_unknown_event_type_is_acknowledged_and_logged(client, caplog):
    with caplog.at_level("INFO", logger="apps.payments.services.webhooks"):
        response = deliver(client, "invoice.paid", {"id": "in_1", "object": "invoice"})

    assert response.status_code == 200
    assert any("invoice.paid" in record.getMessage() for record in caplog.records)


def test_intent_created_elsewhere_gets_a_record(client, payment_events):
    obj = {"id": "pi_dashboard_1", "object": "payment_intent", "amount": 2499, "currency": "usd",
           "status": "requires_payment_method", "metadata": {"confirmation_token": "cnf_dash", "cart_id": "cart_d"}}

    deliver(client, "payment_intent.created", obj)

    payment = Payment.objects.get(intent_id="pi_dashboard_1")
    assert (payment.status, str(payment.amount), payment.confirmation_token) == ("created", "24.99", "cnf_dash")
    assert payment_events == [("payment_intent.created", "cnf_dash", "pi_dashboard_1", "created")]
