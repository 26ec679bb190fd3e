"""Who may act on a cart's order or a guest session: knowing an id (cart, session, order) proves nothing.

A client proves it is the one that placed a cart's order with the same `Idempotency-Key` it placed it with
(a retry after a gateway failure, as in the seed's traces) or with the bearer token of the order's guest
session (the checkout page, and an API client resending after 3-D Secure under a new key). Anyone else
learns only that the cart was checked out. A `session_id` in a request needs that session's token.
"""
import hashlib

from ..errors import CartAlreadyCheckedOut, SessionTokenInvalid
from ..models import Order
from ..sessions import GuestSession, GuestSessionStore


def idempotency_key_digest(key: str) -> str:
    """What the order keeps of the key that placed it: enough to recognise it, useless to replay it."""
    return hashlib.sha256(key.encode()).hexdigest() if key else ""


def session_token_check(*, session: GuestSession, token: str) -> None:
    """Raise SessionTokenInvalid (401) unless `token` is the session's own."""
    if not session.token_matches(token):
        raise SessionTokenInvalid(headers={"WWW-Authenticate": 'Bearer realm="guest-session"'})


def order_owner_check(*, order: Order, idempotency_key: str, session_token: str) -> None:
    """Raise CartAlreadyCheckedOut (409, no order data) unless the request comes from the order's owner."""
    if order.placed_with_key_digest and idempotency_key_digest(idempotency_key) == order.placed_with_key_digest:
        return
    session = GuestSessionStore().get(order.session_id) if order.session_id and session_token else None
    if session is not None and session.token_matches(session_token):
        return
    raise CartAlreadyCheckedOut()
