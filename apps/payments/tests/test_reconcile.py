"""Reconciliation: a payment whose webhooks never arrived catches up from Stripe."""
import contextlib
from datetime import timedelta
from decimal import Decimal

import pytest
import stripe
from django.utils import timezone

from apps.payments.models import Payment, PaymentStatus
from apps.payments.tasks import reconcile_pending
from apps.payments.testing import PaymentFactory

pytestmark = pytest.mark.django_db


def stripe_intent(local_stripe, pm: str) -> str:
    from apps.payments.integrations.stripe.client import stripe_client

    client = stripe_client()
    intent = client.v1.payment_intents.create(params={"amount": 6725, "currency": "usd", "payment_method": pm})
    with contextlib.suppress(stripe.CardError):  # the declined case is what one test wants
        client.v1.payment_intents.confirm(intent.id)
    return intent.id


def age(payment: Payment, minutes: int) -> None:
    Payment.objects.filter(pk=payment.pk).update(updated_at=timezone.now() - timedelta(minutes=minutes))


def test_lost_succeeded_webhook_is_caught_up(local_stripe, payment_events):
    payment = PaymentFactory(intent_id=stripe_intent(local_stripe, "pm_card_visa"))
    age(payment, 11)

    moved = reconcile_pending()

    payment.refresh_from_db()
    assert moved == 1
    assert (payment.status, payment.amount_received, payment.payment_method_label) == (
        PaymentStatus.SUCCEEDED, Decimal("67.25"), "Visa •••• 4242")
    assert payment_events == [("payment_intent.succeeded", payment.confirmation_token, payment.intent_id, "succeeded")]


def test_lost_failed_webhook_is_caught_up(local_stripe):
    payment = PaymentFactory(intent_id=stripe_intent(local_stripe, "pm_card_chargeDeclined"))
    age(payment, 11)

    reconcile_pending()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED


def test_recent_payments_are_left_to_their_webhooks(local_stripe):
    payment = PaymentFactory(intent_id=stripe_intent(local_stripe, "pm_card_visa"))

    assert reconcile_pending() == 0
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CREATED


def test_stripe_down_stops_the_run_without_changes(local_stripe):
    payment = PaymentFactory(intent_id=stripe_intent(local_stripe, "pm_card_visa"))
    age(payment, 11)
    local_stripe.fail("502", count=10)

    assert reconcile_pending() == 0
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CREATED
