"""The guest checkout: place the order, hand it to the payments service, settle it.

1. `order_place` — one transaction: lock the cart, price it (`checkout_quote`: shipping method,
   tax, delivery window; an unreachable tax provider aborts before anything is written), create
   the order (`ord_…`, `cnf_…`, lines with their tax, totals), reserve stock with a conditional
   update (all lines or none), mark the cart ordered, record `shipping_completed`.
2. The payments service charges the order (`charge()` is idempotent per order id), outside any
   database transaction so no row lock is held across a network call.
3. `order_mark_paid` / `order_payment_failed` — conditional status updates, so the synchronous
   path and the Stripe webhook can both report the outcome and it is applied once. An order is paid
   only when the payments service holds a succeeded payment for it (its intent `succeeded`):
   `order_mark_paid` checks that itself, whoever calls it; it also queues the tax provider's
   transaction (Stripe Tax) in the same database transaction.

A card that needs 3-D Secure leaves the order `pending` (stock reserved) and the result carries the
intent's client secret; the client authenticates and sends the request again, which retrieves the
intent: paid, still pending, or failed (`AUTHENTICATION_FAILED`, stock released). The
`payment_intent.succeeded` webhook completes the same order, whichever arrives first.

A gateway outage leaves the order `pending` with its stock reserved; the client's retry (same
Idempotency-Key or not) finds the cart's pending order and resumes it: one order, one charge.
"""
import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Case, F, OuterRef, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from redis.exceptions import RedisError

from apps.core.compiled_queries import CompiledUpdate
from apps.core.errors import ApplicationError, FieldError, ValidationFailed
from apps.core.inserts import insert_batch, insert_instances, insert_later
from apps.core.locks import LockUnavailable, redis_lock
from apps.core.tracing import get_tracer
from apps.inventory.public import OutOfStock, StockLine, sale_record, stock_on_hand, stock_release, stock_reserve
from apps.payments.public import (
    AUTHENTICATION_FAILED,
    ChargeRequest,
    ChargeResult,
    PaymentAuthenticationFailed,
    PaymentGatewayUnavailable,
    apple_pay_enabled,
    charge,
    payment_details,
    payment_settle,
    payment_succeeded_exists,
)
from apps.tax.public import tax_transaction_record_later

from .. import analytics
from ..errors import CartNotFound, CheckoutInProgress, ProductUnavailable, SessionCartMismatch, SessionExpired
from ..metrics import PENDING_ORDERS_SETTLED
from ..models import Cart, Order, OrderLine
from ..selectors import CartView, cart_orders_for_checkout, cart_view, order_with_line_quantities
from ..sessions import GuestSessionStore
from .carts import stock_shortfall_message
from .order_events import ORDER_PAID, order_event_publish
from .proof import idempotency_key_digest, order_owner_check, session_token_check
from .quote import checkout_quote, destination_of, order_amounts, shipping_method_check
from .sessions import guest_session_complete, guest_session_open, guest_session_record, guest_session_start

logger = logging.getLogger(__name__)
tracer = get_tracer(__name__)

CHECKOUT_LOCK_SECONDS = 120  # longer than the payments service's worst case (4 × 8 s + 7 s backoff)


@dataclass(frozen=True)
class GuestCheckoutInput:
    cart_id: str
    email: str
    shipping_address: dict
    payment_method_id: str = ""
    payment_method_type: str = "card"
    shipping_method: str = ""  # a code from the shipping options; "" = the session's choice, else the cheapest
    session_id: str = ""
    session_token: str = ""  # the bearer token the request carried: proof of owning session_id / the order
    idempotency_key: str = ""  # proof of having placed the cart's order, on a retry


@dataclass(frozen=True)
class CheckoutResult:
    order: Order
    session_id: str
    session_token: str = ""
    payment: ChargeResult | None = None  # set while the order is pending: Stripe's status and next action

    @property
    def payment_pending(self) -> bool:
        return self.order.status == Order.Status.PENDING and self.payment is not None


@contextmanager
def _cart_lock(cart_id: str) -> Iterator[None]:
    """Two requests for one cart (double click without Idempotency-Key) run one at a time; the
    partial unique index on orders is the backstop."""
    with ExitStack() as held:
        try:
            held.enter_context(redis_lock(f"checkout:cart-lock:{cart_id}", ttl=CHECKOUT_LOCK_SECONDS))
        except LockUnavailable:
            raise CheckoutInProgress() from None
        yield


