"""Ops alerts for reconciliation findings that need a human (e.g. a label that cannot be bought).

The finding row is the durable record; the PagerDuty call is queued after commit and marks
`alerted_at` once delivered, so an alert is neither lost nor sent twice by a re-run.
"""
import logging

from django.db import transaction
from django.utils import timezone

from apps.core.integrations.pagerduty import pagerduty_enabled, pagerduty_event_send
from apps.returns.models import ReconciliationFinding

logger = logging.getLogger(__name__)


def finding_alert_queue(finding: ReconciliationFinding) -> None:
    logger.error("returns reconciliation needs ops", extra={"kind": finding.kind, "subject": finding.subject,
                                                             "action": finding.action})
    from apps.returns.tasks import alert_finding

    transaction.on_commit(lambda: alert_finding.delay(finding.pk))


def finding_alert_send(*, finding_id: int) -> None:
    finding = ReconciliationFinding.objects.filter(pk=finding_id, alerted_at__isnull=True).first()
    if finding is None:
        return
    if not pagerduty_enabled():
        return
    pagerduty_event_send(action="trigger", dedup_key=f"returns-{finding.kind}-{finding.subject}", payload={
        "summary": f"Returns: {finding.get_kind_display()} — {finding.subject}: {finding.action}",
        "source": "vantage-returns", "severity": "error", "component": "returns-reconciliation",
        "custom_details": {"kind": finding.kind, "subject": finding.subject, **finding.details},
    }).raise_for_failure()  # the task retries with backoff
    ReconciliationFinding.objects.filter(pk=finding_id).update(alerted_at=timezone.now())
