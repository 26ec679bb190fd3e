"""The experiments app's interface for other apps (functions and dataclasses only).

    from apps.experiments.public import flags, track, context_from_request

    ctx = context_from_request(request)            # or build the dict yourself
    if flags.is_enabled("apple_pay", ctx): ...     # no database query (cached rules)
    variant = experiment_variant("checkout_progress_indicator", ctx)   # logs the exposure once
    track("order_confirmed", {"order_id": ..., "amount": total, "payment_method": "card"}, ctx)

A context is a plain dict of attributes: `user_id` (signed-in users) or `session_id` (guests) pick
the bucketing unit; anything else (`region`, `device`, `country`, ...) is for targeting rules.

The staff pages (apps/ops) read the dashboards and experiment results through the functions at the
end of this module; they answer plain dicts and dataclasses, the same data /api/v1/analytics/… returns.
"""
from types import SimpleNamespace

from .bucketing import unit_id_for
from .evaluation import experiment_variant as _variant
from .evaluation import flag_value as _flag_value
from .metrics import flag_evaluation_count
from .request_context import context_from_request
from .selectors.common import DateRange, date_range_from
from .selectors.experiments import ExperimentOverview, experiment_get, experiment_overview_list, experiment_results
from .selectors.experiments import experiment_summary as _experiment_summary
from .selectors.guest_checkout import guest_checkout_dashboard
from .selectors.payments import payment_method_csv_rows, payment_method_dashboard
from .services.analytics import event_track, event_track_many
from .services.experiments import experiment_conclude as _experiment_conclude
from .services.experiments import exposure_record
from .store import config_store

# Event names every app tracks with (the dashboards and experiment funnels read these).
# Payment events carry `payment_method` (card | apple_pay | paypal); orders carry `amount`, `order_id`.
CHECKOUT_STARTED = "checkout_started"
SHIPPING_COMPLETED = "shipping_completed"
PAYMENT_COMPLETED = "payment_completed"
PAYMENT_FAILED = "payment_failed"  # with `error_code`
ORDER_CONFIRMED = "order_confirmed"
APPLE_PAY_BUTTON_SHOWN = "apple_pay_button_shown"
APPLE_PAY_AUTHORIZED = "apple_pay_authorized"
EXPRESS_CHECKOUT_STARTED = "express_checkout_started"  # the 5-second confirmation window opened
EXPRESS_CHECKOUT_CANCELLED = "express_checkout_cancelled"
EXPRESS_CHECKOUT_PLACED = "express_checkout_placed"


def evaluate(key: str, context: dict, default=False):
    """The value flag `key` serves this context (`default` if no such flag); counted per served value."""
    value = _flag_value(config_store.snapshot(), key, context, default)
    flag_evaluation_count(key, value)
    return value


def is_enabled(key: str, context: dict, default: bool = False) -> bool:
    value = _flag_value(config_store.snapshot(), key, context, default)
    flag_evaluation_count(key, value)
    return bool(value)


def evaluate_all(context: dict, *, client_side_only: bool = False) -> dict:
    """{key: value} for every flag (or only those marked client-side, for page JavaScript)."""
    snapshot = config_store.snapshot()
    return {key: _flag_value(snapshot, key, context) for key, flag in snapshot.flags.items()
            if flag.client_side or not client_side_only}


def experiment_variant(experiment_key: str, context: dict, *, log_exposure: bool = True) -> str | None:
    """The unit's variant in a running experiment (None if not running or not in it); the first
    time a unit is shown a variant its exposure is logged."""
    experiment = config_store.snapshot().running_experiments.get(experiment_key)
    if experiment is None:
        return None
    unit_id = unit_id_for(context)
    variant = _variant(experiment, context, unit_id)
    if variant is not None and log_exposure:
        exposure_record(experiment_id=experiment.pk, unit_id=unit_id, variant=variant)
    return variant


def track(event: str, properties: dict | None = None, context: dict | None = None, occurred_at=None) -> int | None:
    """Record an analytics event (row + Kafka `analytics.events`), tagged with the unit's running
    experiments; returns the row id, or None for test traffic (`properties["is_test"]`)."""
    row = event_track(event=event, properties=properties, context=context, occurred_at=occurred_at)
    return row.pk if row else None


def track_many(events: list[tuple[str, dict, dict]]) -> list[int | None]:
    """`track()` for several (event, properties, context) at once: one insert of rows and one of outbox
    events instead of two per event (a request recording a few funnel steps together)."""
    rows = event_track_many(events=[(event, properties, context, None) for event, properties, context in events])
    return [row.pk if row else None for row in rows]


flags = SimpleNamespace(is_enabled=is_enabled, evaluate=evaluate, evaluate_all=evaluate_all)

__all__ = [
    "flags", "is_enabled", "evaluate", "evaluate_all", "experiment_variant", "track", "context_from_request",
    "track_many", "CHECKOUT_STARTED", "SHIPPING_COMPLETED", "PAYMENT_COMPLETED", "PAYMENT_FAILED", "ORDER_CONFIRMED",
    "APPLE_PAY_BUTTON_SHOWN", "APPLE_PAY_AUTHORIZED", "EXPRESS_CHECKOUT_STARTED", "EXPRESS_CHECKOUT_CANCELLED",
    "EXPRESS_CHECKOUT_PLACED", "flag_configure",
    "DateRange", "date_range_from", "payment_method_dashboard", "payment_method_csv_rows", "guest_checkout_dashboard",
    "ExperimentOverview", "experiment_overview_list", "experiment_results_get", "experiment_conclude",
]


def flag_configure(key: str, *, actor=None, reason: str = "", **changes) -> None:
    """Create or change flag `key` through the audited services (e.g. `enabled=True,
    rollout_percentage=100`); for ops scripts and other apps' tests that need a flag in a known state."""
    from .models import Flag
    from .services.flags import flag_create, flag_update

    flag = Flag.objects.filter(key=key).first()
    if flag is None:
        flag_create(key=key, actor=actor, reason=reason, **changes)
    else:
        flag_update(flag=flag, actor=actor, data=changes, reason=reason)


def experiment_results_get(*, key_or_id: str) -> dict:
    """Results of one experiment (summary, statistics overall and per segment, funnel), as
    `GET /api/v1/analytics/experiments/<key>` returns them; raises ExperimentNotFound (a NotFound)."""
    return experiment_results(experiment=experiment_get(key_or_id=key_or_id))


def experiment_conclude(*, key_or_id: str, winner: str, actor=None) -> dict:
    """Conclude an experiment and ship `winner` through its flag; answers the experiment's summary.
    Raises ExperimentNotFound, or an ApplicationError saying why it cannot be concluded."""
    experiment = _experiment_conclude(experiment=experiment_get(key_or_id=key_or_id), winner=winner, actor=actor)
    return _experiment_summary(experiment)
