"""The daily low-stock digest (09:00 UTC, or `manage.py send_low_stock_digest`): every product below
its threshold with the email_digest channel, grouped by category and sorted by estimated stockout
date, filtered by each recipient's urgencies. One DigestDelivery row per recipient and day makes a
re-run send only what did not go out."""
import logging
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from ..models import DigestDelivery, DigestRecipient, LowStockAlert
from ..models.alerts import Urgency
from ..models.channels import DeliveryStatus
from ..models.thresholds import Channel

logger = logging.getLogger(__name__)
ALL_URGENCIES = [u.value for u in Urgency]


@dataclass
class DigestSummary:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def digest_recipients() -> dict[str, list[str]]:
    """email → urgencies wanted: LOW_STOCK_DIGEST_RECIPIENTS get everything; DigestRecipient rows their filter."""
    recipients = {email: list(ALL_URGENCIES) for email in settings.LOW_STOCK_DIGEST_RECIPIENTS}
    for recipient in DigestRecipient.objects.filter(active=True):
        recipients[recipient.email] = list(recipient.urgencies) or list(ALL_URGENCIES)
    return recipients


def digest_alerts(*, urgencies: list[str]) -> list[LowStockAlert]:
    """Active alerts of the wanted urgencies whose threshold has the email_digest channel (filtered here,
    in Python: the list is the few products below threshold, so a JSON containment lookup would gain nothing)."""
    alerts = (LowStockAlert.objects.filter(status=LowStockAlert.Status.ACTIVE, urgency__in=urgencies)
              .order_by("category_name", F("estimated_stockout_date").asc(nulls_last=True), "sku"))
    return [alert for alert in alerts if Channel.EMAIL_DIGEST in alert.channels]


def digest_render(*, alerts: list[LowStockAlert], day: date) -> tuple[str, str, str]:
    """Subject, text and HTML of a digest: categories in order of their most urgent product."""
    groups = [(name, list(items)) for name, items in groupby(alerts, key=lambda a: a.category_name or "Other")]
    groups.sort(key=lambda group: (group[1][0].estimated_stockout_date or date.max, group[0]))
    context = {"groups": groups, "day": day, "total": len(alerts),
               "critical": sum(1 for a in alerts if a.urgency == Urgency.CRITICAL)}
    subject = f"Low-stock digest {day:%Y-%m-%d}: {len(alerts)} products below threshold"
    return (subject, render_to_string("inventory/email/digest.txt", context),
            render_to_string("inventory/email/digest.html", context))


def low_stock_digest_send(*, day: date | None = None, force: bool = False) -> DigestSummary:
    """Send today's digest to each recipient not yet sent to (all of them again with force)."""
    day = day or timezone.now().date()
    summary = DigestSummary()
    for email, urgencies in digest_recipients().items():
        delivery, _ = DigestDelivery.objects.get_or_create(day=day, recipient=email)
        if delivery.status == DeliveryStatus.DELIVERED and not force:
            summary.skipped.append(email)
            continue
        alerts = digest_alerts(urgencies=urgencies)
        subject, text, html = digest_render(alerts=alerts, day=day)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [email])
        message.attach_alternative(html, "text/html")
        delivery.attempts += 1
        delivery.item_count = len(alerts)
        try:
            message.send()
        except Exception as failure:  # noqa: BLE001 — recorded; the next run retries this recipient
            delivery.last_error = f"{type(failure).__name__}: {failure}"[:300]
            delivery.save(update_fields=["attempts", "item_count", "last_error"])
            summary.failed.append(email)
            logger.warning("low-stock digest not sent", extra={"recipient": email, "error": delivery.last_error})
            continue
        delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.DELIVERED, timezone.now(), ""
        delivery.save(update_fields=["attempts", "item_count", "status", "sent_at", "last_error"])
        summary.sent.append(email)
    logger.info("low-stock digest run", extra={"sent": len(summary.sent), "failed": len(summary.failed)})
    return summary
