"""The checkout quote: what a cart costs delivered to an address by one shipping method.

One function, `checkout_quote`, prices every place that shows or charges an amount: order placement
(from the locked cart), the shipping-options endpoint, the guest session and the checkout page. The
shipping app answers which methods reach the destination (price, delivery window); the tax app
answers each line's tax and the shipping's. The amounts rule, to the cent:

    total_charged = subtotal + shipping_total + tax_total

- where prices exclude tax (US): subtotal = Σ line totals, shipping_total = the method's price,
  tax_total = the tax on top of them;
- where prices include tax (VAT countries): the shopper pays the listed prices, so subtotal and
  shipping_total are those prices net of their VAT and tax_total is the VAT; total_charged is the
  gross sum the shopper saw.

The cost in queries is constant: the cart's lines carry weight and tax category from the one catalog
read that priced them, and the shipping and tax lookups do not depend on the number of lines.
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from apps.core.errors import FieldError, ValidationFailed
from apps.core.money import to_money
from apps.shipping.public import Destination, ShippingOption, shipping_options
from apps.tax.public import TaxableLine, TaxAddressInvalid, TaxQuote, TaxServiceUnavailable, tax_calculate

from ..errors import CartNotFound
from ..selectors import CartView, cart_view
from ..sessions import GuestSession

UNDELIVERABLE_ADDRESS = "UNDELIVERABLE_ADDRESS"


@dataclass(frozen=True)
class QuoteLine:
    product_id: str
    tax: Decimal
    rate: Decimal


@dataclass(frozen=True)
class CheckoutQuote:
    currency: str
    options: tuple[ShippingOption, ...]    # every method that reaches the destination, cheapest first
    option: ShippingOption                 # the chosen one
    lines: tuple[QuoteLine, ...]           # the cart's lines' tax, in the cart's order
    items_total: Decimal                   # Σ line totals as listed (gross where prices include tax)
    subtotal: Decimal
    shipping_total: Decimal
    tax_total: Decimal
    prices_include_tax: bool
    tax_provider: str
    tax_calculation_id: str

    @property
    def total_charged(self) -> Decimal:
        return self.subtotal + self.shipping_total + self.tax_total

    @property
    def earliest_delivery(self) -> date:
        return self.option.earliest_delivery

    @property
    def latest_delivery(self) -> date:
        return self.option.latest_delivery


def destination_of(address: dict) -> Destination:
    """The shipping app's destination for a validated shipping address."""
    return Destination(country=address["country"].upper(), state=(address.get("state") or "").upper(),
                       zip=address.get("zip") or "")


def undeliverable(destination: Destination) -> ValidationFailed:
    where = ", ".join(part for part in (destination.state, destination.country) if part)
    return ValidationFailed([FieldError(
        "shipping_address", UNDELIVERABLE_ADDRESS,
        f"We do not ship to {where}. Use an address in a country we deliver to.",
        "an address that at least one shipping method reaches (see GET /api/v2/checkout/guest/shipping-options)")])


def unknown_method(code: str, options: tuple[ShippingOption, ...]) -> ValidationFailed:
    codes = ", ".join(option.code for option in options)
    return ValidationFailed([FieldError(
        "shipping_method", "INVALID_CHOICE", f"'{code}' is not a shipping method for this address. Choose one of: "
        f"{codes}.", f"one of {codes}")])


def cart_weight_grams(cart: CartView) -> int:
    return sum(line.weight_grams * line.quantity for line in cart.lines)


def cart_shipping_options(*, cart: CartView, destination: Destination,
                          placed_at: datetime) -> tuple[ShippingOption, ...]:
    """The methods that ship the cart there, cheapest first; UNDELIVERABLE_ADDRESS when none does."""
    options = tuple(shipping_options(destination=destination, subtotal=cart.subtotal,
                                     weight_grams=cart_weight_grams(cart), currency=cart.currency,
                                     placed_at=placed_at))
    if not options:
        raise undeliverable(destination)
    return options


def checkout_quote(*, cart: CartView, destination: Destination, shipping_method: str = "",
                   placed_at: datetime) -> CheckoutQuote:
    """Price `cart` delivered to `destination` by `shipping_method` (default: the cheapest that ships
    there). Raises ValidationFailed (UNDELIVERABLE_ADDRESS on shipping_address, INVALID_CHOICE on
    shipping_method) and the tax provider's errors (unavailable: the client retries)."""
    options = cart_shipping_options(cart=cart, destination=destination, placed_at=placed_at)
    option = options[0]
    if shipping_method:
        option = next((candidate for candidate in options if candidate.code == shipping_method), None)
        if option is None:
            raise unknown_method(shipping_method, options)
    try:
        tax = tax_calculate(
            country=destination.country, state=destination.state, zip_code=destination.zip,
            lines=[TaxableLine(reference=line.product_id, amount=line.line_total, quantity=line.quantity,
                               tax_category=line.tax_category) for line in cart.lines],
            shipping_amount=option.price, currency=cart.currency)
    except TaxAddressInvalid as exc:
        raise ValidationFailed([FieldError("shipping_address", exc.code, exc.message,
                                           "an address the tax provider can place (country, state and ZIP)")]) \
            from exc
    return _amounts(cart=cart, options=options, option=option, tax=tax)


