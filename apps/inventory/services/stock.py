"""Writes of stock: movements, counts and sales records.

Every change is one conditional `UPDATE ... SET on_hand = on_hand + delta WHERE on_hand + delta >= 0`
plus a ledger row, inside the caller's transaction: two concurrent movements both apply, and no
movement can take stock below zero. Order-sized operations (reserve, release, sale record) are
set-based: a constant number of queries whatever the number of lines.
"""
import functools
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from apps.catalog.public import product_info
from apps.core.errors import FieldError, ValidationFailed
from apps.core.inserts import insert_instances

from ..errors import OutOfStock
from ..models import DailySales, StockLevel, StockMovement
from ..models.stock import ON_HAND_MAX


@dataclass(frozen=True)
class StockLine:
    product_id: str
    quantity: int


def stock_level_ensure(*, product_id: str) -> None:
    """Create the product's stock row (with its merchant and category copied from the catalog) if missing.
    Its threshold is left unresolved: the next stock check (or a threshold write) resolves it."""
    if StockLevel.objects.filter(product_id=product_id).exists():
        return
    facts = product_info(product_id=product_id)
    StockLevel.objects.bulk_create([StockLevel(
        product_id=product_id, merchant_id=facts.merchant_id if facts else None,
        category_slug=facts.category_slug if facts else "",
    )], ignore_conflicts=True)


def _move(*, product_id: str, delta: int, reason: str, note: str = "",
          reference: str = "") -> StockMovement | None:
    """Apply `delta` with one conditional F() update; returns the ledger row, or None when it
    would go negative or past ON_HAND_MAX (nothing changed)."""
    stock_level_ensure(product_id=product_id)
    updated = (
        StockLevel.objects.filter(product_id=product_id, on_hand__gte=-delta, on_hand__lte=ON_HAND_MAX - delta)
        .update(on_hand=F("on_hand") + delta, updated_at=timezone.now())
    )
    if not updated:
        return None
    balance = StockLevel.objects.values_list("on_hand", flat=True).get(product_id=product_id)
    return StockMovement.objects.create(product_id=product_id, delta=delta, balance_after=balance, reason=reason,
                                        note=note, reference=reference)


def _merged(lines: list[StockLine]) -> dict[str, int]:
    wanted: dict[str, int] = {}
    for line in lines:
        wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    return dict(sorted(wanted.items()))


def _lock_balances(product_ids: list[str]) -> dict[str, int]:
    """Lock the stock rows in product-id order, so two orders over the same products cannot deadlock."""
    return dict(StockLevel.objects.select_for_update().filter(product_id__in=product_ids)
                .order_by("product_id").values_list("product_id", "on_hand"))


def _bulk_move(*, wanted: dict[str, int], balances: dict[str, int], sign: int, reason: str, reference: str) -> None:
    """Apply `sign × quantity` to every product in a constant number of queries whatever the line
    count: one `UPDATE ... SET on_hand = on_hand + CASE ...` and one ledger insert. `balances` are
    the caller's locked rows, so the balances written to the ledger are exact."""
    delta = Case(*[When(product_id=pid, then=Value(sign * qty)) for pid, qty in wanted.items()],
                 output_field=IntegerField())
    StockLevel.objects.filter(product_id__in=list(wanted)).update(on_hand=F("on_hand") + delta,
                                                                 updated_at=timezone.now())
    insert_instances([
        StockMovement(product_id=pid, delta=sign * qty, balance_after=balances.get(pid, 0) + sign * qty,
                      reason=reason, reference=reference)
        for pid, qty in wanted.items()
    ])


def stock_reserve(*, lines: list[StockLine], reference: str) -> None:
    """Take stock for an order, all lines or none, in one statement whatever the line count: it locks the
    rows in product-id order (two orders over the same products cannot deadlock), checks every line
    against the locked balances and, only when all suffice, takes the stock and writes the ledger rows
    with the exact balances after. Nothing oversells (the table's check constraint backs this up).
    Raises OutOfStock naming every short item, with nothing written. Inside the caller's transaction it
    adds no savepoint: the locks last until that transaction ends either way."""
    wanted = _merged(lines)
    if not wanted:
        return
    params = [value for pid, qty in wanted.items() for value in (pid, qty)]
    now = timezone.now()
    params += [now, StockMovement.Reason.SALE, reference, now]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_reserve_sql(len(wanted)), params)
        balances = dict(cursor.fetchall())
    short = [pid for pid, qty in wanted.items() if (balances[pid] or 0) < qty]
    if short:  # the statement wrote nothing: its update and ledger insert required every line to suffice
        raise OutOfStock(extra={"items": short},
                         message=f"Not enough stock for {', '.join(short)}. Reduce the quantity or remove them.")


