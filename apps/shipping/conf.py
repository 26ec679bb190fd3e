"""Start-up validation of the shipping settings: a web, worker or beat process with an impossible cut-off
hour or an unknown time zone refuses to start (ShippingConfig.ready), naming the variable to fix, instead of
promising wrong delivery dates (or failing every checkout) later."""
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured


def shipping_settings_validate(*, cutoff_hour: object, timezone: object) -> None:
    if isinstance(cutoff_hour, bool) or not isinstance(cutoff_hour, int) or not 0 <= cutoff_hour <= 23:
        raise ImproperlyConfigured(
            f"SHIPPING_CUTOFF_HOUR is {cutoff_hour!r}: set it to the hour of the day (0-23, local time in "
            "SHIPPING_TIMEZONE) from which orders are handed over the next business day, e.g. 14.")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ImproperlyConfigured(
            f"SHIPPING_TIMEZONE is {timezone!r}, which is no IANA time zone: set it to the warehouse's zone, "
            "e.g. America/New_York or Europe/Berlin.") from error
