"""A received return goes back into stock (movements with reason `return`), damaged items do not."""
import pytest
from django.apps import apps as django_apps

from apps.core.errors import ValidationFailed
from apps.inventory.public import stock_on_hand, stock_set
from apps.returns.models import ActorType
from apps.returns.services.lifecycle import Actor
from apps.returns.services.returns import return_mark_received

from .conftest import lines_of

pytestmark = pytest.mark.django_db

WAREHOUSE = Actor(ActorType.SERVICE, "warehouse")


@pytest.fixture
def started_return(returns_on, make_order, create_return):
    """A return of a whole order of two lines (2 × and 1 ×), both products at 5 in stock."""
    order = make_order(lines=((2, "25.00"), (1, "10.00")))
    first, second = lines_of(order)
    for line in (first, second):
        stock_set(product_id=line.product_id, quantity=5)
    response = create_return(order, items=[(first, 2, "defective"), (second, 1, "defective")])
    return response.json()["return_id"], first, second


def on_hand(line) -> int:
    return stock_on_hand(product_ids=[line.product_id])[line.product_id]


def movements(return_id: str) -> list[tuple[str, int, str]]:
    ledger = django_apps.get_model("inventory", "StockMovement")
    return sorted(ledger.objects.filter(reference=return_id).values_list("product_id", "delta", "reason"))


def test_received_items_go_back_into_stock_once(started_return):
    return_id, first, second = started_return

    return_mark_received(return_id=return_id, actor=WAREHOUSE)
    return_mark_received(return_id=return_id, actor=WAREHOUSE)

    assert (on_hand(first), on_hand(second)) == (7, 6)
    assert movements(return_id) == sorted([(first.product_id, 2, "return"), (second.product_id, 1, "return")])


def test_damaged_items_are_not_restocked(started_return):
    return_id, first, second = started_return

    ret = return_mark_received(return_id=return_id, actor=WAREHOUSE, damaged_order_line_ids=[str(second.pk)])

    assert (on_hand(first), on_hand(second)) == (7, 5)
    assert movements(return_id) == [(first.product_id, 2, "return")]
    assert ret.status == "received"


def test_a_damaged_line_outside_the_return_is_refused(started_return):
    return_id, first, _ = started_return

    with pytest.raises(ValidationFailed) as refused:
        return_mark_received(return_id=return_id, actor=WAREHOUSE, damaged_order_line_ids=["999999"])

    assert [error.code for error in refused.value.errors] == ["NOT_IN_RETURN"]
    assert on_hand(first) == 5
