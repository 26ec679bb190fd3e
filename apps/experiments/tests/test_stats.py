"""Statistics match an independent computation; SRM is flagged for a skewed allocation."""
import math

import pytest
from scipy import stats as scipy_stats

from apps.core.errors import ValidationFailed
from apps.experiments.stats import VariantCounts, analyze, srm_check

EXP_2025_163 = [VariantCounts("control", 142_380, 95_834), VariantCounts("variant_a", 71_204, 46_852),
                VariantCounts("variant_b", 71_891, 50_435)]
PLANNED = {"control": 50, "variant_a": 25, "variant_b": 25}


def normal_two_sided_p(z: float) -> float:
    """Independent route: the normal tail through math.erfc, not scipy."""
    return math.erfc(abs(z) / math.sqrt(2))


def test_lift_and_p_value_match_a_hand_computation():
    analysis = analyze(EXP_2025_163, control="control", planned_allocation=PLANNED)
    control = EXP_2025_163[0]
    for counts, result in zip(EXP_2025_163[1:], analysis.variants[1:], strict=True):
        p1, p0 = counts.conversions / counts.units, control.conversions / control.units
        pooled = (counts.conversions + control.conversions) / (counts.units + control.units)
        z = (p1 - p0) / math.sqrt(pooled * (1 - pooled) * (1 / counts.units + 1 / control.units))
        se = math.sqrt(p1 * (1 - p1) / counts.units + p0 * (1 - p0) / control.units)
        assert result.rate == pytest.approx(p1)
        assert result.absolute_lift == pytest.approx(p1 - p0)
        assert result.absolute_lift_ci[0] == pytest.approx(p1 - p0 - 1.959963984540054 * se)
        assert result.absolute_lift_ci[1] == pytest.approx(p1 - p0 + 1.959963984540054 * se)
        assert result.relative_lift == pytest.approx(p1 / p0 - 1)
        assert result.relative_lift_ci[0] < result.relative_lift < result.relative_lift_ci[1]
        assert result.z_score == pytest.approx(z)
        assert result.p_value == pytest.approx(normal_two_sided_p(z), rel=1e-6, abs=1e-300)


def test_z_test_equals_the_chi_square_test_on_the_2x2_table():
    # the pooled two-proportion z-test is the uncorrected chi-square test of the 2x2 table
    a, c = VariantCounts("variant_a", 1000, 130), VariantCounts("control", 1000, 100)
    result = analyze([c, a], control="control").variants[1]
    table = [[a.conversions, a.units - a.conversions], [c.conversions, c.units - c.conversions]]
    assert result.p_value == pytest.approx(scipy_stats.chi2_contingency(table, correction=False).pvalue)


def test_rate_interval_is_wilson():
    result = analyze([VariantCounts("control", 200, 20), VariantCounts("b", 200, 30)], control="control").variants[0]
    p, n, z = 0.1, 200, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert result.rate_ci == pytest.approx((centre - half, centre + half))


def test_exp_2025_163_counts_are_not_a_sample_ratio_mismatch_and_both_variants_differ():
    analysis = analyze(EXP_2025_163, control="control", planned_allocation=PLANNED)
    assert not analysis.srm.flagged
    assert analysis.srm.p_value == pytest.approx(scipy_stats.chi2.sf(analysis.srm.chi_square, 2))
    variant_a, variant_b = analysis.variants[1], analysis.variants[2]
    assert variant_a.absolute_lift < 0 and variant_a.significant
    assert variant_b.absolute_lift > 0 and variant_b.significant
    assert variant_b.absolute_lift_ci[0] > 0


def test_a_skewed_allocation_is_flagged_as_srm():
    check = srm_check({"control": 50_000, "variant_a": 26_000, "variant_b": 24_000}, PLANNED)
    assert check.flagged and check.p_value < 0.001
    assert check.expected == {"control": 50_000, "variant_a": 25_000, "variant_b": 25_000}


def test_a_balanced_allocation_is_not_flagged():
    assert not srm_check({"control": 50_010, "variant_a": 24_990, "variant_b": 25_000}, PLANNED).flagged


@pytest.mark.parametrize(("counts", "control", "planned", "field"), [
    ([VariantCounts("control", 10, 11), VariantCounts("b", 10, 1)], "control", None, "variants[0].conversions"),
    ([VariantCounts("control", 10, 1), VariantCounts("b", 10, 1)], "nope", None, "control"),
    ([VariantCounts("control", 10, 1), VariantCounts("b", 10, 1)], "control", {"control": 50}, "planned_allocation"),
])
def test_inconsistent_input_is_refused_naming_the_field(counts, control, planned, field):
    with pytest.raises(ValidationFailed) as error:
        analyze(counts, control=control, planned_allocation=planned)
    assert field in [e.field for e in error.value.errors]


def test_zero_units_give_no_rate_instead_of_an_error():
    analysis = analyze([VariantCounts("control", 0, 0), VariantCounts("b", 10, 2)], control="control")
    assert analysis.variants[0].rate is None and analysis.variants[1].p_value is None
