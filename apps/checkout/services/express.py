"""Express checkout: one click, a 5-second confirmation window, then the order.

The server owns the deadline. `express_start` stores the pending purchase in Redis with a deadline
read from Redis' own clock (one clock for every web process). The outcome is a single decision key
set at most once, by one Lua script that reads the same clock:

- `express_cancel` before the deadline sets it to `cancelled`: no order, no charge, ever;
- `express_complete` at or after the deadline sets it to `placing` and places the order through the
  guest checkout service (idempotent per cart: a second caller resumes the same order, one charge);
- a cancel that arrives after the deadline, or after placement started, loses cleanly: it gets the
  one order back. Never both, never neither.

A saved card that needs 3-D Secure leaves the order pending: the outcome is `requires_action` with the
intent's client secret, the page shows the bank's challenge, then asks for the outcome again. The
express's own Idempotency-Key (kept in its state, which only its signed-in owner can load) is the proof
`guest_checkout_complete` needs to resume that pending order: paid, still `requires_action`, or failed
(`AUTHENTICATION_FAILED`, not charged, stock released).

The page calls `express_complete` when its countdown ends; the `checkout.express_complete_due` task,
queued for the deadline, does the same if the shopper closed the tab.
"""
import json
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.redis import get_redis
from apps.experiments.public import (
    EXPRESS_CHECKOUT_CANCELLED,
    EXPRESS_CHECKOUT_PLACED,
    EXPRESS_CHECKOUT_STARTED,
    track,
)

from ..errors import CheckoutInProgress, ExpressNotFound, ExpressWindowOpen
from ..selectors import cart_view, order_live_for_cart
from .carts import cart_create
from .orders import GuestCheckoutInput, guest_checkout_complete
from .quote import checkout_quote, destination_of

CANCELLED, PLACING, REQUIRES_ACTION = "cancelled", "placing", "requires_action"

# KEYS[1] decision key; ARGV: deadline (ms), wanted decision, ttl (s). Returns {decision or "", now_ms}.
_DECIDE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local current = redis.call('GET', KEYS[1])
if current then return {current, now} end
local deadline = tonumber(ARGV[1])
if ARGV[2] == 'cancelled' and now >= deadline then return {'', now} end
if ARGV[2] == 'placing' and now < deadline then return {'', now} end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
return {ARGV[2], now}
"""


@dataclass(frozen=True)
class ExpressPending:
    express_id: str
    cart_id: str
    deadline_ms: int
    now_ms: int
    total: str                  # total_charged: the items, shipping (the cheapest method) and tax
    currency: str
    card_label: str
    shipping_address: dict
    lines: list[dict]
    shipping: str = "0.00"      # as listed (VAT included where prices include it)
    shipping_method: str = ""   # its name
    tax: str = "0.00"
    prices_include_tax: bool = False

    @property
    def remaining_ms(self) -> int:
        return max(self.deadline_ms - self.now_ms, 0)


@dataclass(frozen=True)
class ExpressOutcome:
    status: str                 # "cancelled" | "placed" | "placing" | "requires_action"
    order_id: str = ""
    confirmation_token: str = ""
    client_secret: str = field(default="", repr=False)  # while 3-D Secure is pending: for the bank's challenge
    next_action_type: str = ""


def _key(express_id: str) -> str:
    return "{express:" + express_id + "}"


def _decision_key(express_id: str) -> str:
    return _key(express_id) + ":decision"


def _now_ms() -> int:
    seconds, micros = get_redis().time()
    return seconds * 1000 + micros // 1000


def _load(express_id: str, user_id: int) -> dict:
    raw = get_redis().get(_key(express_id))
    state = json.loads(raw) if raw else None
    if state is None or state["user_id"] != user_id:
        raise ExpressNotFound()
    return state


def _decide(state: dict, wanted: str) -> str:
    decision, _ = get_redis().eval(_DECIDE, 1, _decision_key(state["express_id"]), state["deadline_ms"], wanted,
                                   settings.EXPRESS_CHECKOUT_STATE_TTL_SECONDS)
    return decision.decode() if isinstance(decision, bytes) else decision


def _track_once(state: dict, event: str, **properties) -> None:
    """One analytics event per express checkout and outcome, however often the outcome is asked for."""
    if get_redis().set(f"{_key(state['express_id'])}:tracked:{event}", "1", nx=True,
                       ex=settings.EXPRESS_CHECKOUT_STATE_TTL_SECONDS):
        track(event, {"express_id": state["express_id"], "cart_id": state["cart_id"], "payment_method": "card",
                      **properties}, {"user_id": str(state["user_id"]), "signed_in": True})


def express_start(*, user_id: int, email: str, payment_method_id: str, card_label: str, shipping_address: dict,
                  product_id: str = "", quantity: int = 1, cart_id: str = "") -> ExpressPending:
    """Open the confirmation window for one product (a new cart) or the shopper's cart."""
    if not cart_id:
        cart_id = cart_create(items=[(product_id, quantity)]).id
    cart = cart_view(cart_id=cart_id)
    quote = checkout_quote(cart=cart, destination=destination_of(shipping_address), placed_at=timezone.now())
    now = _now_ms()
    pending = ExpressPending(
        express_id="exp_" + secrets.token_hex(8), cart_id=cart.cart_id,
        deadline_ms=now + settings.EXPRESS_CHECKOUT_WINDOW_SECONDS * 1000, now_ms=now,
        total=str(quote.total_charged), currency=cart.currency, card_label=card_label,
        shipping_address=shipping_address,
        lines=[{"name": line.name, "quantity": line.quantity, "line_total": str(line.line_total)}
               for line in cart.lines],
        shipping=str(quote.option.price), shipping_method=quote.option.name, tax=str(quote.tax_total),
        prices_include_tax=quote.prices_include_tax,
    )
    # the method quoted is the method charged, even if a cheaper one appears before the window ends
    state = {"express_id": pending.express_id, "user_id": user_id, "email": email, "cart_id": cart.cart_id,
             "payment_method_id": payment_method_id, "shipping_address": shipping_address,
             "shipping_method": quote.option.code,
             "deadline_ms": pending.deadline_ms, "idempotency_key": "idk_express_" + secrets.token_hex(16)}
    get_redis().set(_key(pending.express_id), json.dumps(state), ex=settings.EXPRESS_CHECKOUT_STATE_TTL_SECONDS)
    _track_once(state, EXPRESS_CHECKOUT_STARTED, amount=pending.total)
    from ..tasks import express_complete_due

    transaction.on_commit(lambda: express_complete_due.apply_async(
        args=[pending.express_id, user_id], countdown=settings.EXPRESS_CHECKOUT_WINDOW_SECONDS))
    return pending