def guest_checkout_complete(*, data: GuestCheckoutInput) -> CheckoutResult:
    """Place (or resume) the order for `data.cart_id` and charge it; see the module docstring.
    Raises CartNotFound, ValidationFailed (empty cart, no payment method), OutOfStock,
    PaymentDeclined (stock released) or PaymentGatewayUnavailable (order left pending)."""
    with tracer.start_as_current_span("checkout.guest.complete") as span:
        span.set_attribute("cart_id", data.cart_id)
        with _cart_lock(data.cart_id):
            order, failed = cart_orders_for_checkout(cart_id=data.cart_id, payment_method_id=data.payment_method_id)
            token = ""
            if order is not None:
                order_owner_check(order=order, idempotency_key=data.idempotency_key,
                                  session_token=data.session_token)
            else:
                _check_authentication_not_failed(failed)
                _check_payment_method_type(data.payment_method_type)
                order, token = _place(data)
            span.set_attribute("order_id", order.id)
            payment = None
            if order.status == Order.Status.PENDING:
                order, payment = order_pay(order=order)
            return CheckoutResult(order=order, session_id=order.session_id, session_token=token, payment=payment)


def _check_authentication_not_failed(failed: Order | None) -> None:
    """The same request sent again after a failed 3-D Secure challenge answers that failure, even when the
    `payment_intent.payment_failed` webhook already failed the order and reopened the cart: the shopper
    retries with another card (a new PaymentMethod id), not by repeating the one that failed. `failed` is
    the cart's latest order that failed with the request's payment method."""
    payment = payment_details(order_id=failed.id) if failed else None
    if payment is not None and payment.failure_code == AUTHENTICATION_FAILED:
        raise PaymentAuthenticationFailed()


def _check_payment_method_type(payment_method_type: str) -> None:
    if payment_method_type == "apple_pay" and not apple_pay_enabled():
        raise ValidationFailed([FieldError("payment_method_type", "UNAVAILABLE", "Apple Pay is not available",
                                           "card, or apple_pay while Apple Pay is enabled")])


def _place(data: GuestCheckoutInput) -> tuple[Order, str]:
    """Place the order in the shopper's session; returns it and the session's token when it was created here."""
    if not data.session_id and data.payment_method_id:
        return _place_in_new_session(data)
    session_id, token, payment_method_id, shipping_method = _session_for(data)
    return order_place(data=data, session_id=session_id, payment_method_id=payment_method_id,
                       shipping_method=shipping_method), token


def _place_in_new_session(data: GuestCheckoutInput) -> tuple[Order, str]:
    """The one-call checkout (no session yet, the whole step in the body): one transaction reads and locks the
    cart, opens the session with this step, records its funnel events and places the order. When placing is
    refused (out of stock, undeliverable, …) the session stays, so its events are recorded in a transaction of
    their own before the refusal goes on to the client."""
    opened = None
    try:
        with transaction.atomic(), insert_batch():  # the funnel events, order lines and outbox rows: one insert
            cart = cart_view(cart_id=data.cart_id, for_update=True)
            opened = session, token, events = guest_session_open(
                cart=cart, email=data.email, shipping_address=data.shipping_address,
                payment_method_id=data.payment_method_id, shipping_method=data.shipping_method)
            analytics.checkout_events(events, session_id=session.session_id)
            order = order_place(data=data, cart=cart, session_id=session.session_id,
                                payment_method_id=data.payment_method_id, shipping_method=data.shipping_method)
            order.unseen_session = session  # for order_mark_paid: its id and token leave with this response only
    except Exception as refusal:
        if opened is not None:
            _keep_session_of_refused_placement(session_id=opened[0].session_id, events=opened[2], refusal=refusal)
        raise
    return order, token


def _keep_session_of_refused_placement(*, session_id: str, events: list, refusal: Exception) -> None:
    """The session stays with what the shopper gave, less a shipping method the quote refused; its funnel
    events are recorded on their own (the placement's transaction took them along)."""
    refused_fields = {error.field for error in refusal.errors} if isinstance(refusal, ValidationFailed) else set()
    try:
        if "shipping_method" in refused_fields:
            GuestSessionStore().update(session_id, shipping_method="")
        with transaction.atomic():
            analytics.checkout_events(events, session_id=session_id, count=False)
    except (DatabaseError, RedisError, SessionExpired):  # the refusal is what the client must hear
        logger.warning("session %s of a refused placement not kept whole", session_id, exc_info=True)


