"""Reads of the checkout app: carts priced from the catalog, orders."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.catalog.public import product_info_many
from apps.core.money import to_money

from .errors import CartNotFound
from .models import Cart, Order


@dataclass(frozen=True)
class PricedLine:
    product_id: str
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal
    available: bool


@dataclass(frozen=True)
class CartView:
    cart_id: str
    status: str
    currency: str
    version: int
    expires_at: datetime
    lines: list[PricedLine]

    @property
    def subtotal(self) -> Decimal:
        return to_money(sum((line.line_total for line in self.lines), Decimal(0)))

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def snapshot(self) -> dict:
        """The cart as stored in a guest session (JSON-safe)."""
        return {
            "items": [{"product_id": line.product_id, "quantity": line.quantity, "unit_price": str(line.unit_price)}
                      for line in self.lines],
            "subtotal": str(self.subtotal), "currency": self.currency,
        }


def priced_lines(items: list[tuple[str, int]]) -> list[PricedLine]:
    """Price (product_id, quantity) pairs at today's catalog prices, in one query."""
    products = product_info_many(product_ids=[pid for pid, _ in items])
    lines = []
    for product_id, quantity in items:
        product = products.get(product_id)
        price = to_money(product.price) if product else Decimal("0.00")
        lines.append(PricedLine(
            product_id=product_id, sku=product.sku if product else "", name=product.name if product else "",
            quantity=quantity, unit_price=price, line_total=to_money(price * quantity),
            available=bool(product and product.active),
        ))
    return lines


def cart_view(*, cart_id: str, for_update: bool = False) -> CartView:
    """The live (unexpired) cart with priced lines; raises CartNotFound otherwise."""
    carts = Cart.objects.filter(id=cart_id, expires_at__gt=timezone.now())
    cart = (carts.select_for_update() if for_update else carts).first()
    if cart is None:
        raise CartNotFound(cart_id)
    items = list(cart.items.order_by("added_at", "id").values_list("product_id", "quantity"))
    return CartView(cart_id=cart.id, status=cart.status, currency=cart.currency, version=cart.version,
                    expires_at=cart.expires_at, lines=priced_lines(items))


def order_live_for_cart(*, cart_id: str) -> Order | None:
    """The order holding this cart (pending, paid, shipped or delivered), if any."""
    return Order.objects.filter(cart_id=cart_id, status__in=Order.HOLDS_CART).first()


def order_get(*, order_id: str) -> Order | None:
    return Order.objects.filter(id=order_id).first()


def order_get_by_confirmation(*, confirmation_token: str) -> Order | None:
    return Order.objects.filter(confirmation_token=confirmation_token).first()


def account_exists_for_email(*, email: str) -> bool:
    """Whether a shopper account already uses this email as its username (no conversion offer then)."""
    return get_user_model().objects.filter(username__iexact=email).exists()


def order_list_for_email(*, email: str, limit: int = 50) -> list[Order]:
    """A customer's orders, newest first: orders belong to the email they were placed with (the account's
    email, or a guest order's email before it was converted into that account). Pass only an email the
    customer proved (`apps.accounts.public.verified_email`); "" matches nothing."""
    if not email:
        return []
    return list(Order.objects.filter(email__iexact=email).order_by("-created_at")[:limit])
