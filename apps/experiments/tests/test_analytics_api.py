"""The dashboards' numbers under /api/v1/analytics/…, computed from tracked events (the staff pages
that show them are the ops app's)."""
from datetime import UTC, datetime, timedelta

import pytest

from apps.experiments import public

pytestmark = pytest.mark.django_db

DAY = datetime(2025, 10, 15, 12, 0, tzinfo=UTC)
RANGE = "start=2025-10-01&end=2025-10-31"


def shop(unit: dict, method: str, amount: str, *, confirmed: bool = True, failures: int = 0, day=DAY) -> None:
    public.track("checkout_started", {}, unit, occurred_at=day)
    public.track("shipping_completed", {}, unit, occurred_at=day + timedelta(seconds=60))
    for n in range(failures):
        public.track("payment_failed", {"payment_method": method, "error_code": "card_declined" if n else "timeout"},
                     unit, occurred_at=day + timedelta(seconds=70 + n))
    if confirmed:
        public.track("payment_completed", {"payment_method": method}, unit, occurred_at=day + timedelta(seconds=90))
        public.track("order_confirmed", {"payment_method": method, "amount": amount}, unit,
                     occurred_at=day + timedelta(seconds=120))


@pytest.fixture
def orders():
    shop({"session_id": "g1"}, "card", "47.99")
    shop({"session_id": "g2"}, "apple_pay", "129.50", failures=1)
    shop({"user_id": 7}, "apple_pay", "82.45", day=DAY + timedelta(days=8))
    shop({"user_id": 8}, "paypal", "34.99", confirmed=False, failures=2)
    public.track("checkout_started", {}, {"session_id": "g3"}, occurred_at=DAY)
    shop({"session_id": "test"}, "card", "999.00")
    public.track("order_confirmed", {"is_test": True, "payment_method": "card", "amount": "5"}, {"session_id": "x"},
                 occurred_at=DAY)


def test_payment_method_numbers(orders, api_client, service_headers):
    body = api_client.get(f"/api/v1/analytics/payment-methods?{RANGE}&granularity=week",
                          headers=service_headers).json()
    methods = {m["method"]: m for m in body["methods"]}
    assert methods["apple_pay"]["orders"] == 2
    assert methods["apple_pay"]["revenue"] == pytest.approx(211.95)
    assert methods["apple_pay"]["average_order_value"] == pytest.approx(105.98, abs=0.005)
    assert methods["apple_pay"]["error_rate"] == pytest.approx(1 / 3)
    assert methods["paypal"]["error_rate"] == 1.0 and methods["paypal"]["orders"] == 0
    assert methods["paypal"]["errors_by_code"] == {"timeout": 1, "card_declined": 1}
    assert [s["units"] for s in methods["paypal"]["funnel"]] == [1, 1, 0, 0]
    assert methods["card"]["orders"] == 2  # g1 and the session named "test" (not flagged is_test)
    assert methods["guest"]["orders"] == 3 and methods["all"]["orders"] == 4
    assert methods["all"]["funnel"][0]["units"] == 6 and methods["unattributed"]["funnel"][0]["units"] == 1
    assert body["range"] == {"start": "2025-10-01", "end": "2025-10-31", "granularity": "week"}
    assert [p["bucket"] for p in body["series"]] == ["2025-10-13", "2025-10-20"]


def test_guest_checkout_numbers(orders, api_client, service_headers):
    body = api_client.get(f"/api/v1/analytics/guest-checkout?{RANGE}", headers=service_headers).json()
    assert body["total"]["started"] == 4  # g1, g2, g3 and the session named "test"; users are not guests
    assert body["total"]["converted"] == 3
    assert body["total"]["completion_seconds"]["p50"] == 120
    assert body["regions"] == [{"region": "unknown", **{k: body["total"][k] for k in body["total"] if k != "bucket"}}]
    assert [p["bucket"] for p in body["series"]] == ["2025-10-15"]
    assert body["flag_distribution"] == {"flag": "guest_checkout_v2", "visitors": 6, "sampled": False,
                                          "values": {"true": 6}}
