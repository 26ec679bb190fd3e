"""Reads of the returns app."""
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from .models import (
    RELEASED_STATUSES,
    FindingKind,
    FindingStatus,
    ReconciliationFinding,
    Return,
    ReturnItem,
    ReturnStatus,
)


def return_get(*, return_id: str) -> Return | None:
    return Return.objects.prefetch_related("items", "transitions").filter(pk=return_id).first()


def return_is_test(*, return_id: str) -> bool:
    """Whether the return belongs to a test order (False for an unknown id)."""
    return bool(Return.objects.filter(pk=return_id).values_list("is_test", flat=True).first())


def return_order_id(*, return_id: str) -> str:
    """The order a return belongs to ("" for an unknown id)."""
    return Return.objects.filter(pk=return_id).values_list("order_id", flat=True).first() or ""


def return_with_label(*, return_id: str) -> Return | None:
    """The return, if it has a label file that is still valid (not cancelled)."""
    return Return.objects.filter(pk=return_id).exclude(label_file="").exclude(
        status=ReturnStatus.CANCELLED).first()


def returns_for_order(*, order_id: str) -> list[Return]:
    return list(Return.objects.prefetch_related("items", "transitions").filter(order_id=order_id))


def returns_for_user(*, user_id: int, email: str) -> list[Return]:
    """A signed-in customer's returns: made while signed in, or for orders placed with their email (pass
    only a verified email: `apps.accounts.public.verified_email`; "" adds none)."""
    queryset = Return.objects.filter(user_id=user_id)
    if email:
        queryset = queryset | Return.objects.filter(email__iexact=email)
    return list(queryset.distinct().prefetch_related("items", "transitions"))


def returned_quantities(*, order_id: str, exclude_return_id: str | None = None) -> dict[str, int]:
    """Units per order line already in a live return (cancelled returns give theirs back)."""
    items = ReturnItem.objects.filter(ret__order_id=order_id).exclude(ret__status__in=RELEASED_STATUSES)
    if exclude_return_id:
        items = items.exclude(ret_id=exclude_return_id)
    totals: dict[str, int] = defaultdict(int)
    for row in items.values("order_line_id").annotate(units=Sum("quantity")):
        totals[row["order_line_id"]] = row["units"]
    return totals


def refund_committed_total(*, order_id: str) -> Decimal:
    """What live returns of the order will refund or have refunded (the cap's used part)."""
    live = Return.objects.filter(order_id=order_id).exclude(status__in=RELEASED_STATUSES)
    return live.aggregate(total=Sum("refund_estimate"))["total"] or Decimal("0.00")


def findings_counts() -> dict[tuple[str, str], int]:
    """Findings per (kind, status), every combination present (zeros included) for /metrics."""
    counts = {(kind, status): 0 for kind in FindingKind.values for status in FindingStatus.values}
    for row in ReconciliationFinding.objects.values("kind", "status").annotate(n=Count("id")):
        counts[(row["kind"], row["status"])] = row["n"]
    return counts


@dataclass(frozen=True)
class MerchantReturn:
    """A return as one merchant sees it: only the items of that merchant's products."""

    ret: Return
    items: list[ReturnItem]


def returns_for_merchant(*, merchant_id: int | None, status: str | None = None,
                         limit: int = 200) -> list[MerchantReturn]:
    """Returns holding items of the merchant's products (all merchants for ops: `merchant_id=None`),
    each with only those items; test-order returns excluded. Newest first."""
    items = ReturnItem.objects.select_related("ret").filter(ret__is_test=False)
    if merchant_id is not None:
        items = items.filter(merchant_id=merchant_id)
    if status:
        items = items.filter(ret__status=status)
    grouped: dict[str, tuple[Return, list[ReturnItem]]] = {}
    for item in items.order_by("-ret__created_at", "id"):
        if item.ret_id not in grouped and len(grouped) >= limit:
            break
        grouped.setdefault(item.ret_id, (item.ret, []))[1].append(item)
    return [MerchantReturn(ret=ret, items=ret_items) for ret, ret_items in grouped.values()]
