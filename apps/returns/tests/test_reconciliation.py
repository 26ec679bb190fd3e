"""Reconciliation: each problem kind seeded next to healthy data, found once, repaired where it
can be, listed where it needs ops, counted on /metrics — and a second run changes nothing."""
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.core.integrations.pagerduty import PagerDutyError
from apps.payments.public import refund
from apps.returns.labels.base import LabelRequest, get_label_provider, warehouse_address
from apps.returns.models import FindingKind, FindingStatus, ReconciliationFinding, Return, ReturnStatus
from apps.returns.services.alerts import finding_alert_send
from apps.returns.services.reconciliation import returns_reconcile
from devtools.pagerduty_server import ROUTING_KEY

from .conftest import SHOPPER, lines_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_grace(settings):
    settings.RETURN_ORPHAN_LABEL_GRACE_MINUTES = 0


def _age(return_id: str, **fields) -> None:
    Return.objects.filter(pk=return_id).update(**fields)


def _state() -> list[tuple]:
    """Everything reconciliation could change, to prove a second run leaves it alone."""
    returns = list(Return.objects.order_by("id").values_list("id", "status", "updated_at", "label_shipment_id"))
    findings = list(ReconciliationFinding.objects.order_by("id").values_list("kind", "subject", "status",
                                                                              "updated_at"))
    return returns + findings


def _findings(kind: str) -> list[tuple[str, str]]:
    return list(ReconciliationFinding.objects.filter(kind=kind).values_list("subject", "status"))


def test_stuck_label_is_retried_and_repaired(returns_on, make_order, create_return, easypost):
    # given one return stuck in requested for 20 minutes (EasyPost was down) and one healthy return
    order = make_order(lines=[(1, "10.00"), (1, "20.00")])
    stuck_line, healthy_line = lines_of(order)
    healthy = create_return(order, items=[(healthy_line, 1, "defective")]).json()["return_id"]
    easypost.fail_next = 1
    stuck = create_return(order, items=[(stuck_line, 1, "defective")]).json()["return_id"]
    _age(stuck, created_at=timezone.now() - timedelta(minutes=20))
    before_healthy = Return.objects.get(pk=healthy).updated_at
    # when reconciliation runs
    assert returns_reconcile()[FindingKind.LABEL_STUCK] == 1
    # then the stuck return got its label, the finding says so, and the healthy return is untouched
    assert Return.objects.get(pk=stuck).status == ReturnStatus.LABEL_CREATED
    assert _findings(FindingKind.LABEL_STUCK) == [(stuck, FindingStatus.REPAIRED)]
    assert Return.objects.get(pk=healthy).updated_at == before_healthy
    assert [t.actor_type for t in Return.objects.get(pk=stuck).transitions.all()][-1] == "reconciliation"
    # and a second run changes nothing
    state = _state()
    assert set(returns_reconcile().values()) == {0}
    assert _state() == state


def test_stuck_label_that_still_fails_becomes_label_failed_and_alerts(returns_on, make_order, create_return,
                                                                      easypost):
    easypost.fail_next = 2  # the request's attempt and the retry
    return_id = create_return(make_order()).json()["return_id"]
    _age(return_id, created_at=timezone.now() - timedelta(minutes=20))
    returns_reconcile()
    assert Return.objects.get(pk=return_id).status == ReturnStatus.LABEL_FAILED
    (finding,) = ReconciliationFinding.objects.filter(kind=FindingKind.LABEL_STUCK)
    assert (finding.subject, finding.status) == (return_id, FindingStatus.OPEN)
    assert "ops alerted" in finding.action
    state = _state()
    returns_reconcile()
    assert _state() == state


