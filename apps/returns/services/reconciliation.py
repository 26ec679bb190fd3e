"""The reconciliation job: the safety net the deploy manifest asks for before the flag goes on.

Four checks, each storing what it finds as a `ReconciliationFinding` unique per (kind, subject):
- label_stuck: a return `requested` for longer than RETURN_LABEL_STUCK_MINUTES without a label →
  the label is retried once; success repairs it, failure marks the return `label_failed` and
  alerts ops.
- orphan_label: a label at the provider that no return points to (or whose return was
  cancelled) → voided at the provider and recorded.
- refund_missing: a return `received` more than RETURN_REFUND_OVERDUE_HOURS ago and not refunded
  → listed for ops (resolved automatically once the refund happens).
- refund_without_return: a refund at the payment service that no return made → listed for ops.
Idempotent: the second run finds the same rows (or, once repaired, nothing) and changes nothing.
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.payments.public import refunds_since
from apps.returns.errors import LabelProviderError
from apps.returns.labels.base import get_label_provider
from apps.returns.models import FindingKind, FindingStatus, ReconciliationFinding, Return, ReturnStatus

from .alerts import finding_alert_queue
from .labels import return_label_create
from .lifecycle import RECONCILIATION, return_lock, return_transition

logger = logging.getLogger(__name__)


def _finding_exists(kind: str, subject: str) -> bool:
    return ReconciliationFinding.objects.filter(kind=kind, subject=subject).exists()


def _finding_create(*, kind: str, subject: str, status: str, action: str,
                    details: dict) -> ReconciliationFinding | None:
    """Create the finding unless a concurrent run already did (then None)."""
    try:
        with transaction.atomic():
            return ReconciliationFinding.objects.create(kind=kind, subject=subject, status=status, action=action,
                                                        details=details)
    except IntegrityError:
        return None


def stuck_labels_reconcile(*, now) -> int:
    cutoff = now - timedelta(minutes=settings.RETURN_LABEL_STUCK_MINUTES)
    stuck = Return.objects.filter(status=ReturnStatus.REQUESTED, label_file="", created_at__lt=cutoff)
    found = 0
    for ret in stuck:
        if _finding_exists(FindingKind.LABEL_STUCK, ret.id):
            continue
        found += 1
        details = {"order_id": ret.order_id, "attempts_before": ret.label_attempts, "last_error": ret.label_error}
        try:
            return_label_create(return_id=ret.id, actor=RECONCILIATION)
        except LabelProviderError as exc:
            with transaction.atomic():
                locked = return_lock(ret.id)
                if locked.status == ReturnStatus.REQUESTED:
                    return_transition(ret=locked, to_status=ReturnStatus.LABEL_FAILED, actor=RECONCILIATION,
                                      note=f"label retry failed: {exc.message}"[:500])
                finding = _finding_create(kind=FindingKind.LABEL_STUCK, subject=ret.id, status=FindingStatus.OPEN,
                                          action="label retry failed; return marked label_failed; ops alerted",
                                          details={**details, "error": exc.message})
                if finding:
                    finding_alert_queue(finding)
            continue
        if not Return.objects.filter(pk=ret.id, status=ReturnStatus.LABEL_CREATED).exists():
            continue  # another worker holds the label lock right now; the next run looks again
        _finding_create(kind=FindingKind.LABEL_STUCK, subject=ret.id, status=FindingStatus.REPAIRED,
                        action="label retried and created", details=details)
    return found


def orphan_labels_reconcile(*, now) -> int:
    provider = get_label_provider()
    since = now - timedelta(days=settings.RETURN_ORPHAN_LABEL_LOOKBACK_DAYS)
    grace_cutoff = now - timedelta(minutes=settings.RETURN_ORPHAN_LABEL_GRACE_MINUTES)
    labels = [label for label in provider.list_labels(since=since)
              if not label.voided and label.created_at < grace_cutoff]
    owners = {ret.label_shipment_id: ret for ret in
              Return.objects.filter(label_shipment_id__in=[label.shipment_id for label in labels])}
    found = 0
    for label in labels:
        owner = owners.get(label.shipment_id)
        if owner is not None and owner.status != ReturnStatus.CANCELLED:
            continue
        if _finding_exists(FindingKind.ORPHAN_LABEL, label.shipment_id):
            continue
        found += 1
        details = {"provider": provider.name, "reference": label.reference, "created_at": label.created_at.isoformat(),
                   "return_status": owner.status if owner else None}
        try:
            provider.void(label.shipment_id)
        except LabelProviderError as exc:
            finding = _finding_create(kind=FindingKind.ORPHAN_LABEL, subject=label.shipment_id,
                                      status=FindingStatus.OPEN, action="void failed; needs ops",
                                      details={**details, "error": exc.message})
            if finding:
                finding_alert_queue(finding)
            continue
        reason = "its return was cancelled" if owner else "no return points to it"
        _finding_create(kind=FindingKind.ORPHAN_LABEL, subject=label.shipment_id, status=FindingStatus.REPAIRED,
                        action=f"voided at {provider.name}: {reason}", details=details)
    return found


def overdue_refunds_reconcile(*, now) -> int:
    ReconciliationFinding.objects.filter(
        kind=FindingKind.REFUND_MISSING, status=FindingStatus.OPEN,
        subject__in=Return.objects.filter(status=ReturnStatus.REFUNDED).values("id"),
    ).update(status=FindingStatus.RESOLVED, action="refunded since", updated_at=now)
    cutoff = now - timedelta(hours=settings.RETURN_REFUND_OVERDUE_HOURS)
    found = 0
    for ret in Return.objects.filter(status=ReturnStatus.RECEIVED, received_at__lt=cutoff):
        if _finding_exists(FindingKind.REFUND_MISSING, ret.id):
            continue
        found += bool(_finding_create(
            kind=FindingKind.REFUND_MISSING, subject=ret.id, status=FindingStatus.OPEN,
            action="listed for ops: received but not refunded",
            details={"order_id": ret.order_id, "received_at": ret.received_at.isoformat(),
                     "refund_estimate": str(ret.refund_estimate)}))
    return found


def refunds_without_return_reconcile(*, now) -> int:
    since = now - timedelta(days=settings.RETURN_ORPHAN_LABEL_LOOKBACK_DAYS)
    grace_cutoff = now - timedelta(minutes=settings.RETURN_ORPHAN_LABEL_GRACE_MINUTES)
    refunds = [refund for refund in refunds_since(since=since) if refund.created_at < grace_cutoff]
    known = set(Return.objects.filter(refund_id__in=[r.refund_id for r in refunds]).values_list("refund_id", flat=True))
    found = 0
    for refund in refunds:
        if refund.refund_id in known or _finding_exists(FindingKind.REFUND_WITHOUT_RETURN, refund.refund_id):
            continue
        found += bool(_finding_create(
            kind=FindingKind.REFUND_WITHOUT_RETURN, subject=refund.refund_id, status=FindingStatus.OPEN,
            action="listed for ops: refund not made by any return",
            details={"order_id": refund.order_id, "amount": str(refund.amount), "reason": refund.reason,
                     "created_at": refund.created_at.isoformat()}))
    return found


def returns_reconcile(*, now=None) -> dict[str, int]:
    """Run every check; returns the number of new findings per kind. A failing check (e.g. the
    label provider is down) is logged and does not stop the others."""
    now = now or timezone.now()
    checks = {
        FindingKind.LABEL_STUCK: stuck_labels_reconcile,
        FindingKind.ORPHAN_LABEL: orphan_labels_reconcile,
        FindingKind.REFUND_MISSING: overdue_refunds_reconcile,
        FindingKind.REFUND_WITHOUT_RETURN: refunds_without_return_reconcile,
    }
    results = {}
    for kind, check in checks.items():
        try:
            results[str(kind)] = check(now=now)
        except LabelProviderError:
            logger.exception("returns reconciliation check failed", extra={"check": str(kind)})
            results[str(kind)] = -1
    return results
