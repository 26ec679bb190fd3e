"""Reads of the checkout app: carts priced from the catalog, orders."""
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone

from apps.catalog.public import merchant_product_ids, product_image_path, product_info_many, product_price_facts
from apps.core.compiled_queries import CompiledQuery
from apps.core.money import format_money, to_money

from .errors import CartNotFound
from .models import Cart, CartItem, Fulfillment, FulfillmentLine, Order, OrderLine


@dataclass(frozen=True)
class PricedLine:
    product_id: str
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal
    available: bool
    weight_grams: int = 0           # per unit
    tax_category: str = "standard"
    image_path: str = ""            # the product's picture, a static path


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


def _priced(product_id: str, quantity: int, *, sku: str, name: str, price, active: bool, weight_grams: int = 0,
            tax_category: str = "standard", category_slug: str | None = None) -> PricedLine:
    price = to_money(price)
    return PricedLine(product_id=product_id, sku=sku, name=name, quantity=quantity, unit_price=price,
                      line_total=to_money(price * quantity), available=active, weight_grams=weight_grams,
                      tax_category=tax_category,
                      image_path=product_image_path(category_slug=category_slug) if category_slug is not None else "")


def _unknown(product_id: str, quantity: int) -> PricedLine:
    return _priced(product_id, quantity, sku="", name="", price=Decimal("0.00"), active=False)


def priced_lines(items: list[tuple[str, int]]) -> list[PricedLine]:
    """Price (product_id, quantity) pairs at today's catalog prices, in one query."""
    products = product_info_many(product_ids=[pid for pid, _ in items])
    return [_priced(pid, qty, sku=p.sku, name=p.name, price=p.price, active=p.active, weight_grams=p.weight_grams,
                    tax_category=p.tax_category, category_slug=p.category_slug) if (p := products.get(pid))
            else _unknown(pid, qty) for pid, qty in items]


def _cart_with_priced_items(cart_id: str, now: datetime, *, for_update: bool) -> QuerySet:
    """The live cart with its items in the order they were added, each with the catalog's price facts."""
    items = CartItem.objects.filter(cart=OuterRef("pk")).order_by("added_at", "id").values(item=JSONObject(
        product_id="product_id", quantity="quantity", product=product_price_facts(product_id=OuterRef("product_id"))))
    carts = Cart.objects.filter(id=cart_id, expires_at__gt=now).annotate(priced_items=ArraySubquery(items))
    return (carts.select_for_update() if for_update else carts).values_list(
        "id", "status", "currency", "version", "expires_at", "priced_items")


# The hot path's one read of a cart, compiled once (see apps.core.compiled_queries); a cart id is a string, the
# clock an aware datetime.
_EXAMPLES = {"cart_id": "\x00cart", "now": datetime(1970, 1, 1, 0, 0, 0, 424242, tzinfo=UTC)}
_CART = CompiledQuery(lambda cart_id, now: _cart_with_priced_items(cart_id, now, for_update=False), **_EXAMPLES)
_CART_LOCKED = CompiledQuery(lambda cart_id, now: _cart_with_priced_items(cart_id, now, for_update=True),
                             **_EXAMPLES)


def cart_view(*, cart_id: str, for_update: bool = False) -> CartView:
    """The live (unexpired) cart with priced lines; raises CartNotFound otherwise. One query: the cart
    with its items in the order they were added, each with the catalog's price facts (`for_update`
    locks the cart row)."""
    rows = (_CART_LOCKED if for_update else _CART).rows(cart_id=cart_id, now=timezone.now())
    if not rows:
        raise CartNotFound(cart_id)
    cart_id, status, currency, version, expires_at, priced_items = rows[0]
    lines = [_priced(item["product_id"], item["quantity"], **item["product"]) if item["product"]
             else _unknown(item["product_id"], item["quantity"]) for item in priced_items]
    return CartView(cart_id=cart_id, status=status, currency=currency, version=version, expires_at=expires_at,
                    lines=lines)


def order_live_for_cart(*, cart_id: str) -> Order | None:
    """The order holding this cart (pending, paid, shipped or delivered), if any."""
    return Order.objects.filter(cart_id=cart_id, status__in=Order.HOLDS_CART).first()


