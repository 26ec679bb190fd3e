"""Cart writes. Each change locks and bumps the cart row (`version = version + 1`, conditional on
`If-Match` when the client sent one) and then touches only the one item it concerns, so two
commuting changes from two tabs both land instead of one overwriting the other.

A change that would put more of a product in the cart than is in stock is refused then and there
(422 `INSUFFICIENT_STOCK` naming the product and how many are left), so the shopper does not learn
it only at "Place order". Stock is not held for carts: the reservation at checkout stays the
authority when two shoppers race for the last units."""
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.core.errors import FieldError, ValidationFailed
from apps.inventory.public import stock_on_hand

from ..errors import CartItemNotFound, CartLocked, CartNotFound, CartVersionConflict
from ..models import Cart, CartItem
from ..selectors import priced_lines


def _check_products(product_ids: list[str]) -> None:
    unavailable = [line.product_id for line in priced_lines([(pid, 1) for pid in product_ids]) if not line.available]
    if unavailable:
        raise ValidationFailed([
            FieldError("product_id", "NOT_FOUND", f"Product {pid} does not exist or is not for sale",
                       "An active catalog product id such as prod_monitor_32in")
            for pid in unavailable
        ])


def stock_shortfall_message(*, name: str, available: int) -> str:
    """What a shopper reads when they ask for more than is left (cart page, API, checkout)."""
    if available <= 0:
        return f"{name} is out of stock."
    return f"Only {available} of {name} left. Reduce the quantity to {available} or fewer."


def _check_stock(wanted: dict[str, int]) -> None:
    """Refuse quantities (the line's total after the change) beyond the stock on hand."""
    on_hand = stock_on_hand(product_ids=list(wanted))
    short = [(pid, qty) for pid, qty in wanted.items() if qty > on_hand[pid]]
    if not short:
        return
    names = {line.product_id: line.name for line in priced_lines([(pid, 1) for pid, _ in short])}
    raise ValidationFailed([
        FieldError("quantity", "INSUFFICIENT_STOCK",
                   stock_shortfall_message(name=names[pid] or pid, available=on_hand[pid]),
                   f"at most {on_hand[pid]} available")
        for pid, _ in short
    ])


def _bump(*, cart_id: str, expected_version: int | None) -> None:
    """Lock the cart row by bumping its version and renewing its expiry; raises CartNotFound,
    CartLocked (ordered) or CartVersionConflict (stale If-Match)."""
    now = timezone.now()
    live = Cart.objects.filter(id=cart_id, expires_at__gt=now)
    guarded = live.filter(status=Cart.Status.OPEN)
    if expected_version is not None:
        guarded = guarded.filter(version=expected_version)
    if guarded.update(version=F("version") + 1, updated_at=now,
                      expires_at=now + timedelta(seconds=settings.CART_TTL_SECONDS)):
        return
    cart = live.first()
    if cart is None:
        raise CartNotFound(cart_id)
    if cart.status != Cart.Status.OPEN:
        raise CartLocked()
    raise CartVersionConflict()


@transaction.atomic
def cart_create(*, items: list[tuple[str, int]], currency: str = "USD") -> Cart:
    merged: dict[str, int] = {}
    for product_id, quantity in items:
        merged[product_id] = merged.get(product_id, 0) + quantity
    if merged:
        _check_products(list(merged))
        _check_stock(merged)
    cart = Cart.objects.create(currency=currency)
    CartItem.objects.bulk_create([CartItem(cart=cart, product_id=pid, quantity=qty) for pid, qty in merged.items()])
    return cart


@transaction.atomic
def cart_item_add(*, cart_id: str, product_id: str, quantity: int, expected_version: int | None = None) -> None:
    """Add `quantity` of a product (increments an existing line)."""
    _check_products([product_id])
    _bump(cart_id=cart_id, expected_version=expected_version)
    in_cart = CartItem.objects.filter(cart_id=cart_id, product_id=product_id).values_list("quantity", flat=True)
    _check_stock({product_id: quantity + (in_cart.first() or 0)})
    if not CartItem.objects.filter(cart_id=cart_id, product_id=product_id).update(quantity=F("quantity") + quantity):
        CartItem.objects.create(cart_id=cart_id, product_id=product_id, quantity=quantity)


@transaction.atomic
def cart_item_set(*, cart_id: str, product_id: str, quantity: int, expected_version: int | None = None) -> None:
    """Set a line's quantity (0 removes it; lowering a quantity is always allowed)."""
    _bump(cart_id=cart_id, expected_version=expected_version)
    in_cart = CartItem.objects.filter(cart_id=cart_id, product_id=product_id).values_list("quantity", flat=True).first()
    if in_cart is not None and quantity > in_cart:
        _check_stock({product_id: quantity})
    items = CartItem.objects.filter(cart_id=cart_id, product_id=product_id)
    changed = items.delete()[0] if quantity == 0 else items.update(quantity=quantity)
    if not changed:
        raise CartItemNotFound(cart_id, product_id)


def cart_item_remove(*, cart_id: str, product_id: str, expected_version: int | None = None) -> None:
    cart_item_set(cart_id=cart_id, product_id=product_id, quantity=0, expected_version=expected_version)
