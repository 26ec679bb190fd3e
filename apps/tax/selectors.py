"""Reads of the tax app."""
from datetime import timedelta

from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Left, Length
from django.utils import timezone

from apps.core.compiled_queries import CompiledQuery

from .models import TaxRate


def _covering(country: str, state: str, zip_key: str) -> QuerySet[TaxRate]:
    """The rows that cover the destination: the country's, its state's (`state` may be ""), and those whose
    ZIP prefix starts `zip_key` (an empty prefix starts every key). One shape whatever the ZIP's length."""
    zip_head = Left(Value(zip_key, output_field=CharField()), Length("zip_prefix"))
    return (TaxRate.objects.filter(Q(state="") | Q(state=state), country=country)
            .alias(zip_head=zip_head).filter(zip_head=F("zip_prefix")))


# Every checkout quote runs it: compiled once (see apps.core.compiled_queries).
_COVERING = CompiledQuery(_covering, country="\x00country", state="\x00state", zip_key="\x00zip")


def tax_rate_for_destination(*, country: str, state: str, zip_code: str) -> TaxRate | None:
    """The most specific jurisdiction that covers the destination, in one query: the longest matching ZIP
    prefix first, then a row for the state, then the country's own row. None when no row covers it.

    A row with a state only matches destinations in that state; a row with a ZIP prefix only matches ZIP
    codes starting with it (compared without spaces or dashes, upper-cased)."""
    zip_key = "".join(ch for ch in zip_code.upper() if ch.isalnum())
    candidates = _COVERING.instances(country=country, state=state, zip_key=zip_key)
    return max(candidates, key=lambda rate: (len(rate.zip_prefix), bool(rate.state)), default=None)


def quiet_pending_references(rows: QuerySet, *, quiet_for: timedelta, limit: int = 500) -> list[str]:
    """References of the pending rows (transactions or reversals) nobody has tried for `quiet_for`, oldest
    first: what the sweep queues again."""
    quiet_since = timezone.now() - quiet_for
    return list(rows.filter(status=rows.model.Status.PENDING)
                .filter(Q(last_attempt_at__lt=quiet_since) | Q(last_attempt_at=None, created_at__lt=quiet_since))
                .order_by("created_at").values_list("reference", flat=True)[:limit])