def order_with_line_quantities(*, order_id: str) -> Order:
    """The order with `line_quantities`, its lines' [(product_id, quantity)], in one query."""
    lines = OrderLine.objects.filter(order=OuterRef("pk")).order_by("id").values(
        line=JSONObject(product_id="product_id", quantity="quantity"))
    order = Order.objects.annotate(line_items=ArraySubquery(lines)).get(id=order_id)
    order.line_quantities = [(line["product_id"], line["quantity"]) for line in order.line_items]
    return order


def _cart_orders(cart_id: str, payment_method_id: str | None) -> QuerySet[Order]:
    wanted = Q(status__in=Order.HOLDS_CART)
    if payment_method_id is not None:
        wanted |= Q(status=Order.Status.PAYMENT_FAILED, payment_method_id=payment_method_id)
    return Order.objects.filter(wanted, cart_id=cart_id).order_by("-created_at", "-pk")


# Every checkout starts with it: compiled once (see apps.core.compiled_queries), with and without a payment method.
_CART_ORDERS = CompiledQuery(lambda cart_id: _cart_orders(cart_id, None), cart_id="\x00cart")
_CART_ORDERS_AND_FAILED = CompiledQuery(_cart_orders, cart_id="\x00cart", payment_method_id="\x00pm")


def cart_orders_for_checkout(*, cart_id: str, payment_method_id: str) -> tuple[Order | None, Order | None]:
    """In one query: the order holding the cart (as `order_live_for_cart`) and the cart's latest order that
    failed with `payment_method_id` (None without one)."""
    if payment_method_id:
        orders = _CART_ORDERS_AND_FAILED.instances(cart_id=cart_id, payment_method_id=payment_method_id)
    else:
        orders = _CART_ORDERS.instances(cart_id=cart_id)
    live = next((order for order in orders if order.status in Order.HOLDS_CART), None)
    failed = next((order for order in orders if order.status == Order.Status.PAYMENT_FAILED), None)
    return live, failed


def order_get(*, order_id: str) -> Order | None:
    return Order.objects.filter(id=order_id).first()


def order_get_by_confirmation(*, confirmation_token: str) -> Order | None:
    return Order.objects.filter(confirmation_token=confirmation_token).first()


def orders_with_lines(orders: QuerySet[Order]) -> QuerySet[Order]:
    """Orders with their lines, each annotated with `units_in_parcels` (one query more, however many orders)."""
    lines = OrderLine.objects.annotate(units_in_parcels=Coalesce(Sum("fulfillment_lines__quantity"), Value(0)))
    return orders.prefetch_related(Prefetch("lines", queryset=lines.order_by("id")))


def line_quantity_shipped(*, order: Order, line: OrderLine) -> int:
    """Units of the line that left in a parcel (`line` from `orders_with_lines`). A shipped or delivered order
    shipped every unit, parcels recorded or not (orders from before parcels existed)."""
    if order.status in (Order.Status.SHIPPED, Order.Status.DELIVERED):
        return line.quantity
    return min(line.units_in_parcels, line.quantity)


def account_exists_for_email(*, email: str) -> bool:
    """Whether a shopper account already uses this email as its username (no conversion offer then)."""
    return get_user_model().objects.filter(username__iexact=email).exists()


def order_list_for_email(*, email: str, limit: int = 50) -> list[Order]:
    """A customer's orders, newest first: orders belong to the email they were placed with (the account's
    email, or a guest order's email before it was converted into that account). Pass only an email the
    customer proved (`apps.accounts.public.verified_email`); "" matches nothing."""
    if not email:
        return []
    return list(Order.objects.filter(email__iexact=email).prefetch_related("fulfillments")
                .order_by("-created_at")[:limit])


# The merchant's view of an order: "paid" while some of its units are left to ship, "shipped" once
# they are all in parcels, "delivered" once all its parcels arrived.
MERCHANT_ORDER_STATUSES = ("paid", "shipped", "delivered")
MERCHANT_VISIBLE = (Order.Status.PAID, Order.Status.PARTIALLY_SHIPPED, Order.Status.SHIPPED, Order.Status.DELIVERED)


@dataclass(frozen=True)
class MerchantLine:
    line: OrderLine
    quantity_fulfilled: int


@dataclass(frozen=True)
class MerchantOrder:
    order: Order
    status: str                 # one of MERCHANT_ORDER_STATUSES
    lines: list[MerchantLine]
    fulfillments: list[Fulfillment]


def _sum_subquery(rows: QuerySet, group: str) -> Coalesce:
    return Coalesce(Subquery(rows.values(group).annotate(units=Sum("quantity")).values("units")[:1],
                             output_field=IntegerField()), Value(0))


