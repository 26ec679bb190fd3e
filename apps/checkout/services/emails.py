"""Shopper emails: the order's (confirmation, shipped, delivered, cancelled, refund issued), the
return label's, and the account's (verification, password reset, …) — one pipeline for all.

`email_queue` records an `EmailDelivery` in the caller's transaction and queues the send after
commit (nothing is mailed for a change that rolled back); `email_delivery_send` renders
`templates/emails/<template>.{subject.txt,txt,html}` and sends both parts, once: a delivery
already sent is not sent again when a task is retried or run twice. Branding and the sender come
from settings (EMAIL_BRAND_NAME, DEFAULT_FROM_EMAIL, SHOP_BASE_URL for links).

Account emails carry sign-in links (verification, password reset): their context stays on the
row only until the email is sent, and the admin never shows it.
"""
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.core.after_response import task_send
from apps.core.inserts import insert_later

from ..amounts_shown import amounts_of_order
from ..models import EmailDelivery, Order
from ..tracking import tracking_url

ORDER_CONFIRMATION = "order_confirmation"
ORDER_SHIPPED = "order_shipped"
ORDER_DELIVERED = "order_delivered"
ORDER_CANCELLED = "order_cancelled"
REFUND_ISSUED = "refund_issued"
RETURN_LABEL_READY = "return_label_ready"
ACCOUNT_EMAIL_CONFIRMATION = "account_email_confirmation"
ACCOUNT_PASSWORD_RESET = "account_password_reset"
ACCOUNT_UNKNOWN = "account_unknown"
ACCOUNT_ALREADY_EXISTS = "account_already_exists"
ACCOUNT_NOTICE = "account_notice"  # any other account message, rendered by allauth and sent as it is
ORDER_TEMPLATES = (ORDER_CONFIRMATION, ORDER_SHIPPED, ORDER_DELIVERED, ORDER_CANCELLED, REFUND_ISSUED,
                   RETURN_LABEL_READY)
ACCOUNT_TEMPLATES = (ACCOUNT_EMAIL_CONFIRMATION, ACCOUNT_PASSWORD_RESET, ACCOUNT_UNKNOWN, ACCOUNT_ALREADY_EXISTS,
                     ACCOUNT_NOTICE)
TEMPLATES = ORDER_TEMPLATES + ACCOUNT_TEMPLATES


def email_queue(*, to: str, template: str, order: Order | None = None, context: dict | None = None) -> EmailDelivery:
    """Record the email and send it after commit. Order templates need the order; `context` must be
    JSON-safe (strings, numbers)."""
    if template not in TEMPLATES:
        raise ValueError(f"{template!r} is not a shopper email; use one of {', '.join(TEMPLATES)}")
    if template in ORDER_TEMPLATES and order is None:
        raise ValueError(f"The {template} email is about an order: pass order=")
    delivery = EmailDelivery(to=to, template=template, order=order, context=context or {})
    insert_later([delivery])  # its id is read at commit, once the caller's `insert_batch()` wrote it
    transaction.on_commit(lambda: _queue_send(delivery.pk))
    return delivery


def order_email_queue(*, order: Order, template: str, context: dict | None = None) -> EmailDelivery:
    return email_queue(to=order.email, template=template, order=order, context=context)


def _queue_send(delivery_id: int) -> None:
    """Inside a request, sent with its other tasks once the response is done; if the broker is down the row
    stays queued and ops send it again from the admin."""
    from ..tasks import send_email  # here: the tasks module imports the services

    task_send(send_email, delivery_id)


def _context(delivery: EmailDelivery) -> dict:
    context = {"brand": settings.EMAIL_BRAND_NAME, "shop_url": settings.SHOP_BASE_URL, "to": delivery.to}
    order = delivery.order
    if order is not None:
        parcel = order.fulfillments.filter(id=delivery.context.get("fulfillment_id", "")).first()
        lines = list(order.lines.all())
        context.update({
            "order": order, "lines": lines, "amounts": amounts_of_order(order, lines),
            "order_url": f"{settings.SHOP_BASE_URL}/checkout/confirmation/{order.confirmation_token}/",
            "parcel": parcel, "tracking_url": tracking_url(parcel.carrier, parcel.tracking_number) if parcel else "",
            "returns_url": _returns_url(order),
        })
    return {**context, **delivery.context}


def _returns_url(order: Order) -> str:
    """Where the shopper starts a return of this order, when returns are on for them (the flag is bucketed by
    the checkout's guest session, as the pages are); empty otherwise."""
    from apps.returns.public import returns_page_enabled  # here: returns' public module imports checkout's

    if not returns_page_enabled(flag_context={"session_id": order.session_id}):
        return ""
    return f"{settings.SHOP_BASE_URL}{reverse('returns:start')}?order_id={order.id}"


def email_delivery_send(*, delivery_id: int) -> EmailDelivery:
    """Render and send one queued email; raises the backend's error (the task retries) after
    recording the failed attempt."""
    delivery = EmailDelivery.objects.select_related("order").get(pk=delivery_id)
    if delivery.status == EmailDelivery.Status.SENT:
        return delivery
    context = _context(delivery)
    subject = " ".join(render_to_string(f"emails/{delivery.template}.subject.txt", context).split())
    message_id = make_msgid(domain=settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or None)
    message = EmailMultiAlternatives(subject=subject, body=render_to_string(f"emails/{delivery.template}.txt", context),
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[delivery.to],
                                     headers={"Message-ID": message_id})
    message.attach_alternative(render_to_string(f"emails/{delivery.template}.html", context), "text/html")
    EmailDelivery.objects.filter(pk=delivery_id).update(attempts=delivery.attempts + 1, subject=subject[:200])
    try:
        message.send()
    except Exception as exc:
        EmailDelivery.objects.filter(pk=delivery_id).update(status=EmailDelivery.Status.FAILED,
                                                             last_error=str(exc)[:500])
        raise
    sent = {"status": EmailDelivery.Status.SENT, "sent_at": timezone.now(), "provider_message_id": message_id,
            "last_error": ""}
    if delivery.template in ACCOUNT_TEMPLATES:
        sent["context"] = {}  # the sign-in link is in the shopper's inbox now; no copy stays behind
    EmailDelivery.objects.filter(pk=delivery_id).update(**sent)
    return EmailDelivery.objects.get(pk=delivery_id)
