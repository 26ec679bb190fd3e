"""The checkout funnel's analytics events and metrics, recorded in one place.

`checkout_event` (or `checkout_events`, several steps in one write) is the only call site the checkout
code uses. It goes through the platform's one `track()` (apps.experiments), which stores the event for
the dashboards, tags it with the unit's running experiments and publishes it to `analytics.events`
through the outbox — all in the caller's transaction. The unit is the guest session. The same call
counts `checkout_started`; `checkout_completed` and the completion time are counted after the paying
transaction committed (`order_confirmed_count`).
"""
from apps.experiments.public import track, track_many

from . import metrics
from .sessions import GuestSession

CHECKOUT_STARTED = "checkout_started"
SHIPPING_COMPLETED = "shipping_completed"
PAYMENT_COMPLETED = "payment_completed"
ORDER_CONFIRMED = "order_confirmed"


def checkout_event(event: str, *, session_id: str, properties: dict) -> None:
    """Record one funnel event for a guest session."""
    track(event, {"checkout_flow": metrics.FLOW, **properties}, {"session_id": session_id, "source": "checkout"})
    _count(event, properties)


def checkout_events(events: list[tuple[str, dict]], *, session_id: str, count: bool = True) -> None:
    """Record several funnel events — (event, properties) each — of one guest session, in one write.
    `count=False` stores events already counted (written again after their first transaction rolled back)."""
    track_many([(event, {"checkout_flow": metrics.FLOW, **properties}, {"session_id": session_id,
                                                                        "source": "checkout"})
                for event, properties in events])
    for event, properties in events if count else ():
        _count(event, properties)


def order_confirmed_count(*, session: GuestSession | None, properties: dict) -> None:
    """Count an `order_confirmed` once its transaction committed (`checkout_completed`, and the time since
    the session started when the session is known): the caller passes the session it just completed, so
    counting costs no read of it."""
    if not properties.get("is_test"):
        metrics.checkout_completed(session_started_at=session.created_at if session else None)


def _count(event: str, properties: dict) -> None:
    if event == CHECKOUT_STARTED and not properties.get("is_test"):
        metrics.CHECKOUT_STARTED.labels(flow=metrics.FLOW).inc()
