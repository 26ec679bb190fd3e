"""Replay per-minute checkout error history against the guest checkout error-rate alert.

The rule is read from `deploy/prometheus/alerts.yml` (alert `GuestCheckoutErrorRate`): its threshold
and `for` duration are never restated here. It is modelled as Prometheus runs it, evaluated once a
minute on the last minute's error ratio: a minute is *bad* when errors / requests exceeds the
threshold; the alert goes pending at the first bad minute and pages once it has stayed bad for the
window (`for`), i.e. on the (window + 1)-th consecutive bad minute; one good minute resolves it. So with the
3-minute window a burst of exactly 3 bad minutes does not page and a 4th bad minute does, as
`promtool test rules deploy/prometheus/tests/` shows for the rule itself.

Pages are grouped into incidents: a page whose bad run overlaps only incidents already paged (the
ratio dipped under the threshold for a minute and came back) counts once. Each page is a true
positive when any minute of its run is marked as part of a real incident, else a false positive; a
real incident that no page covered is a miss.

CSV: a header row, then one row per minute, in order, with no gaps:

    minute,requests,errors,incident
    2025-09-22T00:00:00Z,412,0,0

`minute` is ISO 8601 (UTC when no offset is given); `requests` and `errors` are counts of guest checkout
POSTs and of those that failed with a 5xx in that minute; `incident` is 1 for minutes belonging to a real,
customer-affecting incident (from the incident log), else 0. A minute without requests is good.
"""
import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from django.conf import settings

ALERTS_FILE = Path(settings.BASE_DIR) / "deploy" / "prometheus" / "alerts.yml"
ERROR_RATE_ALERT = "GuestCheckoutErrorRate"
LEGACY_WINDOW_MINUTES = 1  # the old monitor's 1-minute window (`for: 1m`), to compare the rule against
REQUIRED_COLUMNS = ("minute", "requests", "errors", "incident")


class BacktestError(ValueError):
    """The CSV or the alert rule cannot be replayed; the message says what to fix."""


@dataclass(frozen=True)
class ErrorRateRule:
    threshold: float
    for_minutes: int
    ratio_range_minutes: int


@dataclass(frozen=True)
class Minute:
    at: datetime
    requests: int
    errors: int
    incident: bool

    def ratio(self) -> float:
        return self.errors / self.requests if self.requests else 0.0


@dataclass
class Page:
    """`fired_at` is the evaluation at the end of the minute that completed the window."""

    fired_at: datetime
    run_start: datetime
    run_end: datetime
    true_positive: bool


@dataclass
class WindowResult:
    window_minutes: int
    pages: list[Page] = field(default_factory=list)
    missed_incidents: int = 0

    @property
    def false_positives(self) -> int:
        return sum(not page.true_positive for page in self.pages)

    @property
    def true_positives(self) -> int:
        return sum(page.true_positive for page in self.pages)


def _minutes(duration: str) -> int:
    match = re.fullmatch(r"(\d+)([smh])", duration.strip())
    if not match:
        raise BacktestError(f"`for: {duration}` is not a duration this backtest replays (use e.g. 3m)")
    value, unit = int(match[1]), match[2]
    seconds = value * {"s": 1, "m": 60, "h": 3600}[unit]
    if seconds % 60:
        raise BacktestError(f"`for: {duration}` is not whole minutes; the history is per minute")
    return seconds // 60


def error_rate_rule_load(path: Path = ALERTS_FILE) -> ErrorRateRule:
    """The threshold, `for` and ratio range of GuestCheckoutErrorRate as deployed."""
    try:
        groups = yaml.safe_load(path.read_text())["groups"]
    except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise BacktestError(f"cannot read alert rules from {path}: {exc}") from exc
    rules = [rule for group in groups for rule in group.get("rules", [])]
    alert = next((rule for rule in rules if rule.get("alert") == ERROR_RATE_ALERT), None)
    if alert is None:
        raise BacktestError(f"{path} has no alert {ERROR_RATE_ALERT}")
    match = re.fullmatch(r"\s*([A-Za-z_:][\w:]*)\s*>\s*([0-9.]+)\s*", alert["expr"])
    if not match:
        raise BacktestError(f"{ERROR_RATE_ALERT} must read `<recorded ratio> > <threshold>` to be replayed, "
                            f"not {alert['expr']!r}")
    record, threshold = match[1], float(match[2])
    recorded = next((rule["expr"] for rule in rules if rule.get("record") == record), None)
    if recorded is None:
        raise BacktestError(f"{ERROR_RATE_ALERT} uses {record}, which no recording rule in {path} defines")
    ranges = set(re.findall(r"\[(\w+)\]", recorded))
    if len(ranges) != 1:
        raise BacktestError(f"{record} must use one rate range, found {sorted(ranges)}")
    return ErrorRateRule(threshold=threshold, for_minutes=_minutes(alert.get("for", "0m")),
                         ratio_range_minutes=_minutes(ranges.pop()))