def test_orphan_label_at_the_provider_is_voided_and_recorded(returns_on, make_order, create_return):
    # given a healthy return with its label, and a label bought for a return that was never recorded
    healthy = Return.objects.get(pk=create_return(make_order()).json()["return_id"])
    provider = get_label_provider()
    orphan = provider.buy(LabelRequest(reference="ret_neverstored", from_address=SHOPPER,
                                       to_address=warehouse_address()))
    # when reconciliation runs
    assert returns_reconcile()[FindingKind.ORPHAN_LABEL] == 1
    # then only the orphan is voided
    labels = {label.shipment_id: label.voided for label in provider.list_labels(
        since=datetime.now(UTC) - timedelta(hours=1))}
    assert labels == {orphan.shipment_id: True, healthy.label_shipment_id: False}
    (finding,) = ReconciliationFinding.objects.filter(kind=FindingKind.ORPHAN_LABEL)
    assert (finding.subject, finding.status, finding.details["reference"]) == (
        orphan.shipment_id, FindingStatus.REPAIRED, "ret_neverstored")
    state = _state()
    assert returns_reconcile()[FindingKind.ORPHAN_LABEL] == 0
    assert _state() == state


def test_orphan_labels_at_easypost_are_voided_there(returns_on, make_order, create_return, easypost):
    healthy = Return.objects.get(pk=create_return(make_order()).json()["return_id"])
    ghost = easypost.add_purchased(reference="ret_crashed", created_at=datetime.now(UTC) - timedelta(hours=2))
    returns_reconcile()
    assert easypost.shipments[ghost["id"]]["refund_status"] == "submitted"
    assert easypost.shipments[healthy.label_shipment_id]["refund_status"] is None
    assert _findings(FindingKind.ORPHAN_LABEL) == [(ghost["id"], FindingStatus.REPAIRED)]


def test_received_without_refund_after_24h_is_listed_then_resolved(returns_on, make_order, create_return):
    order = make_order(lines=[(1, "10.00"), (1, "20.00")])
    old_line, new_line = lines_of(order)
    overdue = create_return(order, items=[(old_line, 1, "defective")]).json()["return_id"]
    recent = create_return(order, items=[(new_line, 1, "defective")]).json()["return_id"]
    _age(overdue, status=ReturnStatus.RECEIVED, received_at=timezone.now() - timedelta(hours=25))
    _age(recent, status=ReturnStatus.RECEIVED, received_at=timezone.now() - timedelta(hours=1))
    assert returns_reconcile()[FindingKind.REFUND_MISSING] == 1
    assert _findings(FindingKind.REFUND_MISSING) == [(overdue, FindingStatus.OPEN)]
    state = _state()
    returns_reconcile()
    assert _state() == state
    # once ops refunds it, the finding is resolved
    _age(overdue, status=ReturnStatus.REFUNDED)
    returns_reconcile()
    assert _findings(FindingKind.REFUND_MISSING) == [(overdue, FindingStatus.RESOLVED)]


def test_refund_without_a_return_is_listed(returns_on, settings, make_paid_order, create_return, api_client):
    # given one refund made by a return and one made directly (e.g. from the Stripe dashboard)
    order = make_paid_order(lines=[(1, "30.00"), (1, "12.00")])
    returned_line, _ = lines_of(order)
    return_id = create_return(order, items=[(returned_line, 1, "defective")]).json()["return_id"]
    api_client.post(f"/api/v1/returns/{return_id}/status", {"status": "received"}, format="json",
                    headers={"X-Service-Auth": f"Bearer {settings.SERVICE_AUTH_TOKENS[0]}"})
    stray = refund(order_id=order.id, amount=Decimal("5.00"), reason="duplicate")
    # when reconciliation runs, only the stray refund is listed
    assert returns_reconcile()[FindingKind.REFUND_WITHOUT_RETURN] == 1
    (finding,) = ReconciliationFinding.objects.filter(kind=FindingKind.REFUND_WITHOUT_RETURN)
    assert (finding.subject, finding.status, finding.details["amount"]) == (stray.refund_id, "open", "5.00")
    state = _state()
    returns_reconcile()
    assert _state() == state


