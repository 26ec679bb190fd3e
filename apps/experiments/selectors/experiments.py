"""Experiment reads: lookup, and results computed from the recorded analytics events.

Per variant (and per segment, e.g. mobile / desktop): the units that reached the start event, how
many of them reached the conversion event afterwards (the primary metric), the drop-off between
consecutive funnel steps, and median times per step and in total. The statistics come from
`stats.analyze`, the same code the analyze API runs.
"""
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.db.models import Count, Q

from .. import stats
from ..errors import ExperimentNotFound
from ..models import Experiment
from .common import DASHBOARD_WORK_MEM


def experiment_get(*, key_or_id: str) -> Experiment:
    experiment = Experiment.objects.filter(Q(key=key_or_id) | Q(experiment_id=key_or_id)).select_related("flag").first()
    if experiment is None:
        raise ExperimentNotFound(f"No experiment has key or id {key_or_id!r}.")
    return experiment


def experiment_list() -> list[Experiment]:
    return list(Experiment.objects.select_related("flag").annotate(exposure_count=Count("exposures")))


@dataclass(frozen=True)
class ExperimentOverview:
    """One row of the staff list of experiments."""

    experiment_id: str
    key: str
    name: str
    status: str
    winner: str
    flag: str
    exposed_units: int


def experiment_overview_list() -> list[ExperimentOverview]:
    return [ExperimentOverview(experiment_id=e.experiment_id, key=e.key, name=e.name, status=e.status,
                               winner=e.winner, flag=e.flag.key if e.flag_id else "", exposed_units=e.exposure_count)
            for e in experiment_list()]


def exposure_counts(*, experiment: Experiment) -> dict[str, int]:
    """Units exposed per variant (the exposure log), every planned variant present."""
    counts = dict(experiment.exposures.values_list("variant").annotate(n=Count("id")).values_list("variant", "n"))
    return {v["key"]: counts.get(v["key"], 0) for v in experiment.variants}


def _unit_rows(experiment: Experiment) -> list[tuple]:
    """One row per (variant, segment) with counts per funnel step, conversions and median times."""
    steps = list(dict.fromkeys([*experiment.funnel_events, experiment.start_event, experiment.conversion_event]))
    firsts = ",\n".join(f"min(occurred_at) FILTER (WHERE event = %s) AS t{i}" for i in range(len(steps)))
    start, conversion = steps.index(experiment.start_event), steps.index(experiment.conversion_event)
    funnel = [steps.index(e) for e in experiment.funnel_events]
    step_counts = ", ".join(f"count(t{i})" for i in funnel)
    step_medians = ", ".join(
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t{b} - t{a})) FILTER (WHERE t{b} >= t{a})"
        for a, b in zip(funnel, funnel[1:], strict=False)) or "NULL"
    total_median = (f"percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t{funnel[-1]} - t{funnel[0]}))"
                    f" FILTER (WHERE t{funnel[-1]} >= t{funnel[0]})") if len(funnel) > 1 else "NULL"
    sql = f"""
        WITH units AS (
            SELECT unit_id, experiments->>%s AS variant, min(context->>%s) AS segment, {firsts}
            FROM experiments_analyticsevent
            WHERE experiments ? %s AND event = ANY(%s)
            GROUP BY unit_id, experiments->>%s
        )
        SELECT variant, segment, GROUPING(segment),
               count(t{start}), count(*) FILTER (WHERE t{conversion} >= t{start}),
               {step_counts}, {step_medians}, {total_median}
        FROM units
        GROUP BY GROUPING SETS ((variant), (variant, segment))
    """  # noqa: S608 — only generated aliases are interpolated; every value is a parameter
    eid = experiment.experiment_id
    params = [eid, experiment.segment_attribute or "device", *steps, eid, steps, eid]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(DASHBOARD_WORK_MEM)
        cursor.execute(sql, params)
        return cursor.fetchall()


def experiment_results(*, experiment: Experiment) -> dict:
    """Results of an experiment from its events, with statistics overall and per segment."""
    rows = _unit_rows(experiment)
    variant_keys = [v["key"] for v in experiment.variants]
    funnel = experiment.funnel_events
    n_steps = len(funnel)
    overall: dict[str, dict] = {}
    segments: dict[str, dict[str, dict]] = {}
    for row in rows:
        variant, segment, is_overall, units, conversions = row[:5]
        step_counts = list(row[5:5 + n_steps])
        medians = list(row[5 + n_steps:5 + n_steps + max(n_steps - 1, 1)])
        total_median = row[-1]
        entry = {"units": units, "conversions": conversions, "steps": step_counts, "medians": medians,
                 "total_median": total_median}
        if variant not in variant_keys:
            continue
        if is_overall:
            overall[variant] = entry
        else:
            segments.setdefault(segment or "unknown", {})[variant] = entry
    empty = {"units": 0, "conversions": 0, "steps": [0] * n_steps, "medians": [None] * max(n_steps - 1, 1),
             "total_median": None}
    return {
        "experiment": experiment_summary(experiment),
        "primary_metric": f"{experiment.start_event} → {experiment.conversion_event}",
        "exposures": _exposure_check(experiment),
        "overall": asdict(_analyze(experiment, {k: overall.get(k, empty) for k in variant_keys})),
        "segments": {
            name: asdict(_analyze(experiment, {k: by_variant.get(k, empty) for k in variant_keys},
                                          with_srm=False))
            for name, by_variant in sorted(segments.items())
        },
        "funnel": [
            {"variant": k, "steps": [
                {"step": step, "units": overall.get(k, empty)["steps"][i],
                 "drop_off_from_previous": _drop_off(overall.get(k, empty)["steps"], i),
                 "median_seconds_from_previous": _seconds(overall.get(k, empty)["medians"][i - 1]) if i else None}
                for i, step in enumerate(funnel)],
             "median_total_seconds": _seconds(overall.get(k, empty)["total_median"])}
            for k in variant_keys
        ],
    }


def _exposure_check(experiment: Experiment) -> dict:
    """SRM on the exposure log too: units that reach the start event can be skewed by a variant's
    own effect on earlier steps, while exposures are counted at assignment."""
    counts = exposure_counts(experiment=experiment)
    srm = stats.srm_check(counts, experiment.planned_allocation)
    return {"units": counts, "srm": asdict(srm) if srm else None}


def _drop_off(steps: list[int], index: int) -> float | None:
    if index == 0 or not steps[index - 1]:
        return None
    return 1 - steps[index] / steps[index - 1]


def _seconds(value) -> float | None:
    return round(float(value), 3) if value is not None else None


def _analyze(experiment: Experiment, counts: dict[str, dict], with_srm: bool = True) -> stats.Analysis:
    return stats.analyze(
        [stats.VariantCounts(name=k, units=c["units"], conversions=c["conversions"]) for k, c in counts.items()],
        control=experiment.control_key, planned_allocation=experiment.planned_allocation if with_srm else None,
    )


def experiment_summary(experiment: Experiment) -> dict:
    return {
        "experiment_id": experiment.experiment_id, "key": experiment.key, "name": experiment.name,
        "status": experiment.status, "winner": experiment.winner or None, "control": experiment.control_key,
        "planned_allocation": experiment.planned_allocation,
        "flag": experiment.flag.key if experiment.flag_id else None,
        "started_at": experiment.started_at.isoformat() if experiment.started_at else None,
        "concluded_at": experiment.concluded_at.isoformat() if experiment.concluded_at else None,
    }
