"""Guest session writes: start a session for an existing cart, record the shopper's progress."""
import contextlib

from django.db import transaction

from .. import analytics
from ..errors import CartNotFound, SessionExpired
from ..selectors import CartView, cart_view
from ..sessions import GuestSession, GuestSessionStore, Step

STEP_ORDER = [Step.STARTED, Step.CONTACT, Step.SHIPPING, Step.PAYMENT, Step.COMPLETED]


def _furthest(*steps: str) -> str:
    return max(steps, key=STEP_ORDER.index)


def guest_session_start(*, cart_id: str, email: str = "", shipping_address: dict | None = None,
                        payment_method_id: str = "", shipping_method: str = "") -> tuple[GuestSession, str]:
    """Create a session for `cart_id`; the cart must exist first (CART_NOT_FOUND otherwise), so no
    orphan session is ever written. A checkout that starts its session with the address and payment
    method records them in the same write (as `guest_session_record` would, `shipping_completed`
    included). Returns the session and its bearer token."""
    session, token, events = guest_session_open(cart=cart_view(cart_id=cart_id), email=email,
                                                shipping_address=shipping_address,
                                                payment_method_id=payment_method_id, shipping_method=shipping_method)
    analytics.checkout_events(events, session_id=session.session_id)
    return session, token


def guest_session_open(*, cart: CartView, email: str = "", shipping_address: dict | None = None,
                       payment_method_id: str = "", shipping_method: str = "") -> tuple[GuestSession, str, list]:
    """`guest_session_start` for a cart the caller has read: writes the session and returns it, its token and
    its funnel events (`checkout_started`, and `shipping_completed` with an address) for the caller to record
    with `analytics.checkout_events`, in its own transaction."""
    progress, steps = _progress(shipping_address=shipping_address, payment_method_id=payment_method_id,
                                shipping_method=shipping_method)
    session, token = GuestSessionStore().create(
        cart_id=cart.cart_id, cart_snapshot=cart.snapshot(), email=email,
        last_step=_furthest(Step.CONTACT if email else Step.STARTED, *steps), **progress)
    events = [(analytics.CHECKOUT_STARTED, {"cart_id": cart.cart_id, "cart_value": str(cart.subtotal),
                                            "item_count": cart.item_count, "currency": cart.currency})]
    if shipping_address:
        events.append(_shipping_completed(cart_id=cart.cart_id, shipping_address=shipping_address))
    return session, token, events


def guest_session_record(*, session_id: str, email: str | None = None, shipping_address: dict | None = None,
                         payment_method_id: str | None = None, payment_intent_id: str | None = None,
                         shipping_method: str | None = None) -> GuestSession:
    """Record the shopper's progress (renews the TTL and refreshes the cart snapshot). The first
    shipping address emits `shipping_completed`. Raises SessionExpired when the session is gone."""
    store = GuestSessionStore()
    before = store.get(session_id)
    if before is None:
        raise SessionExpired()
    changes, steps = _progress(shipping_address=shipping_address, payment_method_id=payment_method_id,
                               shipping_method=shipping_method)
    with contextlib.suppress(CartNotFound):  # an expired cart keeps the last snapshot
        changes["cart_snapshot"] = cart_view(cart_id=before.cart_id).snapshot()
    if email:
        changes["email"] = email
        steps.append(Step.CONTACT)
    if payment_intent_id:
        changes["payment_intent_id"] = payment_intent_id
    session = store.update(session_id, last_step=_furthest(before.last_step, *steps), **changes)
    if shipping_address and not before.shipping_address:
        event, properties = _shipping_completed(cart_id=session.cart_id, shipping_address=shipping_address)
        with transaction.atomic():
            analytics.checkout_event(event, session_id=session_id, properties=properties)
    return session


def _progress(*, shipping_address: dict | None, payment_method_id: str | None,
              shipping_method: str | None) -> tuple[dict, list[str]]:
    """The session fields a checkout step sets, and the steps it completes (starting a session and
    recording progress share this)."""
    changes: dict = {}
    steps: list[str] = []
    if shipping_address:
        changes["shipping_address"] = shipping_address
        steps.append(Step.SHIPPING)
    if payment_method_id:
        changes["payment_method_id"] = payment_method_id
        steps.append(Step.PAYMENT)
    if shipping_method is not None:  # "" clears a choice: the cheapest method again
        changes["shipping_method"] = shipping_method
    return changes, steps


def _shipping_completed(*, cart_id: str, shipping_address: dict) -> tuple[str, dict]:
    return analytics.SHIPPING_COMPLETED, {"cart_id": cart_id, "country": shipping_address.get("country", "")}


def guest_session_complete(*, session_id: str, order_id: str, payment_intent_id: str = "",
                           unseen: GuestSession | None = None) -> GuestSession | None:
    """Mark the session's checkout done: it stays readable until its TTL, but is never abandoned. Returns
    the session as written, None when it had expired. `unseen`: the session as this request opened it, its
    id and token not yet answered to anyone (written without a read: nobody else can have changed it)."""
    changes = {"order_id": order_id, "payment_intent_id": payment_intent_id, "last_step": Step.COMPLETED}
    if unseen is not None:
        return GuestSessionStore().update_unseen(unseen, **changes)
    try:
        return GuestSessionStore().update(session_id, **changes)
    except SessionExpired:
        GuestSessionStore().forget(session_id)
        return None