def _parse_minute(value: str) -> datetime:
    at = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def history_read(rows: Iterable[dict]) -> list[Minute]:
    """Validate CSV rows (from csv.DictReader) into consecutive minutes."""
    history: list[Minute] = []
    for line, row in enumerate(rows, start=2):
        missing = [column for column in REQUIRED_COLUMNS if row.get(column) in (None, "")]
        if missing:
            raise BacktestError(f"line {line}: missing {', '.join(missing)}; the CSV needs the columns "
                                f"{','.join(REQUIRED_COLUMNS)}")
        try:
            minute = Minute(at=_parse_minute(row["minute"]), requests=int(row["requests"]),
                            errors=int(row["errors"]), incident=row["incident"].strip() == "1")
        except ValueError as exc:
            raise BacktestError(f"line {line}: {exc}; minute is ISO 8601, requests and errors whole numbers, "
                                f"incident 0 or 1") from exc
        if row["incident"].strip() not in ("0", "1"):
            raise BacktestError(f"line {line}: incident must be 0 or 1, not {row['incident']!r}")
        if minute.requests < 0 or not 0 <= minute.errors <= minute.requests:
            raise BacktestError(f"line {line}: need 0 <= errors <= requests (got {minute.errors} of {minute.requests})")
        if minute.at.second or minute.at.microsecond:
            raise BacktestError(f"line {line}: {row['minute']} is not on a minute boundary")
        if history and minute.at - history[-1].at != timedelta(minutes=1):
            raise BacktestError(f"line {line}: {row['minute']} does not follow {history[-1].at:%Y-%m-%dT%H:%MZ} "
                                f"by one minute; rows must be consecutive minutes in order")
        history.append(minute)
    if not history:
        raise BacktestError("the CSV has no rows after its header")
    return history


def history_load(path: Path) -> list[Minute]:
    try:
        with path.open(newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not set(REQUIRED_COLUMNS) <= {name.strip() for name in reader.fieldnames}:
                raise BacktestError(f"{path}: the header must name the columns {','.join(REQUIRED_COLUMNS)}, "
                                    f"found {reader.fieldnames}")
            return history_read(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BacktestError(f"cannot read {path}: {exc}") from exc


def _bad_runs(history: list[Minute], threshold: float) -> list[tuple[int, int]]:
    """(first, last) indexes of each run of consecutive minutes above the threshold."""
    runs, start = [], None
    for index, minute in enumerate(history):
        if minute.ratio() > threshold:
            start = index if start is None else start
        elif start is not None:
            runs.append((start, index - 1))
            start = None
    if start is not None:
        runs.append((start, len(history) - 1))
    return runs


def _incidents(history: list[Minute]) -> list[tuple[int, int]]:
    runs, start = [], None
    for index, minute in enumerate(history):
        if minute.incident and start is None:
            start = index
        elif not minute.incident and start is not None:
            runs.append((start, index - 1))
            start = None
    if start is not None:
        runs.append((start, len(history) - 1))
    return runs


def alert_backtest(history: list[Minute], *, threshold: float, window_minutes: int) -> WindowResult:
    """The pages the rule would have sent with `for: <window_minutes>m`, grouped and classified."""
    result = WindowResult(window_minutes=window_minutes)
    incidents = _incidents(history)
    paged_incidents: set[int] = set()
    for first, last in _bad_runs(history, threshold):
        fires_at = first + window_minutes
        if fires_at > last:
            continue
        touched = {n for n, (start, end) in enumerate(incidents) if start <= last and end >= first}
        if touched and touched <= paged_incidents:
            continue  # the ratio dipped and rose again within an incident already paged: one page
        paged_incidents |= touched
        result.pages.append(Page(fired_at=history[fires_at].at + timedelta(minutes=1), run_start=history[first].at,
                                 run_end=history[last].at + timedelta(minutes=1), true_positive=bool(touched)))
    result.missed_incidents = len(incidents) - len(paged_incidents)
    return result