def _session_for(data: GuestCheckoutInput) -> tuple[str, str, str, str]:
    """The shopper's live session for this cart (updated with this step) or a new one: returns its
    id, its token when it was created here, the payment method and the shipping method (body first,
    then session)."""
    store = GuestSessionStore()
    session = store.get(data.session_id) if data.session_id else None
    token = ""
    if session is not None:
        session_token_check(session=session, token=data.session_token)  # before anything of it is used
    if session is not None and session.cart_id != data.cart_id:
        raise SessionCartMismatch()
    if data.shipping_method:  # before the session is written: a refused method must not stay on it
        shipping_method_check(cart_id=data.cart_id, shipping_address=data.shipping_address,
                              shipping_method=data.shipping_method, placed_at=timezone.now())
    if session is None and data.payment_method_id:  # a new session written once with this whole step
        session, token = guest_session_start(cart_id=data.cart_id, email=data.email,
                                             shipping_address=data.shipping_address,
                                             payment_method_id=data.payment_method_id,
                                             shipping_method=data.shipping_method)
        return session.session_id, token, data.payment_method_id, data.shipping_method
    if session is None:
        session, token = guest_session_start(cart_id=data.cart_id, email=data.email)
    payment_method_id = data.payment_method_id or session.payment_method_id
    if not payment_method_id:
        raise ValidationFailed([FieldError("payment_method_id", "REQUIRED", "Payment method is required",
                                           "A payment method id (pm_…) in the body or attached to the session")])
    shipping_method = data.shipping_method or session.shipping_method
    guest_session_record(session_id=session.session_id, email=data.email, shipping_address=data.shipping_address,
                         payment_method_id=payment_method_id, shipping_method=shipping_method or None)
    return session.session_id, token, payment_method_id, shipping_method


_EXAMPLE_NOW = datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC)  # CompiledUpdate's example of a timestamp
_CART_ORDERED = CompiledUpdate(lambda cart_id, now: (Cart.objects.filter(id=cart_id), {
    "status": Cart.Status.ORDERED, "updated_at": now}), cart_id="\x00cart", now=_EXAMPLE_NOW)


@transaction.atomic(savepoint=False)  # inside the caller's transaction, a refusal rolls all of it back anyway
def order_place(*, data: GuestCheckoutInput, session_id: str, payment_method_id: str, shipping_method: str = "",
                cart: CartView | None = None) -> Order:
    """`cart`: the cart as read and locked by the caller's transaction (read and locked here otherwise)."""
    cart = cart or cart_view(cart_id=data.cart_id, for_update=True)
    if cart.status != Cart.Status.OPEN:
        raise CartNotFound(data.cart_id)
    if not cart.lines:
        raise ValidationFailed([FieldError("cart_id", "EMPTY_CART", "Cart has no items",
                                           "A cart with at least one item")])
    unavailable = [line.product_id for line in cart.lines if not line.available]
    if unavailable:
        raise ProductUnavailable(extra={"items": unavailable})
    address = data.shipping_address
    now = timezone.now()
    quote = checkout_quote(cart=cart, destination=destination_of(address), shipping_method=shipping_method,
                           placed_at=now)
    try:
        with transaction.atomic(savepoint=False):  # a clash aborts the whole placement anyway
            order = Order(
                cart_id=cart.cart_id, session_id=session_id, email=data.email, currency=cart.currency,
                shipping_line1=address["line1"], shipping_line2=address.get("line2", ""),
                shipping_city=address["city"], shipping_state=address.get("state", ""), shipping_zip=address["zip"],
                shipping_country=address["country"], payment_method_id=payment_method_id,
                placed_with_key_digest=idempotency_key_digest(data.idempotency_key),
                payment_method_type=data.payment_method_type,
                **order_amounts(quote),
            )
            insert_instances([order])
    except IntegrityError as exc:
        raise CheckoutInProgress() from exc
    insert_later([
        OrderLine(order=order, product_id=line.product_id, sku=line.sku, name=line.name, quantity=line.quantity,
                  unit_price=line.unit_price, line_total=line.line_total, tax_amount=tax.tax, tax_rate=tax.rate)
        for line, tax in zip(cart.lines, quote.lines, strict=True)
    ])
    try:
        stock_reserve(lines=[StockLine(line.product_id, line.quantity) for line in cart.lines], reference=order.id)
    except OutOfStock as exc:
        raise _out_of_stock_for_shopper(cart=cart, short=exc.extra.get("items", [])) from exc
    _CART_ORDERED.execute(cart_id=cart.cart_id, now=now)
    order.line_quantities = [(line.product_id, line.quantity) for line in cart.lines]  # for order_mark_paid
    return order