def express_cancel(*, express_id: str, user_id: int) -> ExpressOutcome:
    """Cancel the window: wins before the deadline (no order), else returns the one order."""
    state = _load(express_id, user_id)
    decision = _decide(state, CANCELLED)
    if decision == CANCELLED:
        _track_once(state, EXPRESS_CHECKOUT_CANCELLED)
        return ExpressOutcome(status=CANCELLED)
    return _place(state)


def express_complete(*, express_id: str, user_id: int) -> ExpressOutcome:
    """Place the order once the window has ended (ExpressWindowOpen before), unless it was cancelled."""
    state = _load(express_id, user_id)
    decision = _decide(state, PLACING)
    if decision == CANCELLED:
        return ExpressOutcome(status=CANCELLED)
    if decision != PLACING:
        raise ExpressWindowOpen(extra={"retry_after_ms": max(state["deadline_ms"] - _now_ms(), 0)})
    return _place(state)


def _place(state: dict) -> ExpressOutcome:
    """Claim is `placing` here; the guest checkout service makes the order (idempotent per cart)."""
    decision = _decide(state, PLACING)
    if decision != PLACING:
        return ExpressOutcome(status=CANCELLED)
    existing = order_live_for_cart(cart_id=state["cart_id"])
    if existing is not None and existing.status != existing.Status.PENDING:
        return ExpressOutcome(status="placed", order_id=existing.id, confirmation_token=existing.confirmation_token)
    try:
        result = guest_checkout_complete(data=GuestCheckoutInput(
            cart_id=state["cart_id"], email=state["email"], shipping_address=state["shipping_address"],
            payment_method_id=state["payment_method_id"], shipping_method=state.get("shipping_method", ""),
            idempotency_key=state.get("idempotency_key", "")))
    except CheckoutInProgress:
        return ExpressOutcome(status=PLACING)
    order = result.order
    if result.payment_pending:  # not paid yet: the bank's challenge, or Stripe still processing (ask again)
        if result.payment.status != REQUIRES_ACTION:
            return ExpressOutcome(status=PLACING, order_id=order.id)
        return ExpressOutcome(status=REQUIRES_ACTION, order_id=order.id, client_secret=result.payment.client_secret,
                              next_action_type=result.payment.next_action_type)
    _track_once(state, EXPRESS_CHECKOUT_PLACED, order_id=order.id, amount=str(order.total))
    return ExpressOutcome(status="placed", order_id=order.id, confirmation_token=order.confirmation_token)