def _amounts(*, cart: CartView, options: tuple[ShippingOption, ...], option: ShippingOption,
             tax: TaxQuote) -> CheckoutQuote:
    items_total = cart.subtotal
    shipping_price = to_money(option.price)
    subtotal, shipping_total = items_total, shipping_price
    if tax.prices_include_tax:
        subtotal = items_total - sum((line.tax for line in tax.lines), Decimal("0.00"))
        shipping_total = shipping_price - tax.shipping_tax
    return CheckoutQuote(
        currency=cart.currency, options=options, option=option,
        lines=tuple(QuoteLine(product_id=line.product_id, tax=line_tax.tax, rate=line_tax.rate)
                    for line, line_tax in zip(cart.lines, tax.lines, strict=True)),
        items_total=items_total, subtotal=to_money(subtotal), shipping_total=to_money(shipping_total),
        tax_total=to_money(tax.total), prices_include_tax=tax.prices_include_tax, tax_provider=tax.provider,
        tax_calculation_id=tax.calculation_id)


def delivery_deadline(day: date) -> datetime:
    """`estimated_delivery` as the API writes it: midnight UTC of the window's latest day."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def order_amounts(quote: CheckoutQuote) -> dict:
    """The order's fields the quote decides: its amounts, shipping method, delivery window and tax record."""
    return {
        "subtotal": quote.subtotal, "shipping_total": quote.shipping_total, "tax_total": quote.tax_total,
        "total": quote.total_charged, "prices_include_tax": quote.prices_include_tax,
        "tax_provider": quote.tax_provider, "tax_calculation_id": quote.tax_calculation_id,
        "shipping_method_code": quote.option.code, "shipping_method_name": quote.option.name,
        "delivery_earliest": quote.earliest_delivery, "delivery_latest": quote.latest_delivery,
        "estimated_delivery": delivery_deadline(quote.latest_delivery),
    }


def session_quote(*, session: GuestSession, placed_at: datetime) -> CheckoutQuote | None:
    """What the session's checkout costs now, by its shipping method (else the cheapest): None until
    its address is known, once its order is placed (the order holds the amounts), and while its cart is
    gone or empty, nothing ships to the address or the tax provider is unreachable (the session and the
    page stay usable; placing the order says why)."""
    if not session.shipping_address or session.completed:
        return None
    try:
        cart = cart_view(cart_id=session.cart_id)
    except CartNotFound:
        return None
    if not cart.lines:
        return None
    try:
        return checkout_quote(cart=cart, destination=destination_of(session.shipping_address),
                              shipping_method=session.shipping_method, placed_at=placed_at)
    except (ValidationFailed, TaxServiceUnavailable):
        return None


def shipping_method_check(*, cart_id: str, shipping_address: dict, shipping_method: str, placed_at: datetime) -> None:
    """Refuse (422 INVALID_CHOICE, or UNDELIVERABLE_ADDRESS when nothing ships there) a shipping method that does
    not ship the cart to the address. A checkout names its method before the order is priced: checked here
    first, so a refused request never leaves that method on the guest session."""
    options = cart_shipping_options(cart=cart_view(cart_id=cart_id), destination=destination_of(shipping_address),
                                    placed_at=placed_at)
    if shipping_method not in {option.code for option in options}:
        raise unknown_method(shipping_method, options)


def session_shipping_method(*, session: GuestSession, shipping_address: dict | None, shipping_method: str | None,
                            placed_at: datetime) -> str | None:
    """The shipping method to record on the session for an update (None: leave it as it is; "": the
    cheapest). A new address must be one some method reaches (UNDELIVERABLE_ADDRESS otherwise); a method
    the shopper picks must ship to the address (the update's, else the session's); a new address that
    the session's method does not reach drops that method, so the cheapest applies again."""
    if shipping_address is None and not shipping_method:
        return shipping_method
    address = shipping_address or session.shipping_address
    if not address:
        raise ValidationFailed([FieldError("shipping_method", "REQUIRED", "Enter the shipping address first",
                                           "a shipping_address in this update or on the session")])
    options = cart_shipping_options(cart=cart_view(cart_id=session.cart_id), destination=destination_of(address),
                                    placed_at=placed_at)
    codes = {option.code for option in options}
    if shipping_method:
        if shipping_method not in codes:
            raise unknown_method(shipping_method, options)
        return shipping_method
    if shipping_method == "":
        return ""
    return session.shipping_method if session.shipping_method in codes else ""
