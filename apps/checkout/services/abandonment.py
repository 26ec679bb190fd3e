"""Cart abandonment: one `cart.abandonment` event per guest session that expired without an order.

Redis expires sessions silently, so the session store keeps an expiry index and a trail copy of
each session; `abandoned_sessions_sweep` (beat, every minute) reads the index, skips sessions that
were renewed or completed, and reports the rest. The `AbandonedSession` row (unique per session)
is written in the same transaction as the outbox event, which makes the event exactly-once even
when two sweeps race or one dies between reporting and cleaning up.
"""
import time

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from apps.events.public import CART_ABANDONMENT, publish

from ..models import AbandonedSession, Order
from ..sessions import GuestSession, GuestSessionStore, iso_utc

EMAIL_HASH_SALT = "vantage.checkout.abandonment.email"


def email_hash(email: str) -> str | None:
    """Salted (secret-keyed) hash: lets analytics join repeat abandoners without seeing the address."""
    return salted_hmac(EMAIL_HASH_SALT, email.strip().lower(), algorithm="sha256").hexdigest() if email else None


def abandoned_sessions_sweep(*, now: float | None = None, limit: int = 500) -> int:
    """Report every due, expired, uncompleted session; returns how many events were written."""
    store = GuestSessionStore()
    reported = 0
    for session_id in store.due_for_sweep(now=now, limit=limit):
        if store.still_alive(session_id):
            continue
        trail = store.trail(session_id)
        if trail is not None and not trail.completed and not _has_order(session_id):
            reported += _report(trail, expired_at=now or time.time())
        store.forget(session_id)
    return reported


def _has_order(session_id: str) -> bool:
    return Order.objects.filter(session_id=session_id, status__in=Order.HOLDS_CART).exists()


def _report(session: GuestSession, *, expired_at: float) -> int:
    snapshot = session.cart_snapshot or {}
    items = snapshot.get("items", [])
    try:
        with transaction.atomic():
            event_id = publish(CART_ABANDONMENT, key=session.cart_id, payload={
                "session_id": session.session_id,
                "cart_id": session.cart_id,
                "cart_value": snapshot.get("subtotal", "0.00"),
                "currency": snapshot.get("currency", "USD"),
                "item_count": sum(int(item.get("quantity", 0)) for item in items),
                "last_step": session.last_step,
                "email_hash": email_hash(session.email),
                "session_created_at": iso_utc(session.created_at),
                "last_activity_at": iso_utc(session.last_activity),
                "expired_at": iso_utc(expired_at),
            })
            AbandonedSession.objects.create(session_id=session.session_id, cart_id=session.cart_id,
                                            event_id=event_id)
    except IntegrityError:
        return 0
    return 1
