"""track(): a stored row plus an outbox event for Kafka, tagged with the unit's experiments;
test orders never count; results computed from those events."""
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from apps.experiments import public
from apps.experiments.models import AnalyticsEvent, Experiment, ExperimentExposure
from apps.experiments.selectors.experiments import experiment_results
from apps.experiments.services.experiments import experiment_conclude
from apps.experiments.testing import ExperimentFactory, FlagFactory

pytestmark = pytest.mark.django_db

# The outbox belongs to the events app; its public API only writes, so the test reads the rows
# through the app registry rather than importing another app's models.
OutboxEvent = apps.get_model("events", "OutboxEvent")


def test_track_writes_a_row_and_an_analytics_outbox_event():
    event_id = public.track("order_confirmed", {"order_id": "ord_1a2b3c4d5e6f", "amount": "47.99",
                                                "payment_method": "card"}, {"session_id": "g-1", "device": "mobile"})
    row = AnalyticsEvent.objects.get(pk=event_id)
    assert row.event == "order_confirmed" and row.unit_id == "session:g-1" and row.properties["amount"] == "47.99"
    outbox = OutboxEvent.objects.get(topic="analytics.events")
    assert outbox.key == "session:g-1"
    assert outbox.payload["event"] == "order_confirmed"
    assert outbox.payload["properties"]["order_id"] == "ord_1a2b3c4d5e6f"
    assert outbox.payload["event_id"] and outbox.payload["occurred_at"]


@pytest.mark.parametrize(("properties", "context"), [({"is_test": True}, {}), ({}, {"is_test": True})])
def test_test_orders_are_neither_stored_nor_published(properties, context):
    assert public.track("order_confirmed", properties, {"session_id": "smoke", **context}) is None
    assert not AnalyticsEvent.objects.exists()
    assert not OutboxEvent.objects.filter(topic="analytics.events").exists()


def test_events_carry_the_units_running_experiment_and_variant():
    experiment = ExperimentFactory(experiment_id="EXP-2025-200", key="button_colour")
    context = {"user_id": 99}
    public.track("checkout_started", {}, context)
    row = AnalyticsEvent.objects.get()
    variant = public.experiment_variant("button_colour", context, log_exposure=False)
    assert row.experiments == {"EXP-2025-200": variant}
    payload = OutboxEvent.objects.get(topic="analytics.events").payload
    assert payload["experiment_id"] == "EXP-2025-200" and payload["variant"] == variant
    assert payload["experiments"] == [{"experiment_id": "EXP-2025-200", "variant": variant}]
    assert experiment.status == Experiment.Status.RUNNING


def test_exposure_is_logged_once_per_unit():
    experiment = ExperimentFactory()
    for _ in range(3):
        public.experiment_variant(experiment.key, {"user_id": 5})
    public.experiment_variant(experiment.key, {"user_id": 6})
    assert ExperimentExposure.objects.filter(experiment=experiment).count() == 2


def test_same_user_gets_the_same_variant_on_every_device():
    experiment = ExperimentFactory()
    variants = {public.experiment_variant(experiment.key, {"user_id": 5, "session_id": f"device-{n}"})
                for n in range(5)}
    assert len(variants) == 1


def _journey(unit: dict, steps: list[str], start, seconds_per_step: int = 60) -> None:
    for index, step in enumerate(steps):
        public.track(step, {}, unit, occurred_at=start + timedelta(seconds=index * seconds_per_step))


def test_results_are_computed_from_recorded_events_per_variant_and_segment():
    # given an experiment and journeys of 300 units, half of them finishing
    experiment = ExperimentFactory(experiment_id="EXP-2025-300", key="dots_test")
    start = timezone.now() - timedelta(hours=1)
    full = ["checkout_started", "shipping_completed", "payment_completed", "order_confirmed"]
    for n in range(300):
        unit = {"user_id": n, "device": "mobile" if n % 2 else "desktop"}
        _journey(unit, full if n % 3 else full[:2], start)
    public.track("order_confirmed", {"is_test": True}, {"user_id": 1})
    # when the results are computed
    results = experiment_results(experiment=experiment)
    # then every unit counts once, in its variant, and drop-off and times show per step
    overall = {v["name"]: v for v in results["overall"]["variants"]}
    assert sum(v["units"] for v in overall.values()) == 300
    assert sum(v["conversions"] for v in overall.values()) == 200
    expected = {}
    for n in range(300):
        variant = public.experiment_variant(experiment.key, {"user_id": n}, log_exposure=False)
        expected[variant] = expected.get(variant, 0) + 1
    assert {k: v["units"] for k, v in overall.items()} == expected
    assert set(results["segments"]) == {"desktop", "mobile"}
    control_funnel = next(f for f in results["funnel"] if f["variant"] == "control")
    assert control_funnel["steps"][2]["drop_off_from_previous"] == pytest.approx(1 / 3, abs=0.1)
    assert control_funnel["steps"][1]["median_seconds_from_previous"] == 60
    assert control_funnel["median_total_seconds"] == 180
    assert results["overall"]["srm"] is not None
    # units tagged by their events are exposed units even with nothing in the exposure log
    assert results["exposures"]["units"] == {k: expected.get(k, 0) for k in ("control", "variant_a", "variant_b")}
    assert results["exposures"]["srm"] is not None


def test_exposure_log_is_checked_for_sample_ratio_mismatch():
    experiment = ExperimentFactory()
    for n in range(400):
        public.experiment_variant(experiment.key, {"user_id": n})
    # a logging fault that records only control units for a while skews the exposure log
    for n in range(400, 700):
        if public.experiment_variant(experiment.key, {"user_id": n}, log_exposure=False) == "control":
            public.experiment_variant(experiment.key, {"user_id": n})
    results = experiment_results(experiment=experiment)
    assert sum(results["exposures"]["units"].values()) > 400
    assert results["exposures"]["srm"]["flagged"] is True


def test_concluding_ships_the_winner_through_its_flag_to_everyone(staff_user):
    flag = FlagFactory(key="new_dots", enabled=True, rollout_percentage=0)
    experiment = ExperimentFactory(flag=flag)
    experiment_conclude(experiment=experiment, winner="variant_b", actor=staff_user)
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.CONCLUDED and experiment.winner == "variant_b"
    assert all(public.is_enabled("new_dots", {"user_id": n}) for n in range(200))
    assert public.experiment_variant(experiment.key, {"user_id": 1}) is None
    assert flag.audit_entries.get().reason.endswith("variant_b ships to 100%")
