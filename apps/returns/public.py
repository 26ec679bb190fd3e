"""The returns app's interface for other apps (functions and dataclasses only).

Checkout's order page links to self-service returns with `return_start_url(...)`: it is None when
the `self_service_returns` flag is off for this shopper (no link is shown) or the order cannot
be returned (nothing shipped yet, or outside the return window).
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from apps.checkout.public import order_get

from .flags import returns_enabled, returns_enabled_for_order
from .selectors import returns_for_order
from .services.eligibility import order_return_path


def return_start_url(*, order_id: str, flag_context: dict) -> str | None:
    order = order_get(order_id=order_id)
    if order is None or not returns_enabled_for_order(flag_context, is_test_order=order.is_test):
        return None
    return order_return_path(order, now=timezone.now())


def returns_page_enabled(*, flag_context: dict) -> bool:
    """Whether to show the shopper the returns pages at all (the account page's "Returns" section)."""
    return returns_enabled(flag_context)


@dataclass(frozen=True)
class ReturnSummary:
    return_id: str
    status: str
    refund_estimate: Decimal
    refunded_amount: Decimal
    created_at: datetime


def return_summaries(*, order_id: str) -> list[ReturnSummary]:
    """The order's returns, for the ops admin's order page."""
    return [ReturnSummary(ret.id, ret.status, ret.refund_estimate, ret.refunded_amount, ret.created_at)
            for ret in returns_for_order(order_id=order_id)]