@functools.cache
def _reserve_sql(rows: int) -> str:
    """The reservation of `rows` distinct products (parameters: product id and quantity per row, then
    updated_at, the ledger's reason, reference and created_at); returns each product's balance before it.
    `locked` is materialised (used twice, and FOR UPDATE): its rows are locked in order before `enough`,
    a one-row aggregate over them, lets the update touch anything; in READ COMMITTED the update then
    applies to the versions locked."""
    quote = connection.ops.quote_name
    level, ledger = quote(StockLevel._meta.db_table), quote(StockMovement._meta.db_table)
    values = ", ".join(["(%s, %s::integer)"] * rows)
    # Only the models' own quoted table names and placeholders are formatted in; every value is a parameter.
    return (
        f"WITH wanted (product_id, quantity) AS (VALUES {values}), "  # noqa: S608
        f"locked AS (SELECT level.product_id, level.on_hand FROM {level} level "
        f"WHERE level.product_id IN (SELECT product_id FROM wanted) ORDER BY level.product_id FOR UPDATE), "
        f"enough AS (SELECT count(*) = {rows} AND bool_and(locked.on_hand >= wanted.quantity) AS ok "
        f"FROM wanted JOIN locked USING (product_id)), "
        f"moved AS (UPDATE {level} level SET on_hand = level.on_hand - wanted.quantity, updated_at = %s "
        f"FROM wanted WHERE level.product_id = wanted.product_id AND (SELECT ok FROM enough) "
        f"RETURNING level.product_id, level.on_hand, wanted.quantity), "
        f"ledger AS (INSERT INTO {ledger} (product_id, delta, balance_after, reason, note, reference, created_at) "
        f"SELECT product_id, -quantity, on_hand, %s, '', %s, %s FROM moved ORDER BY product_id) "
        f"SELECT wanted.product_id, locked.on_hand FROM wanted LEFT JOIN locked USING (product_id)")


@transaction.atomic
def stock_release(*, lines: list[StockLine], reference: str) -> None:
    """Give back a reservation (payment declined, order cancelled, item returned to stock)."""
    wanted = _merged(lines)
    for product_id in wanted:  # rows exist for anything reserved; a return of an unknown one gets its facts
        stock_level_ensure(product_id=product_id)
    _bulk_move(wanted=wanted, balances=_lock_balances(list(wanted)), sign=1, reason=StockMovement.Reason.RELEASE,
               reference=reference)


@transaction.atomic
def stock_return(*, lines: list[StockLine], reference: str) -> None:
    """Put returned items back on the shelf: movements with reason `return`, so the low-stock alert
    resolves on the next check once stock recovered."""
    wanted = _merged(lines)
    for product_id in wanted:
        stock_level_ensure(product_id=product_id)
    _bulk_move(wanted=wanted, balances=_lock_balances(list(wanted)), sign=1, reason=StockMovement.Reason.RETURN,
               reference=reference)


@transaction.atomic
def stock_set(*, product_id: str, quantity: int, note: str = "") -> int:
    """Set on-hand stock to a counted quantity; the ledger records the difference. The row is
    locked first, so a concurrent movement lands before or after the count, never inside it."""
    if quantity < 0:
        raise ValueError("quantity must be >= 0")
    stock_level_ensure(product_id=product_id)
    level = StockLevel.objects.select_for_update().get(product_id=product_id)
    delta = quantity - level.on_hand
    StockLevel.objects.filter(product_id=product_id).update(on_hand=quantity, updated_at=timezone.now())
    StockMovement.objects.create(product_id=product_id, delta=delta, balance_after=quantity,
                                 reason=StockMovement.Reason.SET, note=note)
    return quantity


@transaction.atomic
def stock_movement_record(*, product_id: str, delta: int, reason: str = StockMovement.Reason.ADJUSTMENT,
                          note: str = "") -> StockMovement:
    """Record a movement and return its ledger row; raises OutOfStock if it would take stock below zero
    and a 422 on `delta` if it would take it past what the column holds (ON_HAND_MAX)."""
    movement = _move(product_id=product_id, delta=delta, reason=reason, note=note)
    if movement is None and delta > 0:
        raise ValidationFailed([FieldError(
            field="delta", code="OUT_OF_RANGE", constraint=f"on_hand + delta <= {ON_HAND_MAX}",
            message=f"Adjustment {delta} would take {product_id} past {ON_HAND_MAX} units on hand. "
                    "Count the stock and set it with PUT instead.")])
    if movement is None:
        raise OutOfStock(message=f"Adjustment {delta} would take {product_id} below zero. "
                                 "Count the stock and set it with PUT instead.")
    return movement


def stock_adjust(*, product_id: str, delta: int, reason: str = StockMovement.Reason.ADJUSTMENT,
                 note: str = "") -> int:
    """Record a movement; returns the new balance (raises OutOfStock below zero)."""
    return stock_movement_record(product_id=product_id, delta=delta, reason=reason, note=note).balance_after


def sale_record(*, lines: list[StockLine], day: date | None = None) -> None:
    """Count units sold today for sales velocity in one statement whatever the line count: an upsert
    that adds to the day's rows (`units = units + excluded.units`, so concurrent sales never lose an
    update), in product-id order so two of them cannot deadlock."""
    day = day or timezone.now().date()
    wanted = _merged(lines)
    if not wanted:
        return
    table = connection.ops.quote_name(DailySales._meta.db_table)
    rows = ", ".join(["(%s, %s, %s)"] * len(wanted))
    params = [value for pid, qty in wanted.items() for value in (pid, day, qty)]
    # Only the quoted table name and placeholders are formatted in; every value is a parameter.
    upsert = (f"INSERT INTO {table} (product_id, day, units) VALUES {rows} "  # noqa: S608
              f"ON CONFLICT (product_id, day) DO UPDATE SET units = {table}.units + EXCLUDED.units")
    with connection.cursor() as cursor:
        cursor.execute(upsert, params)