def merchant_order_list(*, merchant_id: int | None, status: str | None = None) -> QuerySet[Order]:
    """Paid (or later) orders holding the merchant's products (every order for ops), oldest first,
    annotated with `merchant_status`; not test orders."""
    products = merchant_product_ids(merchant_id=merchant_id) if merchant_id is not None else []
    own_lines = OrderLine.objects.filter(order=OuterRef("pk"))
    own_units = FulfillmentLine.objects.filter(order_line__order=OuterRef("pk"))
    parcels = Fulfillment.objects.filter(order=OuterRef("pk"), delivered_at__isnull=True)
    if merchant_id is not None:
        own_lines = own_lines.filter(product_id__in=products)
        own_units = own_units.filter(order_line__product_id__in=products)
        parcels = parcels.filter(merchant_id=merchant_id)
    orders = (
        Order.objects.filter(Exists(own_lines), status__in=MERCHANT_VISIBLE, is_test=False)
        .annotate(ordered_units=_sum_subquery(own_lines, "order"),
                  shipped_units=_sum_subquery(own_units, "order_line__order"),
                  in_transit=Exists(parcels))
        .annotate(merchant_status=Case(
            When(Q(shipped_units__lt=F("ordered_units")), then=Value("paid")),
            When(in_transit=True, then=Value("shipped")),
            default=Value("delivered")))
        .order_by("paid_at", "created_at", "id")
    )
    return orders.filter(merchant_status=status) if status else orders


def merchant_orders_view(*, orders: list[Order], merchant_id: int | None) -> list[MerchantOrder]:
    """The page's orders with only the merchant's lines and parcels (two queries more, whatever the size)."""
    products = merchant_product_ids(merchant_id=merchant_id) if merchant_id is not None else []
    lines = OrderLine.objects.annotate(quantity_fulfilled=Coalesce(Sum("fulfillment_lines__quantity"), Value(0)))
    parcels = Fulfillment.objects.prefetch_related("lines")
    if merchant_id is not None:
        lines = lines.filter(product_id__in=products)
        parcels = parcels.filter(merchant_id=merchant_id)
    rows = Order.objects.filter(pk__in=[order.pk for order in orders]).prefetch_related(
        Prefetch("lines", queryset=lines.order_by("id"), to_attr="own_lines"),
        Prefetch("fulfillments", queryset=parcels.order_by("created_at", "id"), to_attr="own_fulfillments"))
    by_id = {row.pk: row for row in rows}
    return [MerchantOrder(order=order, status=order.merchant_status,
                          lines=[MerchantLine(line, line.quantity_fulfilled) for line in by_id[order.pk].own_lines],
                          fulfillments=by_id[order.pk].own_fulfillments)
            for order in orders]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    text: str


def order_timeline(*, order: Order, merchant_id: int | None = None) -> list[TimelineEntry]:
    """What happened to the order, oldest first: placed, paid, each parcel shipped and delivered
    (only the merchant's parcels when `merchant_id` is given), shipped, delivered, cancelled."""
    entries = [TimelineEntry(order.created_at, "Order placed")]
    if order.paid_at:  # a merchant sees that it was paid, not what the other merchants' lines cost
        entries.append(TimelineEntry(order.paid_at, "Paid" if merchant_id is not None else
                                     f"Paid {format_money(order.total, order.currency)}"))
    parcels = order.fulfillments.prefetch_related("lines")
    if merchant_id is not None:
        parcels = parcels.filter(merchant_id=merchant_id)
    for parcel in parcels:
        units = sum(line.quantity for line in parcel.lines.all())
        tracking = f", tracking {parcel.tracking_number}" if parcel.tracking_number else ""
        entries.append(TimelineEntry(parcel.created_at, f"Shipped {units} unit(s) by {parcel.carrier}{tracking}"))
        if parcel.delivered_at:
            entries.append(TimelineEntry(parcel.delivered_at, f"Parcel {parcel.id} delivered"))
    if order.shipped_at:
        entries.append(TimelineEntry(order.shipped_at, "Order shipped in full"))
    if order.delivered_at:
        entries.append(TimelineEntry(order.delivered_at, "Order delivered"))
    if order.status == Order.Status.CANCELLED:
        entries.append(TimelineEntry(order.updated_at, "Order cancelled and refunded"))
    return sorted(entries, key=lambda entry: entry.at)
