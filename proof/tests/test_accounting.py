"""The proof's numbers from made-up inputs, so a report can't silently say 0 when it shouldn't."""
import pytest

from proof import accounting
from proof.report import render, verdict


def intent(order_id: str, status: str = "succeeded") -> dict:
    return {"id": f"pi_{order_id}_{status}", "status": status, "amount": 1299, "metadata": {"order_id": order_id}}


def test_duplicate_charges_count_only_succeeded_intents_of_one_order():
    intents = [intent("ord_a"), intent("ord_a"), intent("ord_a", "requires_payment_method"),
               intent("ord_b"), intent("ord_c"), intent("ord_c"), intent("ord_c"),
               {"id": "pi_x", "status": "succeeded", "amount": 1, "metadata": {}}]

    assert accounting.duplicate_charges(intents) == {"ord_a": 2, "ord_c": 3}


def test_lost_orders_are_201s_missing_or_unpaid_in_the_database():
    lost = accounting.orders_lost({"ord_a", "ord_b", "ord_c", "ord_d"},
                                  {"ord_a": "paid", "ord_b": "pending", "ord_d": "refunded"})

    assert lost == {"ord_b": "pending", "ord_c": "missing"}


def test_paid_at_stripe_but_absent_ignores_failed_intents():
    intents = [intent("ord_a"), intent("ord_b"), intent("ord_c", "requires_payment_method")]

    assert accounting.paid_but_absent(intents, {"ord_a": "paid"}) == {"ord_b": "missing"}


def test_events_lost_adds_undelivered_unconsumed_and_missing_order_events():
    lost = accounting.events_lost(undelivered=["e1"], delivered=["e2", "e3", "e4"], consumed={"e2", "e4", "e9"},
                                  paid_orders={"ord_a", "ord_b"}, confirmed_orders={"ord_a"})

    assert (lost["undelivered_outbox_rows"], lost["delivered_not_consumed"],
            lost["paid_orders_without_order_confirmed"], lost["total"]) == (1, 1, 1, 3)
    assert lost["examples"]["not_consumed"] == ["e3"]


def test_failures_are_attributed_to_the_fault_they_fall_in_with_client_recovery_time():
    windows = [{"name": "redis", "started": 100.0, "restored": 105.0},
               {"name": "stripe", "started": 200.0, "restored": 290.0}]
    requests = [(99.0, "GET s", 500), (101.0, "GET s", 500), (104.0, "POST c", 0), (111.5, "GET s", 503),
                (150.0, "GET s", 200), (199.0, "GET s", 500), (250.0, "POST c", 502), (295.0, "POST c", 502),
                (400.0, "POST c", 502)]

    impact = accounting.failures_by_window(requests, windows, tail=100)

    assert impact["redis"]["by_status"] == {"0": 1, "500": 2, "503": 1}
    assert impact["redis"]["client_recovery_seconds"] == 94.0
    assert impact["redis"]["requests"] == 5  # up to the next fault's start (200), not to restored + tail
    assert accounting.failures_by_window(requests, windows[:1], tail=10)["redis"]["client_recovery_seconds"] == 6.5
    assert impact["stripe"] == {"requests": 2, "failed": 2, "by_status": {"502": 2},
                                "by_endpoint": {"POST c": {"502": 2}}, "client_recovery_seconds": 5.0}


def test_sessions_summary_counts_lost_and_states():
    sessions = [{"state": "completed"}, {"state": "open", "lost": True}, {"state": "abandoned"}]

    assert accounting.sessions_summary(sessions) == {"created": 3, "lost": 1, "completed": 1, "open": 1,
                                                     "abandoned": 1}


@pytest.mark.parametrize(("requests", "rate"), [([], 0.0), ([(1, "a", 200), (2, "a", 429), (3, "a", 0)], 0.66667)])
def test_error_rate_counts_4xx_5xx_and_network_errors(requests, rate):
    assert accounting.error_rate(requests) == rate


def test_verdict_fails_on_any_nonzero_must_be_zero_number_and_report_marks_it():
    results = {"sessions": {"lost": 0}, "orders": {"lost": 0, "paid_at_stripe_but_absent": 0},
               "stripe": {"duplicate_charges": 1}, "events": {"total": 0}, "redis": {"evicted_keys": 0}}

    outcome = verdict(results)

    assert outcome["pass"] is False
    assert [c["check"] for c in outcome["checks"] if not c["ok"]] == ["duplicate charges"]
    markdown = render({**results, "verdict": outcome, "mode": "quick", "started_at": "t", "run_dir": "d",
                       "config": {"users": 1}})
    assert "**Verdict: FAIL**" in markdown and "| duplicate charges | 1 ✗ |" in markdown


def test_verdict_with_nothing_measured_is_not_a_pass():
    assert verdict({})["pass"] is False