def _out_of_stock_for_shopper(*, cart: CartView, short: list[str]) -> OutOfStock:
    """The inventory's OutOfStock names product ids; a shopper needs names, how many are left, and the
    way back to the cart (`items` keeps the ids for API clients)."""
    on_hand = stock_on_hand(product_ids=short)
    names = {line.product_id: line.name for line in cart.lines}
    problems = " ".join(stock_shortfall_message(name=names.get(pid) or pid, available=on_hand[pid]) for pid in short)
    cart_url = reverse("checkout:cart")
    return OutOfStock(f"{problems} Change your cart at {cart_url} and place the order again.",
                      extra={"items": short, "available": on_hand, "cart_url": cart_url})


def order_pay(*, order: Order) -> tuple[Order, ChargeResult | None]:
    """Hand the pending order to the payments service and settle it with the outcome: paid when the intent
    succeeded; still pending (with the payment's status and next action) while it is in flight."""
    request = ChargeRequest(
        order_id=order.id, amount=order.total, currency=order.currency, payment_method_id=order.payment_method_id,
        cart_id=order.cart_id or "", checkout_type="guest", session_id=order.session_id,
        confirmation_token=order.confirmation_token, customer_email=order.email,
        payment_method_type=order.payment_method_type or "card",
    )
    try:
        result = charge(request)
    except ApplicationError as refused:
        # 4xx (declined, or Stripe refused the request) is final: give the stock back. 5xx (gateway
        # unavailable) is not: the order stays pending and the client's retry resumes it.
        if refused.status_code < 500:
            order_payment_failed(order_id=order.id)
        raise
    if result.status != "succeeded":
        logger.info("order %s stays pending: payment %s", order.id, result.status,
                    extra={"order_id": order.id, "intent_id": result.intent_id})
        return order, result
    return order_mark_paid(order_id=order.id, intent_id=result.intent_id, charge_id=result.charge_id,
                           payment_method_type=result.payment_method_type,
                           payment_method_label=result.payment_method_label, placed=order), None


def _mark_paid_update(*, order_id, intent_id, charge_id, payment_method_type, payment_method_label, now):
    """order_mark_paid's UPDATE, one shape for every call: a charge id or payment method left empty keeps
    the row's (a webhook may name neither)."""
    keep_method = Exact(Value(payment_method_type), "")
    return Order.objects.filter(payment_succeeded_exists(order_id=OuterRef("id")), id=order_id,
                                status=Order.Status.PENDING), {
        "status": Order.Status.PAID, "paid_at": now, "updated_at": now, "payment_intent_id": intent_id,
        "charge_id": Coalesce(NullIf(Value(charge_id), Value("")), F("charge_id")),
        "payment_method_type": Case(When(keep_method, then=F("payment_method_type")),
                                    default=Value(payment_method_type)),
        "payment_method_label": Case(When(keep_method, then=F("payment_method_label")),
                                     default=Value(payment_method_label)),
    }


_MARK_PAID = CompiledUpdate(_mark_paid_update, order_id="\x00order", intent_id="\x00intent",
                            charge_id="\x00charge", payment_method_type="\x00type",
                            payment_method_label="\x00label", now=_EXAMPLE_NOW)


