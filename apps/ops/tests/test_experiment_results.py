"""The experiment list and results page agree on exposed units, and declare a winner only when the
project's statistics find a significant difference and the sample-ratio-mismatch check passes (each
case's premise is checked with the same statistics, through POST /api/v1/experiments/analyze)."""
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db

DAY = datetime(2025, 10, 15, 12, 0, tzinfo=UTC)
EID = "EXP-OPS-100"


def _experiment(status: str = "running", funnel_events: tuple[str, ...] = ("shipping_completed", "order_confirmed")):
    return apps.get_model("experiments", "Experiment").objects.create(
        experiment_id=EID, key="ops_verdict_test", name="Verdict test", status=status,
        start_event="shipping_completed", conversion_event="order_confirmed",
        variants=[{"key": "control", "weight": 50}, {"key": "variant_b", "weight": 50}],
        funnel_events=list(funnel_events))


def _arm(variant: str, units: int, conversions: int) -> None:
    """`units` units of `variant` reach the start event; the first `conversions` of them convert."""
    event = apps.get_model("experiments", "AnalyticsEvent")
    rows = []
    for n in range(units):
        tags = {"unit_id": f"session:{variant}-{n}", "experiments": {EID: variant}, "context": {"device": "mobile"}}
        rows.append(event(occurred_at=DAY, event="shipping_completed", **tags))
        if n < conversions:
            rows.append(event(occurred_at=DAY + timedelta(minutes=2), event="order_confirmed", **tags))
    event.objects.bulk_create(rows)


def _analysis(staff_client, control: tuple[int, int], treatment: tuple[int, int]) -> tuple[dict, dict]:
    """(variant_b's comparison with the control, the SRM check) from the project's statistics."""
    body = staff_client.post("/api/v1/experiments/analyze", {
        "control": "control", "planned_allocation": {"control": 50, "variant_b": 50},
        "variants": [{"name": "control", "units": control[0], "conversions": control[1]},
                     {"name": "variant_b", "units": treatment[0], "conversions": treatment[1]}],
    }, content_type="application/json").json()
    return next(v for v in body["variants"] if v["name"] == "variant_b"), body["srm"]


def _pages(staff_client) -> tuple[str, str]:
    listing = " ".join(staff_client.get("/ops/experiments/").content.decode().split())
    page = " ".join(staff_client.get(f"/ops/experiments/{EID}/").content.decode().split())
    row = re.search(rf'{EID}</a></th>(.*?)</tr>', listing).group(1)
    return row, page


def test_the_list_and_the_page_count_the_same_exposed_units(staff_client):
    experiment = _experiment()
    _arm("control", 30, 10)
    _arm("variant_b", 25, 10)
    exposure = apps.get_model("experiments", "ExperimentExposure")
    exposure.objects.create(experiment=experiment, unit_id="session:control-0", variant="control")  # also has events
    exposure.objects.create(experiment=experiment, unit_id="session:never-tracked", variant="variant_b")

    row, page = _pages(staff_client)

    assert row.endswith("<td>56</td>")  # 55 tracked units + 1 only in the exposure log, each counted once
    assert "Exposed units: 56 ·" in page
    assert "control 30 · variant_b 26" in page


def test_a_difference_that_is_not_significant_names_no_winner(staff_client):
    variant_b, srm = _analysis(staff_client, (400, 200), (400, 208))
    assert variant_b["p_value"] >= 0.05 and not srm["flagged"]
    _experiment(status="concluded")
    apps.get_model("experiments", "Experiment").objects.filter(experiment_id=EID).update(winner="variant_b")
    _arm("control", 400, 200)
    _arm("variant_b", 400, 208)

    row, page = _pages(staff_client)

    for html in (row, page):
        assert "No significant difference yet" in html and "Winner:" not in html
        assert "sample-ratio-mismatch check failed" not in html
    assert "shipped variant_b" in page


def test_a_significant_difference_with_a_balanced_split_names_the_winner(staff_client):
    variant_b, srm = _analysis(staff_client, (400, 200), (400, 260))
    assert variant_b["p_value"] < 0.05 and not srm["flagged"]
    _experiment()
    _arm("control", 400, 200)
    _arm("variant_b", 400, 260)

    row, page = _pages(staff_client)

    for html in (row, page):
        assert "<strong>Winner: variant_b</strong>" in html and "No significant difference yet" not in html


def test_a_significant_difference_with_a_sample_ratio_mismatch_names_no_winner(staff_client):
    variant_b, srm = _analysis(staff_client, (400, 200), (300, 200))
    assert variant_b["p_value"] < 0.05 and srm["flagged"]
    _experiment()
    _arm("control", 400, 200)
    _arm("variant_b", 300, 200)

    row, page = _pages(staff_client)

    for html in (row, page):
        assert "No significant difference yet — the sample-ratio-mismatch check failed" in html
        assert "Winner:" not in html


def test_the_results_api_answers_the_same_verdict(staff_client):
    _experiment()
    _arm("control", 400, 200)
    _arm("variant_b", 400, 260)

    body = staff_client.get(f"/api/v1/analytics/experiments/{EID}").json()

    assert body["verdict"]["winner"] == "variant_b" and body["verdict"]["srm_failed"] is False
    assert body["verdict"]["p_value"] == next(v for v in body["overall"]["variants"] if v["name"] == "variant_b")[
        "p_value"]


@pytest.mark.parametrize("funnel_events", [(), ("order_confirmed",)])
def test_an_experiment_with_no_or_one_funnel_step_still_has_results(staff_client, funnel_events):
    # given: the funnel is optional in the admin; the primary metric does not need it
    _experiment(funnel_events=funnel_events)
    _arm("control", 40, 20)
    _arm("variant_b", 40, 22)

    # when
    page = staff_client.get(f"/ops/experiments/{EID}/")
    body = staff_client.get(f"/api/v1/analytics/experiments/{EID}").json()

    # then
    assert page.status_code == 200
    assert {v["name"]: v["units"] for v in body["overall"]["variants"]} == {"control": 40, "variant_b": 40}
    assert all(len(arm["steps"]) == len(funnel_events) for arm in body["funnel"])


@pytest.mark.parametrize(("treatment", "verdict"), [((400, 260), "Allocation check: no sample ratio mismatch ("),
                                                    ((300, 200), "Sample ratio mismatch.</strong>")])
def test_the_page_states_the_allocation_check_once(staff_client, treatment, verdict):
    # given: tracked units (the analysed ones) and as many exposed units, balanced or skewed alike
    experiment = _experiment()
    _arm("control", 400, 200)
    _arm("variant_b", *treatment)
    exposure = apps.get_model("experiments", "ExperimentExposure")
    exposure.objects.bulk_create([exposure(experiment=experiment, unit_id=f"session:{variant}-{n}", variant=variant)
                                  for variant, units in (("control", 400), ("variant_b", treatment[0]))
                                  for n in range(units)])

    # when
    _, page = _pages(staff_client)

    # then: one statement, covering both checks, before the results it qualifies
    assert page.lower().count("sample ratio mismatch") == 1, page
    assert verdict in page
    statement = page[page.index(verdict):page.index("</p>", page.index(verdict))]
    assert "units analysed: χ² =" in statement and "exposed units: χ² =" in statement
    assert page.index(verdict) < page.index("<h2>Primary metric</h2>")
