"""The amounts a shopper reads on the checkout, review and confirmation pages, as listed.

The wire's `subtotal` and `shipping_total` are net where prices include VAT; a page shows the prices
the shopper saw (the items and the shipping as listed) with the VAT they include on its own line
("VAT included"), or, where tax is added, the tax on top. Either way the rows lead to the total charged.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import Order
from .selectors import CartView
from .services.quote import CheckoutQuote


@dataclass(frozen=True)
class AmountsShown:
    currency: str
    items: Decimal
    shipping: Decimal | None        # None until the address is known
    tax: Decimal | None
    total: Decimal
    prices_include_tax: bool = False
    shipping_method: str = ""
    earliest_delivery: date | None = None
    latest_delivery: date | None = None


def amounts_before_address(cart: CartView) -> AmountsShown:
    return AmountsShown(currency=cart.currency, items=cart.subtotal, shipping=None, tax=None, total=cart.subtotal)


def amounts_of_quote(quote: CheckoutQuote) -> AmountsShown:
    return AmountsShown(currency=quote.currency, items=quote.items_total, shipping=quote.option.price,
                        tax=quote.tax_total, total=quote.total_charged, prices_include_tax=quote.prices_include_tax,
                        shipping_method=quote.option.name, earliest_delivery=quote.earliest_delivery,
                        latest_delivery=quote.latest_delivery)


def amounts_of_order(order: Order, lines) -> AmountsShown:
    items = sum((line.line_total for line in lines), Decimal("0.00"))
    shipping = order.total - items - (Decimal("0.00") if order.prices_include_tax else order.tax_total)
    return AmountsShown(currency=order.currency, items=items, shipping=shipping, tax=order.tax_total,
                        total=order.total, prices_include_tax=order.prices_include_tax,
                        shipping_method=order.shipping_method_name, earliest_delivery=order.delivery_earliest,
                        latest_delivery=order.delivery_latest)
