"""Worked example for docs/experiments.md: EXP-2025-163's counts, read from the seed log, through
the same `stats.analyze` the results pages and `POST /api/v1/experiments/analyze` use.

    .venv/bin/python docs/examples/exp_2025_163.py [path/to/000_63b8c18a0b6eac29.txt]

The seed defaults to ../shared/seeds/000_63b8c18a0b6eac29.txt (next to the repository) or $SEED_FILE.
"""
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vantage.settings")

import django  # noqa: E402

django.setup()

from apps.experiments.stats import VariantCounts, analyze  # noqa: E402

NAMES = {"Control": "control", "Variant A": "variant_a", "Variant B": "variant_b"}
ALLOCATION = re.compile(r"^\s*(Control|Variant A|Variant B): (\d+) percent of checkout sessions", re.M)
COMPLETION = re.compile(r"^\s*(Control|Variant A|Variant B): ([\d.]+) percent \(([\d,]+) completions out of "
                        r"([\d,]+) sessions\)", re.M)
CLAIM = re.compile(r"^\s*(Variant A|Variant B) versus control: ([+-][\d.]+) percent \(p=([\d.]+)", re.M)


def load(seed: str) -> tuple[list[VariantCounts], dict[str, float], dict[str, tuple[str, str]]]:
    text = Path(seed).read_text()
    start = text.index("EXP-2025-163")
    section = text[start:text.index("DOCUMENT 4", start)]
    planned = {NAMES[m[1]]: float(m[2]) for m in ALLOCATION.finditer(section)}
    counts = [VariantCounts(NAMES[m[1]], int(m[4].replace(",", "")), int(m[3].replace(",", "")))
              for m in COMPLETION.finditer(section)]
    claims = {NAMES[m[1]]: (m[2], m[3]) for m in CLAIM.finditer(section)}
    return counts, planned, claims


def main() -> None:
    default = os.environ.get("SEED_FILE", str(REPO.parent / "shared" / "seeds" / "000_63b8c18a0b6eac29.txt"))
    counts, planned, claims = load(sys.argv[1] if len(sys.argv) > 1 else default)
    analysis = analyze(counts, control="control", planned_allocation=planned)
    print("EXP-2025-163 (checkout_progress_indicator), counts read from the seed")
    print(f"planned allocation: {planned}")
    print(f"{'variant':<10} {'units':>8} {'conv.':>7} {'rate':>8}  {'95% CI':<19} {'abs. lift':>10}  "
          f"{'95% CI (pp)':<17} {'rel. lift':>9}  {'95% CI':<17} {'z':>7} {'p-value':>9}")
    for v in analysis.variants:
        line = (f"{v.name:<10} {v.units:>8} {v.conversions:>7} {v.rate:>8.4%}  "
                f"[{v.rate_ci[0]:.4%}, {v.rate_ci[1]:.4%}]")
        if not v.is_control:
            line += (f" {v.absolute_lift * 100:>+8.3f}pp  [{v.absolute_lift_ci[0] * 100:+.3f}, "
                     f"{v.absolute_lift_ci[1] * 100:+.3f}] {v.relative_lift:>+9.3%}  "
                     f"[{v.relative_lift_ci[0]:+.3%}, {v.relative_lift_ci[1]:+.3%}] {v.z_score:>7.3f} "
                     f"{v.p_value:>9.2e}")
        print(line)
    srm = analysis.srm
    print(f"SRM check: chi2={srm.chi_square:.3f} df={srm.degrees_of_freedom} p={srm.p_value:.4f} "
          f"flagged={srm.flagged} (alpha {srm.alpha}); expected units "
          + ", ".join(f"{k}={v:.1f}" for k, v in srm.expected.items()))
    for name, (lift, p) in claims.items():
        computed = next(v for v in analysis.variants if v.name == name)
        print(f"seed claims {name}: {lift} percent, p={p}; computed: {computed.absolute_lift * 100:+.2f} percentage "
              f"points ({computed.relative_lift:+.2%} relative), p={computed.p_value:.2e}")


if __name__ == "__main__":
    main()
