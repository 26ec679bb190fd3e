"""`python manage.py backtest_alerts FILE.csv`: which guest checkout error-rate pages a window would have
sent over per-minute history, and how many were false (see apps/core/alert_backtest.py for the CSV)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...alert_backtest import (
    ALERTS_FILE,
    ERROR_RATE_ALERT,
    LEGACY_WINDOW_MINUTES,
    BacktestError,
    alert_backtest,
    error_rate_rule_load,
    history_load,
)


class Command(BaseCommand):
    help = ("Replay per-minute checkout errors (CSV: minute,requests,errors,incident) against the "
            f"{ERROR_RATE_ALERT} rule of deploy/prometheus/alerts.yml with the windows given.")

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path)
        parser.add_argument("--window", type=int, action="append", dest="windows", metavar="MINUTES",
                            help=f"`for` minutes to replay (repeatable); default {LEGACY_WINDOW_MINUTES} "
                                 "(the old monitor's) and the rule's own")
        parser.add_argument("--alerts", type=Path, default=ALERTS_FILE, help="alert rules file")

    def handle(self, *args, csv: Path, windows: list[int] | None, alerts: Path, **options):
        try:
            rule = error_rate_rule_load(alerts)
            if rule.ratio_range_minutes != 1:
                raise BacktestError(f"{ERROR_RATE_ALERT}'s ratio uses a {rule.ratio_range_minutes}m range; "
                                    "per-minute history replays only a 1m range")
            history = history_load(csv)
        except BacktestError as exc:
            raise CommandError(str(exc)) from exc
        windows = sorted(set(windows or [LEGACY_WINDOW_MINUTES, rule.for_minutes]))
        if any(window < 0 for window in windows):
            raise CommandError("--window must be 0 or more minutes")

        self.stdout.write(f"{ERROR_RATE_ALERT}: error ratio > {rule.threshold:g}, {len(history)} minutes "
                          f"from {history[0].at:%Y-%m-%d %H:%M} to {history[-1].at:%Y-%m-%d %H:%M} UTC "
                          f"(rule: for {rule.for_minutes}m)")
        results = [alert_backtest(history, threshold=rule.threshold, window_minutes=w) for w in windows]
        for result in results:
            self.stdout.write(f"\nwindow {result.window_minutes}m: {len(result.pages)} page(s), "
                              f"{result.true_positives} true positive, {result.false_positives} false positive, "
                              f"{result.missed_incidents} incidents missed")
            for page in result.pages:
                verdict = "true positive" if page.true_positive else "FALSE POSITIVE"
                self.stdout.write(f"  page at {page.fired_at:%Y-%m-%d %H:%M}  errors above threshold "
                                  f"{page.run_start:%H:%M}-{page.run_end:%H:%M}  {verdict}")
        first, last = results[0], results[-1]
        if len(results) > 1 and first.false_positives:
            self.stdout.write(f"\nwindow {last.window_minutes}m prevents "
                              f"{first.false_positives - last.false_positives} of the {first.false_positives} false "
                              f"positive pages of window {first.window_minutes}m and misses "
                              f"{last.missed_incidents - first.missed_incidents} more incidents")
