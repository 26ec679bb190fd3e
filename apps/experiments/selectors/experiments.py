"""Experiment reads: lookup, and results computed from the recorded analytics events.

Per variant (and per segment, e.g. mobile / desktop): the units that reached the start event, how
many of them reached the conversion event afterwards (the primary metric), the drop-off between
consecutive funnel steps, and median times per step and in total. The statistics come from
`stats.analyze`, the same code the analyze API runs.
"""
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.db.models import Q

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
    return list(Experiment.objects.select_related("flag"))


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
    verdict: dict


def experiment_overview_list() -> list[ExperimentOverview]:
    """Every experiment with the same exposed units and verdict as its results page."""
    overviews = []
    for e in experiment_list():
        results = experiment_results(experiment=e)
        overviews.append(ExperimentOverview(
            experiment_id=e.experiment_id, key=e.key, name=e.name, status=e.status, winner=e.winner,
            flag=e.flag.key if e.flag_id else "", exposed_units=sum(results["exposures"]["units"].values()),
            verdict=results["verdict"]))
    return overviews


def exposed_units(*, experiment: Experiment) -> dict[str, int]:
    """The one definition of "exposed units": distinct units assigned a variant, per variant (every
    planned variant present). A unit counts once it is in the exposure log or has any event tagged
    with the experiment, because events are tagged at assignment even where no exposure was logged
    (e.g. imported or replayed traffic)."""
    sql = """
        SELECT variant, count(*) FROM (
            SELECT unit_id, variant FROM experiments_experimentexposure WHERE experiment_id = %s
            UNION
            SELECT unit_id, experiments->>%s FROM experiments_analyticsevent WHERE experiments ? %s
        ) AS assigned GROUP BY variant
    """
    eid = experiment.experiment_id
    with connection.cursor() as cursor:
        cursor.execute(sql, [experiment.pk, eid, eid])
        counts = dict(cursor.fetchall())
    return {v["key"]: counts.get(v["key"], 0) for v in experiment.variants}


def _unit_rows(experiment: Experiment) -> list[tuple]:
    """One row per (variant, segment) with counts per funnel step, conversions and median times."""
    steps = list(dict.fromkeys([*experiment.funnel_events, experiment.start_event, experiment.conversion_event]))
    firsts = ",\n".join(f"min(occurred_at) FILTER (WHERE event = %s) AS t{i}" for i in range(len(steps)))
    start, conversion = steps.index(experiment.start_event), steps.index(experiment.conversion_event)
    funnel = [steps.index(e) for e in experiment.funnel_events]
    step_counts = [f"count(t{i})" for i in funnel]  # none when the experiment has no funnel steps
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
            GROUP BY 1, 2
        )
        SELECT variant, segment, GROUPING(segment),
               count(t{start}), count(*) FILTER (WHERE t{conversion} >= t{start}),
               {", ".join([*step_counts, step_medians, total_median])}
        FROM units
        GROUP BY GROUPING SETS ((variant), (variant, segment))
    """  # noqa: S608 — only generated aliases are interpolated; every value is a parameter
    eid = experiment.experiment_id
    # GROUP BY names its columns by position: with server-side parameters `experiments->>$1` and a repeated
    # `experiments->>$5` are different expressions to PostgreSQL.
    params = [eid, experiment.segment_attribute or "device", *steps, eid, steps]
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
    exposures = _exposure_check(experiment)
    analysis = _analyze(experiment, {k: overall.get(k, empty) for k in variant_keys})
    return {
        "experiment": experiment_summary(experiment),
        "primary_metric": f"{experiment.start_event} → {experiment.conversion_event}",
        "exposures": exposures,
        "overall": asdict(analysis),
        "verdict": experiment_verdict(analysis=analysis, exposure_srm=exposures["srm"]),
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
    counts = exposed_units(experiment=experiment)
    srm = stats.srm_check(counts, experiment.planned_allocation)
    return {"units": counts, "srm": asdict(srm) if srm else None}


def experiment_verdict(*, analysis: stats.Analysis, exposure_srm: dict | None) -> dict:
    """The variant the data declares the winner, or None with the reason.

    A winner needs a significant primary-metric difference against the control (two-sided p below
    1 − confidence, i.e. 0.05) and no sample-ratio mismatch, neither in the units analysed nor in the
    exposed units: with a broken assignment a significant difference proves nothing. The best
    significantly better treatment wins; if every significant treatment is worse, the control wins.
    """
    srm_failed = bool((analysis.srm and analysis.srm.flagged) or (exposure_srm and exposure_srm["flagged"]))
    significant = [v for v in analysis.variants if v.significant]
    if srm_failed or not significant:
        return {"winner": None, "srm_failed": srm_failed, "p_value": None}
    better = [v for v in significant if v.absolute_lift > 0]
    if better:
        best = max(better, key=lambda v: v.rate)
        return {"winner": best.name, "srm_failed": False, "p_value": best.p_value}
    return {"winner": analysis.control, "srm_failed": False, "p_value": min(v.p_value for v in significant)}


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