def test_management_command_and_metrics(returns_on, make_order, create_return, client):
    return_id = create_return(make_order()).json()["return_id"]
    _age(return_id, status=ReturnStatus.RECEIVED, received_at=timezone.now() - timedelta(days=2))
    call_command("reconcile_returns")
    call_command("reconcile_returns")
    assert ReconciliationFinding.objects.count() == 1
    metrics = client.get("/metrics").content.decode()
    assert 'vantage_returns_reconciliation_findings{kind="refund_missing",status="open"} 1.0' in metrics
    assert 'vantage_returns_reconciliation_findings{kind="orphan_label",status="repaired"} 0.0' in metrics


def test_open_findings_page_ops_once_through_pagerduty(local_pagerduty, db):
    finding = ReconciliationFinding.objects.create(kind=FindingKind.LABEL_STUCK, subject="ret_x",
                                                   action="label retry failed")

    finding_alert_send(finding_id=finding.pk)
    finding_alert_send(finding_id=finding.pk)

    assert len(local_pagerduty.events) == 1
    event = local_pagerduty.events[0]
    assert event["routing_key"] == ROUTING_KEY and event["dedup_key"] == "returns-label_stuck-ret_x"
    assert event["event_action"] == "trigger" and event["payload"]["source"] == "vantage-returns"
    assert "ret_x" in event["payload"]["summary"]
    assert ReconciliationFinding.objects.get(pk=finding.pk).alerted_at is not None


def test_a_pagerduty_outage_leaves_the_finding_to_the_tasks_retry(local_pagerduty, db):
    finding = ReconciliationFinding.objects.create(kind=FindingKind.LABEL_STUCK, subject="ret_y",
                                                   action="label retry failed")
    local_pagerduty.fail(503)

    with pytest.raises(PagerDutyError):
        finding_alert_send(finding_id=finding.pk)
    assert ReconciliationFinding.objects.get(pk=finding.pk).alerted_at is None

    finding_alert_send(finding_id=finding.pk)  # the task's retry
    assert ReconciliationFinding.objects.get(pk=finding.pk).alerted_at is not None
    assert len(local_pagerduty.events) == 2


def test_without_a_routing_key_findings_page_nobody(local_pagerduty, settings, db):
    settings.PAGERDUTY_ROUTING_KEY = ""
    finding = ReconciliationFinding.objects.create(kind=FindingKind.LABEL_STUCK, subject="ret_z",
                                                   action="label retry failed")

    finding_alert_send(finding_id=finding.pk)

    assert local_pagerduty.events == []
    assert ReconciliationFinding.objects.get(pk=finding.pk).alerted_at is None


def test_beat_schedule_runs_reconciliation(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="returns.reconcile")
    assert task.task == "returns.reconcile" and task.crontab.minute == "*/15"


def test_refund_made_at_stripe_reported_by_charge_refunded_is_listed(returns_on, settings, make_paid_order, client,
                                                                     local_stripe):
    import hashlib
    import hmac
    import time

    import requests

    # given a refund made in Stripe's dashboard, which the platform learns of from `charge.refunded`
    make_paid_order(lines=[(1, "30.00")])
    (intent,) = local_stripe.intents()
    made = requests.post(f"{settings.STRIPE_API_BASE}/v1/refunds", data={"payment_intent": intent["id"], "amount": 700},
                         headers={"Authorization": f"Bearer {settings.STRIPE_SECRET_KEY}"}, timeout=10).json()
    charge = next(obj for event_type, obj in reversed(local_stripe.store.events) if event_type == "charge.refunded")
    payload = json.dumps({"id": "evt_dashboard_refund", "object": "event", "type": "charge.refunded",
                          "created": int(time.time()), "data": {"object": charge}})
    timestamp = int(time.time())
    digest = hmac.new(settings.STRIPE_WEBHOOK_SECRET.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    signature = f"t={timestamp},v1={digest.hexdigest()}"  # Stripe's scheme, as its servers sign
    delivered = client.post("/webhooks/stripe/guest-checkout", payload, content_type="application/json",
                            headers={"Stripe-Signature": signature})
    assert delivered.status_code == 200
    # when reconciliation runs, that refund is listed for ops
    returns_reconcile()
    assert _findings(FindingKind.REFUND_WITHOUT_RETURN) == [(made["id"], FindingStatus.OPEN)]