@transaction.atomic
def order_mark_paid(*, order_id: str, intent_id: str, charge_id: str = "", payment_method_type: str = "",
                    payment_method_label: str = "", placed: Order | None = None) -> Order:
    """Pending → paid, once: records the sale for velocity, completes the guest session and emits
    `payment_completed` and `order_confirmed`. A second report (webhook after the synchronous
    path) changes nothing. Refused (the order is returned unchanged, an error logged) unless the
    payments service holds a succeeded payment for it: the update itself requires that payment, so no
    caller can mark an order paid without money. `placed`: the order as `order_place` returned it, in this
    process (with its `line_quantities`), which the update completes instead of a read of the row."""
    now = timezone.now()
    fields = {"status": Order.Status.PAID, "paid_at": now, "updated_at": now, "payment_intent_id": intent_id}
    if charge_id:
        fields["charge_id"] = charge_id
    if payment_method_type:
        fields.update(payment_method_type=payment_method_type, payment_method_label=payment_method_label)
    changed = _MARK_PAID.execute(order_id=order_id, intent_id=intent_id, charge_id=charge_id, now=now,
                                 payment_method_type=payment_method_type, payment_method_label=payment_method_label)
    if changed and placed is not None and hasattr(placed, "line_quantities"):
        order = placed  # the row is this pending order plus `fields`: the update only applies to a pending order
        for name, value in fields.items():
            setattr(order, name, value)
    else:
        order = order_with_line_quantities(order_id=order_id)
    if not changed:
        if order.status == Order.Status.PENDING:
            payment = payment_details(order_id=order_id)
            logger.error("order %s not marked paid: its payment is %s", order_id,
                         payment.status if payment else "missing", extra={"order_id": order_id, "intent_id": intent_id})
        return order
    sale_record(lines=[StockLine(pid, qty) for pid, qty in order.line_quantities])
    tax_transaction_record_later(calculation_id=order.tax_calculation_id, reference=order.id)
    properties = {"order_id": order.id, "cart_id": order.cart_id, "total": str(order.total),
                  "total_charged": str(order.total), "subtotal": str(order.subtotal),
                  "shipping_total": str(order.shipping_total), "tax_total": str(order.tax_total),
                  "currency": order.currency, "payment_method_type": order.payment_method_type,
                  # the names the payment-method dashboard aggregates on (its AOV: total_charged)
                  "payment_method": order.payment_method_type, "amount": str(order.total),
                  "is_test": order.is_test}
    with insert_batch():  # the funnel's and the order's events and the confirmation email in one insert
        analytics.checkout_events([(analytics.PAYMENT_COMPLETED, properties), (analytics.ORDER_CONFIRMED, properties)],
                                  session_id=order.session_id, count=False)
        order_event_publish(order=order, event_type=ORDER_PAID, paid_at=now.isoformat(),
                            payment_method_type=order.payment_method_type)

    unseen = getattr(placed, "unseen_session", None) if order is placed else None

    def complete_session() -> None:  # after commit: counted once the order is paid for good
        session = None
        try:
            session = guest_session_complete(session_id=order.session_id, order_id=order.id,
                                             payment_intent_id=intent_id, unseen=unseen)
        finally:
            analytics.order_confirmed_count(session=session, properties=properties)

    transaction.on_commit(complete_session)
    return order


@transaction.atomic
def order_payment_failed(*, order_id: str, status: str = Order.Status.PAYMENT_FAILED) -> bool:
    """Pending → payment_failed (or cancelled), once: gives the reserved stock back and reopens the
    cart so the shopper can retry with another card (a new order). Returns whether it changed."""
    now = timezone.now()
    if not Order.objects.filter(id=order_id, status=Order.Status.PENDING).update(status=status, updated_at=now):
        return False
    order = Order.objects.get(id=order_id)
    lines = list(order.lines.values_list("product_id", "quantity"))
    stock_release(lines=[StockLine(pid, qty) for pid, qty in lines], reference=order.id)
    if order.cart_id:
        Cart.objects.filter(id=order.cart_id, status=Cart.Status.ORDERED).update(status=Cart.Status.OPEN,
                                                                               updated_at=now)
    return True


