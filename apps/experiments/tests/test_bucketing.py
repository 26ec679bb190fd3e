"""Bucketing: deterministic across processes, uniform, monotone when a rollout grows, and
independent between flags/experiments."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from scipy import stats

from apps.experiments.bucketing import allocate, bucket, unit_id_for

REPO = Path(__file__).resolve().parents[3]
UNITS = [f"user:{n}" for n in range(100_000)]


def test_buckets_are_identical_in_a_fresh_process():
    # given buckets computed here
    sample = [f"session:{n:08x}" for n in range(0, 5000, 7)]
    here = [bucket("guest_checkout_v2", unit) for unit in sample]
    # when a separate interpreter (different hash seed) computes them
    code = ("import json,sys; from apps.experiments.bucketing import bucket; "
            "units=json.load(sys.stdin); print(json.dumps([bucket('guest_checkout_v2', u) for u in units]))")
    result = subprocess.run([sys.executable, "-c", code], input=json.dumps(sample), capture_output=True, text=True,
                            cwd=REPO, env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}, check=True)
    # then they are the same
    assert json.loads(result.stdout) == here


def test_buckets_are_uniform_within_one_percent_over_100k_units():
    positions = [bucket("apple_pay", unit) for unit in UNITS]
    counts = [0] * 10
    for position in positions:
        counts[int(position // 10)] += 1
    for count in counts:
        assert abs(count / len(UNITS) - 0.10) < 0.01
    assert abs(sum(p < 5 for p in positions) / len(UNITS) - 0.05) < 0.01
    assert abs(sum(p < 25 for p in positions) / len(UNITS) - 0.25) < 0.01
    assert stats.chisquare(counts).pvalue > 0.001


@pytest.mark.parametrize(("smaller", "larger"), [(5, 25), (25, 50), (50, 75), (75, 100), (0.5, 1)])
def test_growing_a_rollout_keeps_everyone_already_in(smaller, larger):
    positions = {unit: bucket("self_service_returns", unit) for unit in UNITS[:20_000]}
    before = {u for u, p in positions.items() if p < smaller}
    after = {u for u, p in positions.items() if p < larger}
    assert before <= after
    assert len(after) > len(before)


def test_bucketing_is_independent_between_salts():
    # given two experiments each taking half the units
    in_a = [bucket("exp_a", unit) < 50 for unit in UNITS]
    in_b = [bucket("exp_b", unit) < 50 for unit in UNITS]
    # when crossing the assignments
    table = [[0, 0], [0, 0]]
    for a, b in zip(in_a, in_b, strict=True):
        table[a][b] += 1
    # then being in A says nothing about being in B (chi-square test of independence, and each cell ≈ 25 %)
    assert stats.chi2_contingency(table).pvalue > 0.001
    for row in table:
        for cell in row:
            assert abs(cell / len(UNITS) - 0.25) < 0.01


def test_allocation_follows_planned_weights():
    weights = [("control", 50.0), ("variant_a", 25.0), ("variant_b", 25.0)]
    counts = {"control": 0, "variant_a": 0, "variant_b": 0}
    for unit in UNITS:
        counts[allocate(bucket("checkout_progress_indicator", unit), weights)] += 1
    assert abs(counts["control"] / len(UNITS) - 0.50) < 0.01
    assert abs(counts["variant_a"] / len(UNITS) - 0.25) < 0.01
    assert abs(counts["variant_b"] / len(UNITS) - 0.25) < 0.01


@pytest.mark.parametrize(("context", "unit"), [
    ({"user_id": 42, "session_id": "abc"}, "user:42"),
    ({"session_id": "abc"}, "session:abc"),
    ({"user_id": "", "session_id": "abc"}, "session:abc"),
    ({"region": "us-east-1"}, ""),
])
def test_signed_in_users_bucket_by_user_and_guests_by_session(context, unit):
    assert unit_id_for(context) == unit
