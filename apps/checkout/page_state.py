"""What the shopper pages remember in the Django session: the shopper's cart and live guest session.

The cart id and guest session (id + bearer token) live in the signed-cookie-backed Django session,
never in page URLs. Every read re-checks the source of truth (the cart row, the Redis session), so a
stale id left in the cookie is simply forgotten.
"""
from django.http import HttpRequest

from .errors import CartNotFound
from .models import Cart
from .selectors import CartView, cart_view
from .services.sessions import guest_session_start
from .sessions import GuestSession, GuestSessionStore

CART_KEY = "shopper_cart_id"
GUEST_SESSION_KEY = "shopper_guest_session"


def shopper_cart(request: HttpRequest, *, open_only: bool = True) -> CartView | None:
    """The shopper's live cart (open unless `open_only=False`), or None."""
    cart_id = request.session.get(CART_KEY)
    if not cart_id:
        return None
    try:
        view = cart_view(cart_id=cart_id)
    except CartNotFound:
        forget_cart(request)
        return None
    if open_only and view.status != Cart.Status.OPEN:
        return None
    return view


def remember_cart(request: HttpRequest, cart_id: str) -> None:
    request.session[CART_KEY] = cart_id


def forget_cart(request: HttpRequest) -> None:
    request.session.pop(CART_KEY, None)
    request.session.pop(GUEST_SESSION_KEY, None)


def guest_session_for(request: HttpRequest, cart: CartView, *, email: str = "") -> tuple[GuestSession, str]:
    """The shopper's live guest session for `cart`, or a new one (checkout_started). Returns the
    session and its bearer token, which the checkout page's script sends to the session API."""
    saved = request.session.get(GUEST_SESSION_KEY) or {}
    if saved.get("cart_id") == cart.cart_id:
        session = GuestSessionStore().get(saved.get("session_id", ""))
        if session is not None and not session.completed:
            return session, saved["token"]
    session, token = guest_session_start(cart_id=cart.cart_id, email=email)
    request.session[GUEST_SESSION_KEY] = {"cart_id": cart.cart_id, "session_id": session.session_id,
                                          "token": token}
    return session, token


def owns_guest_session(request: HttpRequest, session_id: str) -> bool:
    return bool(session_id) and (request.session.get(GUEST_SESSION_KEY) or {}).get("session_id") == session_id
