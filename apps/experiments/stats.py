"""Experiment statistics on conversion counts (scipy.stats does the distributions).

For each variant: conversion rate with a Wilson 95 % interval. For each treatment against the
control: absolute lift (difference of rates) with a Wald interval on the unpooled standard error,
relative lift (ratio − 1) with a delta-method interval on log(ratio), and the two-sided p-value of
the pooled two-proportion z-test. Sample-ratio mismatch: a chi-square goodness-of-fit test of the
observed units against the planned allocation, flagged when p < EXPERIMENT_SRM_ALPHA (0.001 by
default: an SRM means the assignment is broken, so the bar for calling one is strict).

The results pages, `POST /api/v1/experiments/analyze` and the docs' worked example all call
`analyze`.
"""
import math
from dataclasses import dataclass

from django.conf import settings
from scipy import stats

from apps.core.errors import FieldError, ValidationFailed


@dataclass(frozen=True)
class VariantCounts:
    name: str
    units: int
    conversions: int


@dataclass(frozen=True)
class VariantResult:
    name: str
    is_control: bool
    units: int
    conversions: int
    rate: float | None
    rate_ci: tuple[float, float] | None
    absolute_lift: float | None = None
    absolute_lift_ci: tuple[float, float] | None = None
    relative_lift: float | None = None
    relative_lift_ci: tuple[float, float] | None = None
    z_score: float | None = None
    p_value: float | None = None
    significant: bool = False


@dataclass(frozen=True)
class SrmCheck:
    chi_square: float
    degrees_of_freedom: int
    p_value: float
    flagged: bool
    alpha: float
    observed: dict[str, int]
    expected: dict[str, float]


@dataclass(frozen=True)
class Analysis:
    control: str
    confidence_level: float
    variants: list[VariantResult]
    srm: SrmCheck | None


def _validate(counts: list[VariantCounts], control: str, planned: dict[str, float] | None) -> None:
    errors = []
    names = [c.name for c in counts]
    if len(set(names)) != len(names):
        errors.append(FieldError("variants", "DUPLICATE", "Variant names must be unique."))
    if control not in names:
        errors.append(FieldError("control", "NOT_FOUND", f"The control {control!r} is not one of the variants.",
                                 "one of: " + ", ".join(names)))
    for index, c in enumerate(counts):
        if c.units < 0 or c.conversions < 0 or c.conversions > c.units:
            errors.append(FieldError(f"variants[{index}].conversions", "OUT_OF_RANGE",
                                     "Conversions must be between 0 and the variant's units.",
                                     "0 <= conversions <= units"))
    if planned is not None:
        if set(planned) != set(names):
            errors.append(FieldError("planned_allocation", "MISMATCH",
                                     "The planned allocation must name exactly the variants.",
                                     "keys: " + ", ".join(names)))
        elif any(w <= 0 for w in planned.values()):
            errors.append(FieldError("planned_allocation", "OUT_OF_RANGE", "Planned weights must be positive.",
                                     "> 0"))
    if errors:
        raise ValidationFailed(errors)


def rate_interval(conversions: int, units: int, confidence: float) -> tuple[float, float]:
    result = stats.binomtest(conversions, units).proportion_ci(confidence_level=confidence, method="wilson")
    return (float(result.low), float(result.high))


def _compare(treatment: VariantCounts, control: VariantCounts, confidence: float, alpha: float) -> dict:
    """Lifts with intervals and the pooled two-proportion z-test of treatment vs control."""
    if not treatment.units or not control.units:
        return {}
    p_t, p_c = treatment.conversions / treatment.units, control.conversions / control.units
    z_crit = float(stats.norm.ppf(1 - (1 - confidence) / 2))
    diff = p_t - p_c
    se_unpooled = math.sqrt(p_t * (1 - p_t) / treatment.units + p_c * (1 - p_c) / control.units)
    pooled = (treatment.conversions + control.conversions) / (treatment.units + control.units)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / treatment.units + 1 / control.units))
    result = {"absolute_lift": diff, "absolute_lift_ci": (diff - z_crit * se_unpooled, diff + z_crit * se_unpooled)}
    if se_pooled > 0:
        z = diff / se_pooled
        p_value = float(2 * stats.norm.sf(abs(z)))
        result.update(z_score=z, p_value=p_value, significant=p_value < alpha)
    if p_c > 0:
        result["relative_lift"] = p_t / p_c - 1
        if treatment.conversions and control.conversions:
            se_log = math.sqrt((1 - p_t) / treatment.conversions + (1 - p_c) / control.conversions)
            log_ratio = math.log(p_t / p_c)
            result["relative_lift_ci"] = (math.exp(log_ratio - z_crit * se_log) - 1,
                                          math.exp(log_ratio + z_crit * se_log) - 1)
    return result


def srm_check(observed: dict[str, int], planned: dict[str, float], alpha: float | None = None) -> SrmCheck | None:
    """Chi-square goodness of fit of observed units against planned weights (None if no units)."""
    alpha = settings.EXPERIMENT_SRM_ALPHA if alpha is None else alpha
    names = list(planned)
    total = sum(observed[name] for name in names)
    if total == 0 or len(names) < 2:
        return None
    weight_sum = sum(planned.values())
    expected = {name: total * planned[name] / weight_sum for name in names}
    chi_square, p_value = stats.chisquare([observed[name] for name in names], [expected[name] for name in names])
    return SrmCheck(chi_square=float(chi_square), degrees_of_freedom=len(names) - 1, p_value=float(p_value),
                    flagged=bool(p_value < alpha), alpha=alpha, observed={n: observed[n] for n in names},
                    expected=expected)


def analyze(counts: list[VariantCounts], *, control: str, planned_allocation: dict[str, float] | None = None,
            confidence_level: float = 0.95, srm_alpha: float | None = None) -> Analysis:
    """Every variant's rate and, for treatments, lift against `control`; plus the SRM check."""
    _validate(counts, control, planned_allocation)
    by_name = {c.name: c for c in counts}
    alpha = 1 - confidence_level
    results = []
    for c in counts:
        rate = c.conversions / c.units if c.units else None
        base = {"name": c.name, "is_control": c.name == control, "units": c.units, "conversions": c.conversions,
                "rate": rate, "rate_ci": rate_interval(c.conversions, c.units, confidence_level) if c.units else None}
        if c.name != control:
            base.update(_compare(c, by_name[control], confidence_level, alpha))
        results.append(VariantResult(**base))
    srm = None
    if planned_allocation:
        srm = srm_check({c.name: c.units for c in counts}, planned_allocation, srm_alpha)
    return Analysis(control=control, confidence_level=confidence_level, variants=results, srm=srm)
