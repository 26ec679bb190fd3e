"""Shared pieces of the dashboard queries: the date range and the time-bucket granularity."""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from apps.core.errors import FieldError, ValidationFailed

GRANULARITIES = ("day", "week", "month")
DEFAULT_DAYS = 30
MAX_DAYS = 731
# Per-unit aggregates over a million events hash a few hundred thousand groups: give the dashboard
# queries (only them, for their transaction) enough memory to do it without spilling to disk.
DASHBOARD_WORK_MEM = "SET LOCAL work_mem = '64MB'"


@dataclass(frozen=True)
class DateRange:
    """Whole UTC days from `start` to `end` inclusive, bucketed by `granularity`."""

    start: date
    end: date
    granularity: str = "day"

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def end_before(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "granularity": self.granularity}


def date_range_from(params, *, today: date | None = None) -> DateRange:
    """Parse `start`, `end` (YYYY-MM-DD) and `granularity` from query parameters; the last 30 days by
    default. Raises ValidationFailed naming every bad parameter."""
    today = today or timezone.now().date()
    errors, values = [], {}
    for name, default in (("end", today), ("start", None)):
        raw = params.get(name)
        if not raw:
            values[name] = default
            continue
        try:
            values[name] = date.fromisoformat(raw)
        except ValueError:
            errors.append(FieldError(name, "INVALID_FORMAT", f"{name} must be a date such as 2025-10-15.",
                                     "YYYY-MM-DD"))
    granularity = params.get("granularity") or "day"
    if granularity not in GRANULARITIES:
        errors.append(FieldError("granularity", "INVALID_CHOICE", "granularity must be day, week or month.",
                                 "one of: day, week, month"))
    if errors:
        raise ValidationFailed(errors)
    end = values["end"]
    start = values["start"] or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end or (end - start).days > MAX_DAYS:
        raise ValidationFailed([FieldError("start", "OUT_OF_RANGE", "start must be on or before end, at most "
                                           f"{MAX_DAYS} days earlier.", f"start <= end, <= {MAX_DAYS} days")])
    return DateRange(start=start, end=end, granularity=granularity)
