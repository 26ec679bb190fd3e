"""`manage.py backtest_alerts`: the guest checkout error-rate rule (threshold and `for` read from
deploy/prometheus/alerts.yml) replayed over per-minute history, pages grouped and classified."""
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.core.alert_backtest import alert_backtest, error_rate_rule_load, history_load

SHIPPED_CSV = Path(settings.BASE_DIR) / "deploy" / "backtest" / "checkout_errors_2025-09.csv"


def run(*args) -> str:
    out = StringIO()
    call_command("backtest_alerts", *map(str, args), stdout=out)
    return out.getvalue()


def summary(output: str, window: int) -> tuple[int, int, int]:
    match = re.search(rf"^window {window}m: (\d+) page\(s\), (\d+) true positive, (\d+) false positive", output, re.M)
    assert match, output
    return tuple(int(group) for group in match.groups())


def write_csv(tmp_path, rows: list[tuple[int, int, int]], header: str = "minute,requests,errors,incident") -> Path:
    """rows: (requests, errors, incident) for consecutive minutes from 2025-09-01 12:00 UTC."""
    lines = [header] + [f"2025-09-01T12:{m:02d}:00Z,{r},{e},{i}" for m, (r, e, i) in enumerate(rows)]
    path = tmp_path / "history.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_rule_is_read_from_the_deployed_alerts_file():
    rule = error_rate_rule_load()

    assert (rule.threshold, rule.for_minutes, rule.ratio_range_minutes) == (0.01, 3, 1)


def test_shipped_week_reproduces_chkout_1963(tmp_path):
    # when the week is replayed with the old 1-minute window and the rule's own window
    output = run(SHIPPED_CSV)

    # then the 1-minute window paged 4 times, 3 of them false; the rule's window keeps the true page only
    assert summary(output, 1) == (4, 1, 3)
    _, true_pages, false_pages = summary(output, 3)
    assert (true_pages, false_pages) == (1, 0)
    assert "misses 0 more incidents" in output


@pytest.mark.parametrize(("bad_minutes", "pages_at_3m"), [(2, 0), (3, 0), (4, 1), (7, 1)])
def test_a_burst_pages_only_when_it_outlasts_the_window(tmp_path, bad_minutes, pages_at_3m):
    # given 40 checkouts a minute, a burst of 10 % errors lasting `bad_minutes`, no real incident
    rows = [(40, 0, 0)] * 3 + [(40, 4, 0)] * bad_minutes + [(40, 0, 0)] * 3
    history = history_load(write_csv(tmp_path, rows))

    result = alert_backtest(history, threshold=0.01, window_minutes=3)

    assert len(result.pages) == pages_at_3m
    assert result.false_positives == pages_at_3m


def test_errors_exactly_at_the_threshold_do_not_count_and_quiet_minutes_are_good(tmp_path):
    # 1 error in 100 is 1 %, not above it; a minute without traffic is not an error
    rows = [(100, 1, 0)] * 6 + [(0, 0, 0)] + [(100, 1, 0)] * 6
    result = alert_backtest(history_load(write_csv(tmp_path, rows)), threshold=0.01, window_minutes=0)

    assert result.pages == []


def test_an_incident_that_dips_under_the_threshold_pages_once(tmp_path):
    # given a real incident whose error ratio recovers for one minute in the middle
    rows = [(40, 0, 0)] + [(40, 20, 1)] * 2 + [(40, 0, 1)] + [(40, 20, 1)] * 2 + [(40, 0, 0)]
    result = alert_backtest(history_load(write_csv(tmp_path, rows)), threshold=0.01, window_minutes=1)

    assert len(result.pages) == 1 and result.true_positives == 1
    assert result.missed_incidents == 0


def test_an_incident_too_short_for_the_window_is_reported_missed(tmp_path):
    rows = [(40, 0, 0)] + [(40, 20, 1)] * 2 + [(40, 0, 0)]
    output = run(write_csv(tmp_path, rows), "--window", 3)

    assert "window 3m: 0 page(s), 0 true positive, 0 false positive, 1 incidents missed" in output


@pytest.mark.parametrize(("header", "rows", "message"), [
    ("minute,requests,errors", [(40, 0, 0)], "header must name the columns minute,requests,errors,incident"),
    ("minute,requests,errors,incident", [(40, 50, 0)], "line 2: need 0 <= errors <= requests"),
    ("minute,requests,errors,incident", [(40, 0, 2)], "line 2: incident must be 0 or 1"),
    ("minute,requests,errors,incident", [], "no rows after its header"),
])
def test_bad_csv_is_a_command_error_saying_what_to_fix(tmp_path, header, rows, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run(write_csv(tmp_path, rows, header=header))


def test_gaps_and_unparsable_values_are_command_errors(tmp_path):
    gap = tmp_path / "gap.csv"
    gap.write_text("minute,requests,errors,incident\n2025-09-01T12:00:00Z,40,0,0\n2025-09-01T12:02:00Z,40,0,0\n")
    junk = tmp_path / "junk.csv"
    junk.write_text("minute,requests,errors,incident\nyesterday,40,0,0\n")

    with pytest.raises(CommandError, match="line 3: .* does not follow 2025-09-01T12:00Z by one minute"):
        run(gap)
    with pytest.raises(CommandError, match="line 2: .*minute is ISO 8601"):
        run(junk)
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path / "missing.csv")


def test_an_alert_rule_the_backtest_cannot_model_is_refused(tmp_path):
    # given a rules file whose error-rate alert is not `<recorded ratio> > <threshold>`
    rules = tmp_path / "alerts.yml"
    rules.write_text("groups:\n- name: x\n  rules:\n  - alert: GuestCheckoutErrorRate\n"
                     "    expr: rate(checkout_errors_total[5m]) > 0.01\n    for: 5m\n")

    with pytest.raises(CommandError, match="must read `<recorded ratio> > <threshold>`"):
        run(SHIPPED_CSV, "--alerts", rules)
