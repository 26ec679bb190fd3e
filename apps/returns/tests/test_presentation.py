"""The words and progress a shopper sees of a return, on the returns pages."""
import pytest

from apps.returns.models import Return, ReturnReason, ReturnStatus
from apps.returns.presentation import reason_label, return_progress, status_label

from .conftest import lines_of

pytestmark = pytest.mark.django_db


def test_every_status_and_reason_has_a_human_label():
    assert status_label("label_created") == "Label ready"
    assert reason_label("no_longer_needed") == "No longer needed"
    for code in [*ReturnStatus.values, *ReturnReason.values]:
        label = status_label(code) if code in ReturnStatus.values else reason_label(code)
        assert "_" not in label and label[0].isupper(), code


@pytest.mark.parametrize(("status", "states"), [
    ("requested", ["current", "upcoming", "upcoming", "upcoming", "upcoming"]),
    ("label_failed", ["current", "upcoming", "upcoming", "upcoming", "upcoming"]),
    ("label_created", ["done", "current", "upcoming", "upcoming", "upcoming"]),
    ("refunded", ["done", "done", "done", "done", "current"]),
])
def test_progress_marks_the_steps_done_current_and_upcoming(status, states):
    steps = return_progress(status)
    assert [s.label for s in steps] == ["Requested", "Label ready", "On its way back", "Received", "Refunded"]
    assert [s.state for s in steps] == states


def test_a_cancelled_return_has_no_progress():
    assert return_progress("cancelled") == []


def test_return_page_shows_labels_reasons_and_progress_not_codes(returns_on, make_order, client):
    # given: a guest return of one item, no longer needed
    order = make_order(lines=[(2, "1249.50")])
    (line,) = lines_of(order)
    client.post("/returns/start", {"order_id": order.id, "email": order.email,
                                   "confirmation_token": order.confirmation_token})
    form = client.get(f"/returns/orders/{order.id}").content.decode()
    client.post(f"/returns/orders/{order.id}", {f"qty_{line.pk}": "1", f"reason_{line.pk}": "no_longer_needed"})
    # when
    html = client.get(f"/returns/{Return.objects.get().id}").content.decode()
    # then
    assert '<option value="no_longer_needed" selected>No longer needed</option>' in form
    assert "No longer needed" in html and "no_longer_needed" not in html
    assert 'data-status="label_created">Label ready</strong>' in html and "label_created</" not in html
    assert 'class="progress-step is-current" aria-current="step"' in html
    assert "$1,249.50" in html
