"""Reads of the tax app."""
from django.db.models import Q

from .models import TaxRate


def tax_rate_for_destination(*, country: str, state: str, zip_code: str) -> TaxRate | None:
    """The most specific jurisdiction that covers the destination, in one query: the longest matching ZIP
    prefix first, then a row for the state, then the country's own row. None when no row covers it.

    A row with a state only matches destinations in that state; a row with a ZIP prefix only matches ZIP
    codes starting with it (compared without spaces or dashes, upper-cased)."""
    zip_key = "".join(ch for ch in zip_code.upper() if ch.isalnum())
    prefixes = [zip_key[:length] for length in range(1, len(zip_key) + 1)]
    candidates = TaxRate.objects.filter(country=country).filter(Q(state="") | Q(state=state) if state
                                                                else Q(state=""))
    candidates = candidates.filter(Q(zip_prefix="") | Q(zip_prefix__in=prefixes))
    return max(candidates, key=lambda rate: (len(rate.zip_prefix), bool(rate.state)), default=None)
