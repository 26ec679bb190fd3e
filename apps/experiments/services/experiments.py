"""Experiment writes: create, start, conclude (ship the winner through its flag), exposures."""
import logging

from django.db import transaction
from django.utils import timezone
from redis.exceptions import RedisError

from apps.core.redis import get_redis

from .. import rules
from ..errors import ExperimentStateConflict, InvalidExperiment
from ..models import Experiment, ExperimentExposure, Flag
from ..store import config_changed
from .flags import flag_update

logger = logging.getLogger(__name__)

EXPOSURE_MARK_TTL_SECONDS = 7 * 24 * 3600


def experiment_validate_variants(variants: list, control_key: str) -> None:
    """Variants need unique keys and positive weights summing to ≤ 100; the control must be one."""
    if not isinstance(variants, list) or len(variants) < 2:
        raise InvalidExperiment("An experiment needs at least two variants: [{\"key\": ..., \"weight\": ...}].")
    keys = [v.get("key") for v in variants if isinstance(v, dict)]
    if len(keys) != len(variants) or not all(isinstance(k, str) and k for k in keys) or len(set(keys)) != len(keys):
        raise InvalidExperiment("Every variant needs a unique, non-empty string key.")
    try:
        weights = [float(v["weight"]) for v in variants]
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidExperiment("Every variant needs a numeric weight (percent of units).") from exc
    if any(w <= 0 for w in weights) or sum(weights) > 100 + 1e-9:
        raise InvalidExperiment("Variant weights must be positive and add up to at most 100 (percent).")
    if control_key not in keys:
        raise InvalidExperiment(f"The control {control_key!r} must be one of the variants: {', '.join(keys)}.")


@transaction.atomic
def experiment_create(*, experiment_id: str, key: str, name: str, variants: list, control_key: str = "control",
                      flag: Flag | None = None, eligibility: str = "", hypothesis: str = "",
                      start_event: str = "shipping_completed", conversion_event: str = "order_confirmed",
                      funnel_events: list | None = None, segment_attribute: str = "device") -> Experiment:
    experiment_validate_variants(variants, control_key)
    if eligibility.strip():
        rules.parse(eligibility)
    if Experiment.objects.filter(key=key).exists() or Experiment.objects.filter(experiment_id=experiment_id).exists():
        raise InvalidExperiment(f"An experiment with key {key!r} or id {experiment_id!r} already exists.")
    return Experiment.objects.create(
        experiment_id=experiment_id, key=key, name=name, variants=variants, control_key=control_key, flag=flag,
        eligibility=eligibility, hypothesis=hypothesis, start_event=start_event, conversion_event=conversion_event,
        funnel_events=funnel_events or ["checkout_started", "shipping_completed", "payment_completed",
                                        "order_confirmed"],
        segment_attribute=segment_attribute,
    )


@transaction.atomic
def experiment_start(*, experiment: Experiment) -> Experiment:
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    if experiment.status != Experiment.Status.DRAFT:
        raise ExperimentStateConflict(f"{experiment.experiment_id} is {experiment.status}; only drafts start.")
    experiment.status = Experiment.Status.RUNNING
    experiment.started_at = timezone.now()
    experiment.save(update_fields=["status", "started_at"])
    config_changed()
    return experiment


@transaction.atomic
def experiment_conclude(*, experiment: Experiment, winner: str, actor=None) -> Experiment:
    """Stop assigning, record the winner and ship it: its flag serves the winner's value to 100 %."""
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    if experiment.status == Experiment.Status.CONCLUDED:
        raise ExperimentStateConflict(f"{experiment.experiment_id} is already concluded (winner "
                                      f"{experiment.winner or 'none'}).")
    variants = {v["key"]: v for v in experiment.variants}
    if winner not in variants:
        raise InvalidExperiment(f"Winner must be one of the variants: {', '.join(variants)}.")
    experiment.status = Experiment.Status.CONCLUDED
    experiment.winner = winner
    experiment.concluded_at = timezone.now()
    experiment.save(update_fields=["status", "winner", "concluded_at"])
    if experiment.flag is not None:
        flag_update(
            flag=experiment.flag, actor=actor,
            data={"enabled": True, "kill_switch": False, "rollout_percentage": 100, "rules": [],
                  "on_value": variants[winner].get("flag_value", winner)},
            reason=f"{experiment.experiment_id} concluded: {winner} ships to 100%",
        )
    config_changed()
    return experiment


def exposure_record(*, experiment_id: int, unit_id: str, variant: str) -> bool:
    """Log the unit's first exposure; True if this call recorded it.

    A Redis SET NX in front keeps repeat views off the database; the unique constraint is what
    guarantees once-per-unit (Redis down or its mark expired → the insert is simply ignored).
    """
    try:
        if not get_redis().set(f"vantage:experiments:exposed:{experiment_id}:{unit_id}", variant, nx=True,
                               ex=EXPOSURE_MARK_TTL_SECONDS):
            return False
    except RedisError:
        logger.warning("redis unreachable; exposure de-duplicated by the database only")
    _, created = ExperimentExposure.objects.get_or_create(
        experiment_id=experiment_id, unit_id=unit_id, defaults={"variant": variant})
    return created