def payment_event_handle(event_type: str, confirmation_token: str, intent_id: str, data: dict) -> None:
    """Stripe webhook outcome for a guest order, found by its confirmation token (registered with the
    payments app in CheckoutConfig.ready). Runs inside the webhook's transaction; applied once."""
    order = Order.objects.filter(confirmation_token=confirmation_token).only("id").first() if confirmation_token \
        else None
    if order is None:
        logger.info("payment event for no guest order", extra={"event_type": event_type, "intent_id": intent_id})
        return
    if event_type == "payment_intent.succeeded":
        paid = order_mark_paid(order_id=order.id, intent_id=intent_id, charge_id=str(data.get("latest_charge") or ""),
                               payment_method_label=str(data.get("payment_method_label") or ""))
        if paid.status == Order.Status.CANCELLED:
            # Stripe completed a payment after the order was given up (orders_pending_expire): the
            # order stays cancelled; payment reconciliation finds the payment without a live order.
            logger.error("payment succeeded for a cancelled order", extra={"order_id": paid.id,
                                                                           "intent_id": intent_id})
    elif event_type in ("payment_intent.payment_failed", "payment_intent.canceled"):
        order_payment_failed(order_id=order.id)


def orders_pending_settle(*, older_than_seconds: int | None = None, limit: int = 200) -> dict[str, int]:
    """Orders pending longer than CHECKOUT_PENDING_SETTLE_AFTER_SECONDS whose intent exists: ask Stripe where
    the payment stands and settle them (paid / payment_failed), so a lost webhook leaves neither a paid order
    pending nor a shopper charged without an order. Intents still in flight are left for the shopper (and
    for `orders_pending_expire`). Stops early while Stripe is unreachable. Returns counts by outcome."""
    age = older_than_seconds if older_than_seconds is not None else settings.CHECKOUT_PENDING_SETTLE_AFTER_SECONDS
    cutoff = timezone.now() - timedelta(seconds=age)
    stale = Order.objects.filter(status=Order.Status.PENDING, created_at__lt=cutoff).order_by("created_at")
    outcomes: dict[str, int] = {}
    for order_id in stale.values_list("id", flat=True)[:limit]:
        try:
            payment = payment_settle(order_id=order_id)
        except PaymentGatewayUnavailable:
            outcome = "gateway_unavailable"
        else:
            if payment is None:
                continue
            outcome = _order_settle(order_id=order_id, payment=payment) or "still_pending"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        PENDING_ORDERS_SETTLED.labels(outcome=outcome).inc()
        if outcome == "gateway_unavailable":
            logger.warning("stripe unreachable; settling pending orders resumes next run")
            break
    if outcomes:
        logger.info("settling pending orders: %s", outcomes, extra={"outcomes": outcomes})
    return outcomes


def _order_settle(*, order_id: str, payment: ChargeResult, failed_status: str = Order.Status.PAYMENT_FAILED) -> str:
    """Apply a settled payment to its pending order: "paid", `failed_status`, or "" while it is in flight."""
    if payment.paid:
        order_mark_paid(order_id=order_id, intent_id=payment.intent_id, charge_id=payment.charge_id,
                        payment_method_type=payment.payment_method_type,
                        payment_method_label=payment.payment_method_label)
        return Order.Status.PAID
    if payment.status == "failed":
        order_payment_failed(order_id=order_id, status=failed_status)
        return failed_status
    return ""


def orders_pending_expire(*, older_than_seconds: int | None = None) -> int:
    """Give up orders left pending longer than CHECKOUT_PENDING_ORDER_TIMEOUT_SECONDS (a gateway outage the
    shopper never retried, a 3-D Secure challenge never answered): an intent still waiting for the shopper is
    cancelled at Stripe first; paid if Stripe took the money after all, otherwise cancelled with the stock
    released. An order whose payment Stripe cannot tell us about now (unreachable, still processing) waits
    for the next run. Returns how many were cancelled."""
    age = older_than_seconds if older_than_seconds is not None else settings.CHECKOUT_PENDING_ORDER_TIMEOUT_SECONDS
    cutoff = timezone.now() - timedelta(seconds=age)
    cancelled = 0
    stale = Order.objects.filter(status=Order.Status.PENDING, created_at__lt=cutoff)
    for order_id in stale.values_list("id", flat=True):
        try:
            payment = payment_settle(order_id=order_id, cancel_in_flight=True)
        except PaymentGatewayUnavailable:
            logger.warning("stripe unreachable; pending order %s expires next run", order_id)
            continue
        if payment is None:
            cancelled += order_payment_failed(order_id=order_id, status=Order.Status.CANCELLED)
        elif _order_settle(order_id=order_id, payment=payment, failed_status=Order.Status.CANCELLED) \
                == Order.Status.CANCELLED:
            cancelled += 1
    return cancelled
