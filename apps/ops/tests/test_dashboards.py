"""The dashboards under /ops/ show the numbers their /api/v1/analytics/… twins return (the numbers
themselves are tested with the experiments app), and the results page concludes an experiment."""
import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps

from apps.core.money import format_money
from apps.experiments import public

pytestmark = pytest.mark.django_db

DAY = datetime(2025, 10, 15, 12, 0, tzinfo=UTC)
RANGE = "start=2025-10-01&end=2025-10-31"


def _order(session: str, method: str, amount: str, *, failed_first: bool = False) -> None:
    unit = {"session_id": session}
    public.track("checkout_started", {}, unit, occurred_at=DAY)
    if failed_first:
        public.track("payment_failed", {"payment_method": method, "error_code": "card_declined"}, unit,
                     occurred_at=DAY + timedelta(seconds=30))
    public.track("payment_completed", {"payment_method": method}, unit, occurred_at=DAY + timedelta(seconds=60))
    public.track("order_confirmed", {"payment_method": method, "amount": amount}, unit,
                 occurred_at=DAY + timedelta(seconds=95))


@pytest.fixture
def orders():
    _order("ops-1", "apple_pay", "129.50", failed_first=True)
    _order("ops-2", "apple_pay", "20.25")
    _order("ops-3", "card", "47.99")


def test_the_payment_methods_page_and_its_csv_show_the_json_numbers(orders, staff_client):
    body = staff_client.get(f"/api/v1/analytics/payment-methods?{RANGE}").json()
    apple_pay = next(m for m in body["methods"] if m["method"] == "apple_pay")

    html = staff_client.get(f"/ops/payment-methods/?{RANGE}").content.decode()
    rows = list(csv.reader(io.StringIO(staff_client.get(f"/ops/payment-methods/?{RANGE}&format=csv")
                                       .content.decode())))

    assert f"<td>{format_money(apple_pay['revenue'], 'USD')}</td>" in html and "<td>card_declined</td>" in html
    assert 'id="orders-chart"' in html and "/static/ops/charts.js" in html
    by_method = {row[0]: row for row in rows[1:] if row}
    assert by_method["apple_pay"][1:3] == [str(apple_pay["orders"]), f"{apple_pay['revenue']:.2f}"]


def test_a_bad_date_range_falls_back_to_the_last_30_days_and_says_why(staff_client):
    response = staff_client.get("/ops/payment-methods/?start=2025-13-01")

    assert response.status_code == 200
    assert "start must be a date such as 2025-10-15. Showing the last 30 days." in response.content.decode()


def test_the_guest_checkout_page_shows_the_json_numbers(orders, staff_client):
    body = staff_client.get(f"/api/v1/analytics/guest-checkout?{RANGE}").json()

    html = " ".join(staff_client.get(f"/ops/guest-checkout/?{RANGE}").content.decode().split())

    assert f"<dt>Guest checkouts started</dt><dd>{body['total']['started']}</dd>" in html
    assert "<dd>1 min 35 s / 1 min 35 s / 1 min 35 s</dd>" in html  # p50 / p90 / p99 of three 95 s checkouts
    assert 'id="conversion-chart"' in html and 'id="completion-chart"' in html


def test_the_experiment_pages_list_and_explain_an_experiment(staff_client):
    listing = staff_client.get("/ops/experiments/").content.decode()
    page = staff_client.get("/ops/experiments/EXP-2025-163/")

    assert 'href="/ops/experiments/checkout_progress_indicator/"' in listing
    assert page.status_code == 200
    html = page.content.decode()
    assert "Checkout progress indicator" in html and "variant_b" in html and 'id="funnel-chart"' in html
    assert "<h2>Conclude</h2>" not in html  # already concluded
    assert staff_client.get("/ops/experiments/nope/").status_code == 404


def test_concluding_from_the_results_page_ships_the_winner(staff_client):
    flag = apps.get_model("experiments", "Flag").objects.create(key="cta_colour", enabled=False,
                                                               rollout_percentage=0)
    apps.get_model("experiments", "Experiment").objects.create(
        experiment_id="EXP-OPS-002", key="cta_colour_test", name="CTA colour", status="running", flag=flag,
        variants=[{"key": "control", "weight": 50, "flag_value": False},
                  {"key": "variant_a", "weight": 50, "flag_value": "a"}],
        funnel_events=["checkout_started", "shipping_completed", "payment_completed", "order_confirmed"])
    form = staff_client.get("/ops/experiments/cta_colour_test/").content.decode()
    assert '<option value="variant_a">' in form

    response = staff_client.post("/ops/experiments/cta_colour_test/conclude", {"winner": "variant_a"}, follow=True)

    html = response.content.decode()
    assert "EXP-OPS-002 concluded" in html and "shipped variant_a" in html
    assert public.evaluate("cta_colour", {"user_id": 3}) == "a"
    assert apps.get_model("experiments", "FlagAuditEntry").objects.get(flag=flag).actor_label == "ops"
    again = staff_client.post("/ops/experiments/cta_colour_test/conclude", {"winner": "control"}, follow=True)
    assert "already concluded" in again.content.decode()
    assert public.evaluate("cta_colour", {"user_id": 3}) == "a"


def test_concluding_an_unknown_experiment_is_a_404(staff_client):
    assert staff_client.post("/ops/experiments/nope/conclude", {"winner": "control"}).status_code == 404
